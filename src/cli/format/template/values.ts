// How plain JS data stands for Go values inside templates.
//
// - null → a nil interface (prints "<nil>"); undefined → no value (a missing map key, "<no value>").
// - string, boolean; numbers: integral → int, otherwise float64; bigint → int64.
// - arrays → slices ([]string when every element is a string, else []interface {}).
// - plain objects → map[string]interface {} (printed and ranged in sorted key order).
// - objects marked with goStruct() → structs: fields print in insertion order, a missing field is
//   an execution error, function-valued properties are methods (called with the template's args).
// - goMap() marks a map with a Go type name and methods (Docker's header context is one).
// - typedNil() is a nil map, slice or pointer of a struct field ("map[]", "[]", "<nil>").
// The marker is a non-enumerable symbol property, so marked objects stay ordinary JS objects.

export const GO_META = Symbol.for('slipway.go-template.meta');

export type GoParamType = 'any' | 'string' | 'int' | 'bool' | 'float64' | '[]string';

/** A Go function or method signature: the template checks argument counts and types against it. */
export interface GoFunc {
  readonly [GO_META]: 'func';
  params: readonly GoParamType[];
  /** Element type of a trailing variadic parameter. */
  variadic?: GoParamType;
  fn: (...args: any[]) => unknown;
}

interface StructMeta { kind: 'struct'; typeName: string; marshalJSON?: () => string; pointer?: boolean }
interface MapMeta { kind: 'map'; typeName: string; methods: Record<string, GoFunc | ((...a: any[]) => unknown)> }
interface NilMeta { kind: 'nil'; of: 'map' | 'slice' | 'pointer'; typeName: string }
type Meta = StructMeta | MapMeta | NilMeta;

export function goFunc(params: readonly GoParamType[], fn: (...args: any[]) => unknown, variadic?: GoParamType): GoFunc {
  return { [GO_META]: 'func', params, fn, ...(variadic ? { variadic } : {}) };
}

export function isGoFunc(v: unknown): v is GoFunc {
  return typeof v === 'object' && v !== null && (v as GoFunc)[GO_META] === 'func';
}

/**
 * Marks `fields` as a Go struct of type `typeName` (used in error messages, e.g.
 * "*formatter.ContainerContext"). `marshalJSON` replaces the default encoding for `{{json .}}`.
 */
export function goStruct<T extends object>(fields: T, typeName = 'struct', marshalJSON?: () => string): T {
  const meta: StructMeta = { kind: 'struct', typeName, ...(marshalJSON ? { marshalJSON } : {}) };
  Object.defineProperty(fields, GO_META, { value: meta, enumerable: false });
  return fields;
}

/**
 * Marks a struct as reached through a pointer (`*State` in a `ContainerJSON`): the template
 * dereferences it when printing it alone, but fmt prints it as an address inside another value.
 */
export function goPointer<T extends object>(struct: T): T {
  const m = meta(struct);
  if (m?.kind === 'struct') m.pointer = true;
  return struct;
}

export function isPointerStruct(v: object): boolean {
  const m = meta(v);
  return m?.kind === 'struct' && m.pointer === true;
}

/** Marks `entries` as a Go map of named type `typeName` with methods. */
export function goMap<T extends object>(entries: T, typeName: string, methods: MapMeta['methods'] = {}): T {
  Object.defineProperty(entries, GO_META, { value: { kind: 'map', typeName, methods } satisfies MapMeta, enumerable: false });
  return entries;
}

/** A nil map, slice or pointer (of Go type `typeName`), as found in an unset struct field. */
export function typedNil(of: NilMeta['of'], typeName = of === 'map' ? 'map[string]string' : of === 'slice' ? '[]string' : '*struct'): object {
  return Object.freeze(Object.defineProperty({}, GO_META, { value: { kind: 'nil', of, typeName } satisfies NilMeta, enumerable: false }));
}

function meta(v: object): Meta | undefined {
  return (v as { [GO_META]?: Meta })[GO_META];
}

/**
 * A float64 whose value is integral (1.0, 1e6): JS numbers cannot carry the distinction, and Go
 * prints these as "1" / "1e+06" and types them float64. Template float literals become GoFloat.
 */
export class GoFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

export function goFloat(n: number): GoFloat | number {
  return Number.isInteger(n) ? new GoFloat(n) : n;
}

export type Kind = 'invalid' | 'nil' | 'string' | 'int' | 'float' | 'bool' | 'slice' | 'map' | 'struct' | 'nilmap' | 'nilslice' | 'nilptr' | 'func';

export function kindOf(v: unknown): Kind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'function':
      return 'func';
  }
  if (v instanceof GoFloat) return 'float';
  if (Array.isArray(v)) return 'slice';
  const m = meta(v as object);
  if (m?.kind === 'struct') return 'struct';
  if (m?.kind === 'nil') return m.of === 'map' ? 'nilmap' : m.of === 'slice' ? 'nilslice' : 'nilptr';
  if (isGoFunc(v)) return 'func';
  return 'map';
}

export function typeName(v: unknown): string {
  const k = kindOf(v);
  switch (k) {
    case 'invalid':
      return '<nil>';
    case 'nil':
      return 'interface {}';
    case 'int':
      return typeof v === 'bigint' ? 'int64' : 'int';
    case 'float':
      return 'float64';
    case 'slice':
      return (v as unknown[]).length > 0 && (v as unknown[]).every((e) => typeof e === 'string') ? '[]string' : '[]interface {}';
    case 'func':
      return 'func()';
    case 'string':
    case 'bool':
      return k;
  }
  const m = meta(v as object);
  return m && m.kind !== undefined && 'typeName' in m ? m.typeName : 'map[string]interface {}';
}

export function structMarshaler(v: object): (() => string) | undefined {
  const m = meta(v);
  return m?.kind === 'struct' ? m.marshalJSON : undefined;
}

/** The method `name` of a struct or named map, if it has one. */
export function methodOf(v: unknown, name: string): GoFunc | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const m = meta(v);
  let f: unknown;
  if (m?.kind === 'struct') f = Object.prototype.hasOwnProperty.call(v, name) ? (v as Record<string, unknown>)[name] : undefined;
  else if (m?.kind === 'map') f = m.methods[name];
  if (typeof f === 'function') return goFunc(Array.from({ length: f.length }, () => 'any'), f as (...a: unknown[]) => unknown);
  return isGoFunc(f) ? f : undefined;
}

/** Struct fields (not methods), in declaration order. */
export function structFields(v: object): [string, unknown][] {
  return Object.entries(v).filter(([, x]) => typeof x !== 'function' && !isGoFunc(x));
}

/** Map entries in Go's sorted key order (fmt and range sort map keys). */
export function sortedEntries(v: object): [string, unknown][] {
  return Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Go's truthiness: false, 0, nil, and empty strings, slices and maps are false; structs are true. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
    case 'nilmap':
    case 'nilslice':
    case 'nilptr':
      return false;
    case 'string':
      return (v as string).length > 0;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return v != 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return Object.keys(v as object).length > 0;
    default:
      return true;
  }
}
