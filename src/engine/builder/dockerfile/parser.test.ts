// Cases beyond the corpus, each checked against BuildKit's parser.Parse at the corpus commit.
import { describe, expect, it } from 'vitest';
import { dumpNode, type DockerfileParseError } from './ast.ts';
import { parse } from './parser.ts';

const dump = (text: string): string[] => parse(text).ast.children.map(dumpNode);

describe('parse', () => {
  it.each([
    ['# escape=`\nFROM x\nRUN a `\n  b\n', ['from "x"', 'run "a   b"']],
    ['FROM x\n# escape=`\nRUN a \\\n b\n', ['from "x"', 'run "a  b"']],
    ['\ufeffFROM x\r\nRUN a \\\r\n  b\r\n', ['from "x"', 'run "a   b"']],
    ['FROM x\nBOGUS a b\n', ['from "x"', 'bogus ""']],
    ['FROM x\nCMD []\nONBUILD\n', ['from "x"', 'cmd', 'onbuild']],
    ['FROM x\nCOPY --from=a --chown="me you" -- --b c\n', ['from "x"', 'copy ["--from=a" "--chown=me you"] "--b" "c"']],
    ['FROM x\nHEALTHCHECK --interval=5s CMD ["a"]\n', ['from "x"', 'healthcheck ["--interval=5s"] "CMD" "a"']],
    ['FROM x\nRUN a\\\\ \\\nb\n', ['from "x"', 'run "a\\\\\\\\ b"']], // an escaped escape still continues
  ])('%j', (text, want) => expect(dump(text)).toEqual(want));

  it('reads heredocs, also under ONBUILD, with line ranges', () => {
    const { ast } = parse('FROM x\nONBUILD RUN <<EOF\nhi\nEOF\nCOPY <<A <<B /\na\nA\nb\nB\n');
    expect(ast.children.map((c) => [c.startLine, c.endLine])).toEqual([[1, 1], [2, 4], [5, 9]]);
    expect(ast.children[1]!.heredocs).toEqual([{ name: 'EOF', fileDescriptor: 0, expand: true, chomp: false, content: 'hi\n' }]);
    expect(ast.children[2]!.heredocs.map((h) => [h.name, h.content])).toEqual([['A', 'a\n'], ['B', 'b\n']]);
  });

  it('keeps the comments above an instruction, minus directives', () => {
    const { ast } = parse('# syntax=x\n# one\n#two\nFROM y\n');
    expect(ast.children[0]!.prevComment).toEqual(['one', 'two']);
  });

  it.each([
    ['', 'file with no instructions', [0, 0]],
    ['# escape=x\nFROM x\n', "invalid escape token 'x' does not match ` or \\", [0, 0]],
    ['# escape=\\\n# escape=`\nFROM x\n', 'only one escape parser directive can be used', [1, 1]],
    ['FROM x\nRUN <<EOF\nhi\n', 'unterminated heredoc', [2, 3]],
    ['FROM x\nENV A=1 B\n', 'Syntax error - can\'t find = in "B". Must be of the form: name=value', [2, 2]],
    ['FROM x\nCMD ["a", 1]\n', 'when using JSON array syntax, arrays must be comprised of strings only', [2, 2]],
  ])('%j fails: %s', (text, message, [start, end]) => {
    let error: DockerfileParseError | undefined;
    try {
      parse(text);
    } catch (err) {
      error = err as DockerfileParseError;
    }
    expect(error?.message).toBe(message);
    expect(error?.location).toEqual({ start, end });
  });
});
