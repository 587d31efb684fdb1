import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadFleet } from '../../../src/fleet/index.js';

const DIR = join(import.meta.dirname, '../../fixtures/invalid');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

interface Expectation {
  line: number;
  col: number;
  fragment: string;
}

function expectations(text: string): Expectation[] {
  const header = /^# expect: (.*)$/m.exec(text.split('\n')[0]!);
  if (!header) throw new Error('fixture lacks its "# expect:" line');
  return header[1]!.split(' | ').map((e) => {
    const m = /^(\d+):(\d+) (.+)$/.exec(e)!;
    return { line: Number(m[1]), col: Number(m[2]), fragment: m[3]! };
  });
}

describe('invalid fleet corpus', () => {
  it('has at least 40 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  for (const name of files) {
    it(name, () => {
      const path = join(DIR, name);
      const text = readFileSync(path, 'utf8');
      const result = loadFleet(text, { file: path });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const lines = result.diagnostics.map(formatDiagnostic);
      for (const exp of expectations(text)) {
        const hit = result.diagnostics.find((d) => d.line === exp.line && d.col === exp.col && d.message.includes(exp.fragment));
        expect(hit, `expected ${exp.line}:${exp.col} "${exp.fragment}" among:\n${lines.join('\n')}`).toBeDefined();
      }
      for (const line of lines) expect(line).toMatch(/^.+:\d+:\d+: error: \S/);
      expect(lines.join('\n')).not.toMatch(/\n\s+at /);
    });
  }
});
