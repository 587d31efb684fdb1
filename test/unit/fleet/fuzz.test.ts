import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { loadFleet, type LoadResult } from '../../../src/fleet/index.js';

const ROOT = join(import.meta.dirname, '../../..');
const SEEDS = ['fleet.yaml', 'examples/two-accounts.yaml', 'examples/data-processing.yaml'].map((p) => ({
  file: join(ROOT, p),
  text: readFileSync(join(ROOT, p), 'utf8'),
}));

function checkOutcome(r: LoadResult, text: string): void {
  if (r.ok) return;
  expect(r.diagnostics.length).toBeGreaterThan(0);
  const lines = text.split('\n').length;
  for (const d of r.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines + 1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/\n/);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 1e6 }), fc.double({ noNaN: true }), fc.string({ maxLength: 12 }));
const junk: fc.Arbitrary<Json> = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }));

/** Applies one structural mutation at a random path of the parsed seed. */
function mutate(data: Json, path: number[], op: number, replacement: Json): Json {
  if (data === null || typeof data !== 'object') return op % 2 === 0 ? replacement : data;
  const keys = Array.isArray(data) ? data.map((_, i) => i) : Object.keys(data);
  if (keys.length === 0) return replacement;
  const key = keys[path[0]! % keys.length]!;
  const copy: Json = Array.isArray(data) ? [...data] : { ...data };
  const rest = path.slice(1);
  const child = (copy as Record<string | number, Json>)[key as never] as Json;
  if (rest.length === 0 || child === null || typeof child !== 'object') {
    if (op % 3 === 0) {
      if (Array.isArray(copy)) copy.splice(key as number, 1);
      else delete (copy as Record<string, Json>)[key as string];
    } else if (op % 3 === 1) (copy as Record<string | number, Json>)[key as never] = replacement as never;
    else (copy as Record<string, Json>)[`${String(key)}x`] = replacement;
    return copy;
  }
  (copy as Record<string | number, Json>)[key as never] = mutate(child, rest, op, replacement) as never;
  return copy;
}

describe('validator robustness', () => {
  it('never throws on structural mutations of valid fleets', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), fc.nat(), junk, (seed, path, op, replacement) => {
        const parsed = loadFleet(seed.text, { file: seed.file });
        expect(parsed.ok).toBe(true);
        const data = JSON.parse(JSON.stringify(parseYaml(seed.text))) as Json;
        const text = stringify(mutate(data, path, op, replacement));
        checkOutcome(loadFleet(text, { file: seed.file }), text);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on text-level damage', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 20 }), (seed, at, cut, insert) => {
        const i = at % (seed.text.length + 1);
        const text = seed.text.slice(0, i) + insert + seed.text.slice(i + cut);
        checkOutcome(loadFleet(text, { file: seed.file }), text);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        checkOutcome(loadFleet(text, { file: 'x.yaml' }), text);
      }),
      { numRuns: 2000 },
    );
  });
});
