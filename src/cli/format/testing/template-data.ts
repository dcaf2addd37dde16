// Template test data: the same values the expected outputs were computed from in Go.
import { GoFloat, goFunc, goMap, goStruct, typedNil } from '../template/values.ts';

/** map[string]interface {} decoded from JSON (1e21 stays a float64). */
export const mapData = () => ({
  Name: 'web',
  Tags: ['a', 'b'],
  M: { z: 1, a: 'x' },
  N: 3,
  F: 1.5,
  Big: new GoFloat(1e21),
  Small: 0.0000001,
  Nil: null,
  Empty: [],
  Str: 'a<b>&c "q"',
  Uni: 'héllo wörld',
  Nested: { Inner: { Deep: 'yes' } },
  Zero: 0,
  False: false,
  List: [{ n: 'one' }, { n: 'two' }],
  Mixed: [1, 'a', true, null, 2.5],
});

/** A *main.Outer with fields of every kind, an unexported field and two methods. */
export const structData = () =>
  goStruct({
    Name: 'web',
    Tags: ['a', 'b'],
    Labels: goMap({ b: '2', a: '1' }, 'map[string]string'),
    NilMap: typedNil('map'),
    NilSlice: typedNil('slice'),
    Ptr: goStruct({ A: 'y', B: 3 }, '*main.Inner'),
    NilPtr: typedNil('pointer', '*main.Inner'),
    In: goStruct({ A: 'x', B: 2 }, 'main.Inner'),
    Count: 4,
    Ratio: 0.25,
    On: true,
    lower: 'secret',
    Greet: goFunc(['string'], (who: string) => `hi ${who}`),
    Upper: () => 'WEB',
  }, '*main.Outer');
