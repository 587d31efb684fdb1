import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLEET_SCHEMA_PATH } from '../../../src/fleet/index.js';
import { RAW_KEYS } from '../../../src/fleet/raw-fleet.js';

type S = { properties?: Record<string, S>; additionalProperties?: unknown; $ref?: string; description?: string; anyOf?: S[]; items?: S; type?: unknown };
const schema = JSON.parse(readFileSync(FLEET_SCHEMA_PATH, 'utf8')) as S & { $defs: Record<string, S>; $schema: string };

function props(s: S): string[] {
  return Object.keys(s.properties ?? {}).sort();
}

describe('schemas/fleet.schema.json', () => {
  it('is JSON Schema 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  // The TypeScript raw types list their keys in RAW_KEYS (checked by the compiler); this pins them to the schema.
  it.each([
    ['fleet', schema],
    ['defaults', schema.properties!.defaults!],
    ['ssh', schema.properties!.ssh!],
    ['account', schema.$defs.account!],
    ['group', schema.$defs.group!],
    ['sync', schema.$defs.sync!],
    ['script', schema.$defs.script!],
  ] as const)('%s keys agree with the TypeScript types', (name, s) => {
    expect(props(s)).toEqual(Object.keys(RAW_KEYS[name]).sort());
  });

  it('describes every property and closes every object but env', () => {
    const missing: string[] = [];
    const open: string[] = [];
    const walk = (s: S, where: string) => {
      if (s.properties) {
        if (s.additionalProperties !== false && !where.endsWith('.env')) open.push(where);
        for (const [k, v] of Object.entries(s.properties)) {
          if (!v.description) missing.push(`${where}.${k}`);
          walk(v, `${where}.${k}`);
        }
      }
      for (const b of s.anyOf ?? []) walk(b, where);
      if (s.items) walk(s.items, `${where}[]`);
    };
    walk(schema, '$');
    for (const [k, v] of Object.entries(schema.$defs)) walk(v, `$defs.${k}`);
    expect(missing).toEqual([]);
    expect(open).toEqual([]);
  });
});
