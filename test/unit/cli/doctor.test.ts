import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';

const ROOT = join(import.meta.dirname, '../../..');

describe('godots doctor', () => {
  it('names each account\'s token variable, never a value, and fails when one is missing', async () => {
    const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'godots-doctor-')), 'd.db')}`;
    const missing = memoryIo({ DO_TOKEN_ALPHA: 'secret-alpha-value' }, ROOT);
    expect(await main(['--db', db, 'doctor'], missing)).toBe(1);
    const text = missing.stdout.join('\n');
    expect(text).toMatch(/^ok {4}token of alpha: DO_TOKEN_ALPHA is set$/m);
    expect(text).toMatch(/^FAIL {2}token of beta: DO_TOKEN_BETA is not set$/m);
    expect(text).toMatch(/^ok {4}run log: sqlite/m);
    expect(text).not.toContain('secret-alpha-value');
    const all = memoryIo({ DO_TOKEN_ALPHA: 'a-secret', DO_TOKEN_BETA: 'b-secret' }, ROOT);
    expect(await main(['--db', db, '--format', 'json', 'doctor'], all)).toBe(0);
    expect((JSON.parse(all.stdout.join('')) as { name: string }[]).map((c) => c.name)).toContain('DigitalOcean provider plugin');
  });
});
