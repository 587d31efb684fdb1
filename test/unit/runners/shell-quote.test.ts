import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../../src/runners/remote-env.js';

describe('shellQuote', () => {
  it('delivers any value verbatim through a real POSIX shell, with no command run', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')), (value) => {
        const out = execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' });
        expect(out).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the classic injections inert', () => {
    for (const v of [`'; touch /tmp/x; '`, '$(id)', '`id`', 'a\nb', "it's", '\\', '$HOME', '"double"']) {
      expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(v)}`], { encoding: 'utf8' })).toBe(v);
    }
  });
});
