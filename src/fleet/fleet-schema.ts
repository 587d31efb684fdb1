import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** Absolute path of schemas/fleet.schema.json (same relative place from src/ and dist/). */
export const FLEET_SCHEMA_PATH = new URL('../../schemas/fleet.schema.json', import.meta.url).pathname;

interface Compiled {
  schema: Record<string, unknown>;
  validate: ValidateFunction;
  /** Which definition each sub-schema belongs to: "duration", "account.api_url", ... */
  owner: WeakMap<object, string>;
}

let compiled: Compiled | undefined;

// ajv reports schemaPath relative to whichever function it compiled a $ref into,
// so the definition behind an error is found by the schema object's identity instead.
function owners(schema: Record<string, unknown>): WeakMap<object, string> {
  const map = new WeakMap<object, string>();
  const walk = (node: unknown, owner: string): void => {
    if (node === null || typeof node !== 'object') return;
    map.set(node, owner);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && v && typeof v === 'object') {
        for (const [prop, sub] of Object.entries(v)) walk(sub, owner ? `${owner}.${prop}` : prop);
      } else if (k !== '$defs') walk(v, owner);
    }
  };
  walk(schema, '');
  for (const [name, def] of Object.entries((schema.$defs ?? {}) as Record<string, unknown>)) walk(def, name);
  return map;
}

/** The JSON Schema, loaded and compiled once per process. */
export function fleetSchema(): Compiled {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(FLEET_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    compiled = { schema, validate: ajv.compile(schema), owner: owners(schema) };
  }
  return compiled;
}

export type SchemaError = ErrorObject;
