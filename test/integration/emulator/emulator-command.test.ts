import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../../bin/godots');

describe('godots emulator', () => {
  it('prints its URL first, serves the given accounts, and stops on SIGTERM', async () => {
    const child = spawn(BIN, ['emulator', '--port', '0', '--account', 'one:tok-one:2', '--hosts', 'builtin'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', () => reject(new Error('emulator exited before printing its URL')));
      });
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${firstLine}/v2/account`, { headers: { authorization: 'Bearer tok-one' } });
      expect(((await res.json()) as { account: { droplet_limit: number } }).account.droplet_limit).toBe(2);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a malformed --account without a stack trace', async () => {
    const child = spawn(BIN, ['emulator', '--account', 'no-token'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('must be NAME:TOKEN');
    expect(err).not.toMatch(/\n\s+at /);
  });
});
