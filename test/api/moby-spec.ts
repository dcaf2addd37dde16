// moby's own specification of the Engine API (v1.50, test/conformance/moby-api/) as a response
// checker: a route's documented response schema, compiled once, against what Slipway answered.
// Swagger 2.0's `x-nullable` becomes "or null"; everything else is JSON Schema as Ajv reads it.
// Two kinds of null the spec does not mark but dockerd itself sends (Go's encoding/json): nil
// slices and maps (every array and object), and the pointer fields listed in GO_POINTERS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { projectRoot } from '../../src/platform/node.ts';

interface Spec {
  definitions: Record<string, unknown>;
  paths: Record<string, Record<string, { responses: Record<string, { schema?: unknown }> }>>;
}

let spec: Spec | undefined;
const compiled = new Map<string, ValidateFunction>();
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

function loadSpec(): Spec {
  spec ??= parse(readFileSync(join(projectRoot, 'test/conformance/moby-api/v1.50.yaml'), 'utf8')) as Spec;
  return spec;
}

/** Properties that are pointers in moby's Go types (`*int64`, `*bool`): null when unset. */
const GO_POINTERS = new Set(['MemorySwappiness', 'OomKillDisable', 'PidsLimit', 'Init', 'CpuCount', 'CpuPercent']);

/** Swagger 2.0 → JSON Schema: nullable values, and refs into the one `definitions` table. */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/definitions/', 'moby#/definitions/');
    else if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, GO_POINTERS.has(name) ? { anyOf: [convert(p), { type: 'null' }] } : convert(p)]));
    } else if (k !== 'x-nullable') out[k] = convert(v);
  }
  const n = node as Record<string, unknown>;
  return n['x-nullable'] || n.type === 'array' || n.type === 'object' ? { anyOf: [out, { type: 'null' }] } : out;
}

/** The errors (empty: none) of `body` against the documented response of a route and status. */
export function specErrors(template: string, method: string, status: number, body: unknown): string[] {
  const s = loadSpec();
  if (!ajv.getSchema('moby')) ajv.addSchema({ $id: 'moby', definitions: convert(s.definitions) }, 'moby');
  const key = `${method} ${template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    const route = s.paths[template]?.[method.toLowerCase()];
    if (!route) throw new Error(`moby's spec has no ${method} ${template}`);
    const response = route.responses[String(status)];
    if (!response) throw new Error(`moby's spec has no ${status} answer for ${method} ${template}`);
    validate = ajv.compile(response.schema ? (convert(response.schema) as object) : {});
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}
