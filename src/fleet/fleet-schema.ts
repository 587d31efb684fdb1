import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** Absolute path of schemas/fleet.schema.json (same relative place from src/ and dist/). */
export const FLEET_SCHEMA_PATH = new URL('../../schemas/fleet.schema.json', import.meta.url).pathname;

let compiled: { schema: Record<string, unknown>; validate: ValidateFunction } | undefined;

/** The JSON Schema, loaded and compiled once per process. */
export function fleetSchema(): { schema: Record<string, unknown>; validate: ValidateFunction } {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(FLEET_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    compiled = { schema, validate: ajv.compile(schema) };
  }
  return compiled;
}

export type SchemaError = ErrorObject;
