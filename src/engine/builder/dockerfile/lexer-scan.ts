// Character-level pieces of the shell lexer: a code-point scanner (Go's text/scanner Peek/Next)
// and the word splitter behind ProcessWords.
import { isGoSpace } from './go-strings.ts';

/** What peek() and next() return at the end of the input. */
export const EOF = '';

export class CodePointScanner {
  readonly #chars: string[];
  #pos = 0;

  constructor(source: string) {
    this.#chars = Array.from(source);
  }

  peek(): string {
    return this.#chars[this.#pos] ?? EOF;
  }

  next(): string {
    const ch = this.peek();
    if (ch !== EOF) this.#pos++;
    return ch;
  }
}

/** Splits expanded text into words on unquoted white space. */
export class WordCollector {
  readonly #buffer: { text: string };
  readonly #words: string[] = [];
  #inWord = false;

  constructor(buffer: { text: string }) {
    this.#buffer = buffer;
  }

  addChar(ch: string): void {
    if (isGoSpace(ch)) {
      if (this.#inWord && this.#buffer.text !== '') {
        this.#words.push(this.#buffer.text);
        this.#buffer.text = '';
        this.#inWord = false;
      }
    } else {
      this.addRawChar(ch);
    }
  }

  addRawChar(ch: string): void {
    this.#buffer.text += ch;
    this.#inWord = true;
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  addRawString(s: string): void {
    this.#buffer.text += s;
    this.#inWord = true;
  }

  finish(): string[] {
    if (this.#buffer.text !== '') {
      this.#words.push(this.#buffer.text);
      this.#buffer.text = '';
      this.#inWord = false;
    }
    return this.#words;
  }
}
