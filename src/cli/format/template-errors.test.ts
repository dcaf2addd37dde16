// Go text/template parse and execution errors, worded as Go words them.
// Expected values are Go's: text/template with docker/cli's template functions, run on the same
// data (as Go values: the map decoded from JSON, the struct as a Go struct with two methods).
import { describe, expect, test } from 'vitest';
import { parseTemplate, TemplateError } from './template.ts';
import { mapData, structData } from './testing/template-data.ts';

const cases: [string, 'map' | 'struct', string][] = [
  ["{{.Nil.Deeper}}", 'map', "template: :1:6: executing \"\" at <.Nil.Deeper>: nil pointer evaluating interface {}.Deeper"],
  ["{{lt 1 \"a\"}}", 'map', "template: :1:2: executing \"\" at <lt 1 \"a\">: error calling lt: incompatible types for comparison"],
  ["{{lt .Tags 1}}", 'map', "template: :1:2: executing \"\" at <lt .Tags 1>: error calling lt: invalid type for comparison"],
  ["{{eq .N}}", 'map', "template: :1:2: executing \"\" at <eq .N>: error calling eq: missing argument for comparison"],
  ["{{len .N}}", 'map', "template: :1:2: executing \"\" at <len .N>: error calling len: len of type int"],
  ["{{index .Tags 5}}", 'map', "template: :1:2: executing \"\" at <index .Tags 5>: error calling index: index out of range: 5"],
  ["{{index .Tags 2}}", 'map', "template: :1:2: executing \"\" at <index .Tags 2>: error calling index: reflect: slice index out of range"],
  ["{{index .Tags \"x\"}}", 'map', "template: :1:2: executing \"\" at <index .Tags \"x\">: error calling index: cannot index slice/array with type string"],
  ["{{index .N 1}}", 'map', "template: :1:2: executing \"\" at <index .N 1>: error calling index: can't index item of type int"],
  ["{{index .M 1}}", 'map', "template: :1:2: executing \"\" at <index .M 1>: error calling index: value has type int; should be string"],
  ["{{join .Mixed \",\"}}", 'map', "template: :1:7: executing \"\" at <.Mixed>: wrong type for value; expected []string; got []interface {}"],
  ["{{upper .N}}", 'map', "template: :1:8: executing \"\" at <.N>: wrong type for value; expected string; got int"],
  ["{{lower 3}}", 'map', "template: :1:8: executing \"\" at <3>: expected string; found 3"],
  ["{{truncate .Name \"x\"}}", 'map', "template: :1:17: executing \"\" at <\"x\">: expected integer; found \"x\""],
  ["{{truncate .Name 1.5}}", 'map', "template: :1:17: executing \"\" at <1.5>: expected integer; found 1.5"],
  ["{{pad .Name 1}}", 'map', "template: :1:2: executing \"\" at <pad>: wrong number of args for pad: want 3 got 2"],
  ["{{upper .Missing}}", 'map', "template: :1:8: executing \"\" at <.Missing>: invalid value; expected string"],
  ["{{.Name.Foo}}", 'map', "template: :1:7: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type interface {}"],
  ["{{.Name 1}}", 'map', "template: :1:2: executing \"\" at <.Name>: Name is not a method but has arguments"],
  ["{{$x := 1}}{{$x 2}}", 'map', "template: :1:13: executing \"\" at <$x>: can't give argument to non-function $x"],
  ["{{nil}}", 'map', "template: :1:2: executing \"\" at <nil>: nil is not a command"],
  ["{{1 2}}", 'map', "template: :1:2: executing \"\" at <1>: can't give argument to non-function 1"],
  ["{{.Name | 3}}", 'map', "template: :1: non executable command in pipeline stage 2"],
  ["{{foo}}", 'map', "template: :1: function \"foo\" not defined"],
  ["{{.Name }", 'map', "template: :1: unexpected \"}\" in operand"],
  ["{{.Name", 'map', "template: :1: unclosed action"],
  ["{{.Name}", 'map', "template: :1: bad character U+007D '}'"],
  ["{{if .Name}}x", 'map', "template: :1: unexpected EOF"],
  ["{{end}}", 'map', "template: :1: unexpected {{end}}"],
  ["{{else}}", 'map', "template: :1: unexpected {{else}}"],
  ["{{if}}{{end}}", 'map', "template: :1: missing value for if"],
  ["{{range}}{{end}}", 'map', "template: :1: missing value for range"],
  ["{{$x}}", 'map', "template: :1: undefined variable \"$x\""],
  ["{{break}}", 'map', "template: :1: {{break}} outside {{range}}"],
  ["{{\"unterminated}}", 'map', "template: :1: unterminated quoted string"],
  ["{{`raw}}", 'map', "template: :1: unterminated raw quoted string"],
  ["{{(.Name}}", 'map', "template: :1: unclosed left paren"],
  ["{{.Name)}}", 'map', "template: :1: unexpected right paren"],
  ["{{/* unclosed", 'map', "template: :1: unclosed comment"],
  ["{{/* a */ .Name}}", 'map', "template: :1: comment ends before closing delimiter"],
  ["{{3x}}", 'map', "template: :1: bad number syntax: \"3x\""],
  ["{{.Name#}}", 'map', "template: :1: bad character U+0023 '#'"],
  ["{{.Name := 1}}", 'map', "template: :1: unexpected \":=\" in operand"],
  ["{{$x := 1 :}}", 'map', "template: :1: expected :="],
  ["{{range $a, $b, $c := .Tags}}{{end}}", 'map', "template: :1: too many declarations in range"],
  ["{{if .N}}a{{else}}b{{else}}c{{end}}", 'map', "template: :1: expected end; found {{else}}"],
  ["{{\"x\".Foo}}", 'map', "template: :1: unexpected . after term \"\\\"x\\\"\""],
  ["line1\nline2 {{.Name.Foo}}", 'map', "template: :2:13: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type interface {}"],
  ["{{with .Name}}{{.Foo}}{{end}}", 'map', "template: :1:16: executing \"\" at <.Foo>: can't evaluate field Foo in type string"],
  ["{{template \"x\"}}", 'map', "template: :1:11: executing \"\" at <{{template \"x\"}}>: template \"x\" not defined"],
  ["{{|}}", 'map', "template: :1: unexpected \"|\" in command"],
  ["{{printf}}", 'map', "template: :1:2: executing \"\" at <printf>: wrong number of args for printf: want at least 1 got 0"],
  ["{{not}}", 'map', "template: :1:2: executing \"\" at <not>: wrong number of args for not: want 1 got 0"],
  ["{{.Foo}}", 'struct', "template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *main.Outer"],
  ["{{.In.Foo}}", 'struct', "template: :1:5: executing \"\" at <.In.Foo>: can't evaluate field Foo in type main.Inner"],
  ["{{.lower}}", 'struct', "template: :1:2: executing \"\" at <.lower>: lower is an unexported field of struct type *main.Outer"],
  ["{{.NilPtr.A}}", 'struct', "template: :1:9: executing \"\" at <.NilPtr.A>: nil pointer evaluating *main.Inner.A"],
  ["{{.Greet}}", 'struct', "template: :1:2: executing \"\" at <.Greet>: wrong number of args for Greet: want 1 got 0"],
  ["{{.Greet 1}}", 'struct', "template: :1:9: executing \"\" at <1>: expected string; found 1"],
  ["{{.Name \"x\"}}", 'struct', "template: :1:2: executing \"\" at <.Name>: Name has arguments but cannot be invoked as function"],
];

describe('template errors', () => {
  test.each(cases)('%j on %s', (text, data, want) => {
    let error: unknown;
    try {
      parseTemplate(text).execute(data === 'map' ? mapData() : structData());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toBe(want);
    expect((error as TemplateError).phase).toBe(/executing/.test(want) ? 'exec' : 'parse');
  });
});
