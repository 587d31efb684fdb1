import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';

const ROOT = join(import.meta.dirname, '../../..');
const SECRET = 'dop_v1_' + 'c0ffee'.repeat(10) + 'abcd';

async function run(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ DO_TOKEN_ALPHA: SECRET, DO_TOKEN_BETA: 'plain-secret-beta-value', ...env }, ROOT);
  const code = await main(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('godots validate', () => {
  it('exits 0 with one summary line for a valid fleet', async () => {
    const r = await run(['validate', '-f', 'examples/two-accounts.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('examples/two-accounts.yaml: valid: fleet scrapers, 2 accounts, 1 group, 40 droplets, 3 scripts');
    expect(r.err).toBe('');
  });

  it('reads ./fleet.yaml by default', async () => {
    const r = await run(['validate']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('fleet.yaml: valid: fleet demo');
  });

  it('prints every error as PATH:LINE:COL, sorted, and exits 1', async () => {
    const r = await run(['validate', '-f', 'test/fixtures/invalid/60-several-errors.yaml']);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    expect(lines[0]).toBe("test/fixtures/invalid/60-several-errors.yaml:4:1: error: unknown key 'group' in the fleet file; did you mean 'groups'?");
    expect(lines[1]).toBe("test/fixtures/invalid/60-several-errors.yaml:6:3: error: unknown key 'prot' in ssh; did you mean 'port'?");
    expect(lines[2]).toBe('test/fixtures/invalid/60-several-errors.yaml: 2 errors');
  });

  it('emits a JSON array of {file, line, col, code, message}', async () => {
    const r = await run(['--format', 'json', 'validate', '-f', 'test/fixtures/invalid/33-after-cycle.yaml']);
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.out) as unknown[];
    expect(parsed).toEqual([
      { file: 'test/fixtures/invalid/33-after-cycle.yaml', line: 22, col: 13, code: 'after-cycle', message: 'scripts wait on each other in a cycle: a -> c -> b -> a' },
    ]);
    const ok = await run(['validate', '--format', 'json', '-f', 'fleet.yaml']);
    expect(JSON.parse(ok.out)).toEqual([]);
    expect(ok.code).toBe(0);
  });

  it('names a missing file without a stack trace', async () => {
    const r = await run(['validate', '-f', 'nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('godots: error: cannot read fleet file nope.yaml: no such file (pass another with -f PATH)'.replace('nope.yaml', join(ROOT, 'nope.yaml')));
  });

  it('rejects an unknown format', async () => {
    const r = await run(['validate', '--format', 'yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toContain("argument 'yaml' is invalid");
  });

  it('never prints a token value, whatever the file holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godots-token-'));
    const variants = [
      `accounts:\n  a:\n    token: ${SECRET}\n    token_env: DO_TOKEN_ALPHA\n`,
      `accounts:\n  a:\n    token_env: ${SECRET}\n`,
      `accounts:\n  a:\n    token_env: [${SECRET}]\n`,
      `accounts:\n  a:\n    token_env: DO_TOKEN_ALPHA\n    api_url: ${SECRET}\n`,
      `accounts:\n  ${SECRET}:\n    token_env: DO_TOKEN_ALPHA\n`,
      `fleet2: ${SECRET}\naccounts:\n  a:\n    token_env: DO_TOKEN_ALPHA\n`,
      `accounts:\n  a:\n    token_env: DO_TOKEN_ALPHA\n    droplet_limit: plain-secret-beta-value\n`,
    ];
    const outputs: string[] = [];
    for (const [i, v] of variants.entries()) {
      const file = join(dir, `f${i}.yaml`);
      writeFileSync(file, `version: 1\nfleet: t\n${v}`);
      for (const format of ['text', 'json']) {
        const r = await run(['validate', '--format', format, '-f', file]);
        expect(r.code).toBe(1);
        outputs.push(r.out, r.err);
      }
    }
    const all = outputs.join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(SECRET.slice(7, 30));
    expect(all).not.toContain('plain-secret-beta-value');
    expect(all).toContain('tokens never go in the fleet file');
  });

  it('every invalid fixture fails through the CLI too, with no stack trace', async () => {
    for (const f of readdirSync(join(ROOT, 'test/fixtures/invalid'))) {
      const r = await run(['validate', '-f', `test/fixtures/invalid/${f}`]);
      expect(r.code, f).toBe(1);
      expect(r.err).not.toMatch(/\n\s+at \S+ \(/);
      expect(r.err.split('\n').at(-1)).toMatch(/: \d+ errors?$/);
    }
  });
});
