// Shell word expansion for Dockerfiles, as BuildKit's shell.Lex does it: quotes, escapes, $var and
// ${var...} forms. It is not a shell: no command substitution, globbing or arithmetic.
import { goQuote } from './go-quote.ts';
import { expandBraced } from './lexer-braces.ts';
import { CodePointScanner, EOF, WordCollector } from './lexer-scan.ts';

/** Where variables come from. A Map<string, string> fits. */
export interface EnvGetter {
  get(name: string): string | undefined;
}

export interface ProcessWordResult {
  result: string;
  words: string[];
  /** Variables that were referenced and set. */
  matched: Set<string>;
  /** Variables that were referenced but not set. */
  unmatched: Set<string>;
}

const specialParams = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);
const isDigit = (ch: string): boolean => /^\p{Nd}$/u.test(ch);
const isLetter = (ch: string): boolean => /^\p{L}$/u.test(ch);

export class ShellLex {
  readonly escapeToken: string;
  /** Keep quote characters in the output (the heredoc detector compares with and without). */
  rawQuotes = false;
  /** Keep escape characters in the output. */
  rawEscapes = false;
  /** Treat ' and " as ordinary characters. */
  skipProcessQuotes = false;
  /** Leave references to unset variables as they were written. */
  skipUnsetEnv = false;

  constructor(escapeToken = '\\') {
    this.escapeToken = escapeToken;
  }

  /** Expands one word: quotes removed, variables substituted, white space kept. */
  processWord(word: string, env: EnvGetter): string {
    return this.processWordWithMatches(word, env).result;
  }

  /** Expands, then splits on unquoted white space (white space from variables splits too). */
  processWords(word: string, env: EnvGetter): string[] {
    return this.#process(word, env).words;
  }

  processWordWithMatches(word: string, env: EnvGetter): ProcessWordResult {
    return this.#process(word, env);
  }

  #process(source: string, env: EnvGetter): ProcessWordResult {
    const run = new ShellWord(this, env, source);
    try {
      const [result, words] = run.processStopOn(EOF, this.rawEscapes);
      return { result, words, matched: run.matched, unmatched: run.unmatched };
    } catch (err) {
      throw new Error(`failed to process ${goQuote(source)}: ${(err as Error).message}`);
    }
  }
}

class ShellWord {
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  readonly #lex: ShellLex;
  readonly #env: EnvGetter;
  readonly #scanner: CodePointScanner;
  #rawEscapes: boolean;
  /**
   * BuildKit shares one word buffer between a word and the ${...} words nested in it, and each
   * nested word clears it. So ProcessWords("ab${x:-y}") gives ["y"]; we keep that behaviour.
   */
  readonly #sharedBuffer = { text: '' };

  constructor(lex: ShellLex, env: EnvGetter, source: string) {
    this.#lex = lex;
    this.#env = env;
    this.#scanner = new CodePointScanner(source);
    this.#rawEscapes = lex.rawEscapes;
  }

  processStopOn(stopChar: string, rawEscapes: boolean): [string, string[]] {
    const saved = this.#rawEscapes;
    this.#rawEscapes = rawEscapes;
    try {
      return this.#stopOn(stopChar);
    } finally {
      this.#rawEscapes = saved;
    }
  }

  #stopOn(stopChar: string): [string, string[]] {
    const sc = this.#scanner;
    const escape = this.#lex.escapeToken;
    const quotes = !this.#lex.skipProcessQuotes;
    let result = '';
    this.#sharedBuffer.text = '';
    const words = new WordCollector(this.#sharedBuffer);
    while (sc.peek() !== EOF) {
      let ch = sc.peek();
      if (stopChar !== EOF && ch === stopChar) {
        sc.next();
        return [result, words.finish()];
      }
      let special: string | null = null;
      if (ch === '$') special = this.#dollar();
      else if (ch === '<') special = this.#possibleHeredoc();
      else if (quotes && ch === "'") special = this.#singleQuote();
      else if (quotes && ch === '"') special = this.#doubleQuote();
      if (special !== null) {
        result += special;
        if (ch === '$') words.addString(special);
        else words.addRawString(special);
        continue;
      }
      ch = sc.next();
      if (ch === escape) {
        if (this.#rawEscapes) {
          words.addRawChar(ch);
          result += ch;
        }
        ch = sc.next();
        if (ch === EOF) break;
        words.addRawChar(ch);
      } else {
        words.addChar(ch);
      }
      result += ch;
    }
    if (stopChar !== EOF) throw new Error(`unexpected end of statement while looking for matching ${stopChar}`);
    return [result, words.finish()];
  }

  #singleQuote(): string {
    const sc = this.#scanner;
    const raw = this.#lex.rawQuotes;
    const open = sc.next();
    let result = raw ? open : '';
    for (;;) {
      const ch = sc.next();
      if (ch === EOF) throw new Error('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return raw ? result + ch : result;
      result += ch;
    }
  }

  #doubleQuote(): string {
    const sc = this.#scanner;
    const raw = this.#lex.rawQuotes;
    const escape = this.#lex.escapeToken;
    const open = sc.next();
    let result = raw ? open : '';
    for (;;) {
      const peek = sc.peek();
      if (peek === EOF) throw new Error('unexpected end of statement while looking for matching double-quote');
      if (peek === '"') {
        const ch = sc.next();
        return raw ? result + ch : result;
      }
      if (peek === '$') {
        result += this.#dollar();
        continue;
      }
      let ch = sc.next();
      if (ch === escape) {
        if (this.#rawEscapes) result += ch;
        const after = sc.peek();
        if (after === EOF) continue; // a trailing escape is dropped
        // Only " $ and the escape itself can be escaped; other escapes stay literal.
        if (after === '"' || after === '$' || after === escape) ch = sc.next();
      }
      result += ch;
    }
  }

  #dollar(): string {
    const sc = this.#scanner;
    sc.next();
    if (sc.peek() !== '{') {
      const name = this.#name();
      if (name === '') return '$';
      const value = this.getEnv(name);
      if (value === undefined && this.#lex.skipUnsetEnv) return `$${name}`;
      return value ?? '';
    }
    sc.next();
    const first = sc.peek();
    if (first === EOF) throw new Error("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new Error('syntax error: bad substitution');
    const name = this.#name();
    return expandBraced(this, name, sc.next());
  }

  /** Parts of ${...} handling that need the scanner; see expandBraced. */
  scanner(): CodePointScanner {
    return this.#scanner;
  }

  get skipUnsetEnv(): boolean {
    return this.#lex.skipUnsetEnv;
  }

  #name(): string {
    const sc = this.#scanner;
    let name = '';
    while (sc.peek() !== EOF) {
      const ch = sc.peek();
      if (name === '' && isDigit(ch)) {
        // Positional parameters: all the digits, however many.
        while (sc.peek() !== EOF && isDigit(sc.peek())) name += sc.next();
        return name;
      }
      if (name === '' && specialParams.has(ch)) return sc.next();
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += sc.next();
    }
    return name;
  }

  #possibleHeredoc(): string {
    const sc = this.#scanner;
    sc.next();
    if (sc.peek() !== '<') return '<';
    sc.next();
    // A heredoc may have blanks between << and its word; they belong to the token.
    let space = '';
    while (sc.peek() === ' ' || sc.peek() === '\t' || sc.peek() === '\r') space += sc.next();
    return `<<${space}`;
  }

  getEnv(name: string): string | undefined {
    const value = this.#env.get(name);
    if (value !== undefined) this.matched.add(name);
    else this.unmatched.add(name);
    return value;
  }
}
