import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';
import { loadFleetFile } from '../../../src/fleet/index.js';

const ROOT = join(import.meta.dirname, '../../..');
const ACTIONLINT = join(process.env.GODOTS_CACHE ?? join(homedir(), '.cache/godots'), 'tools/actionlint-v1.7.12/actionlint');

describe('GitOps workflows', () => {
  // CI sets GODOTS_REQUIRE_TOOLS: there a missing actionlint fails instead of skipping.
  it.skipIf(!existsSync(ACTIONLINT) && !process.env.GODOTS_REQUIRE_TOOLS)('pass actionlint', () => {
    const files = ['godots-plan.yml', 'godots-apply.yml', 'godots-drift.yml'].map((f) => join(ROOT, '.github/workflows', f));
    const out = execFileSync(ACTIONLINT, ['-no-color', ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });

  it('keep secrets in the secret store: the workflows name secrets, never values', () => {
    for (const f of ['godots-plan.yml', 'godots-apply.yml', 'godots-drift.yml']) {
      const text = readFileSync(join(ROOT, '.github/workflows', f), 'utf8');
      expect(text).toMatch(/DO_TOKEN_ALPHA: \$\{\{ secrets\.DO_TOKEN_ALPHA \}\}/);
      expect(text).not.toMatch(/dop_v1_/);
    }
    expect(readFileSync(join(ROOT, '.github/workflows/godots-apply.yml'), 'utf8')).toContain("concurrency:\n  group: godots-apply\n  cancel-in-progress: false");
  });
});

describe('godots init', () => {
  it('scaffolds a valid fleet, the schema, .gitignore entries and the workflows, and refuses to overwrite without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godots-init-'));
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
    const io = memoryIo({}, dir);
    expect(await main(['init', '--fleet', 'Web Crawlers'], io)).toBe(0);
    expect(io.stdout).toContain('wrote fleet.yaml');
    const fleet = loadFleetFile(join(dir, 'fleet.yaml'));
    expect(fleet.ok && fleet.fleet.name).toBe('web-crawlers');
    expect(readFileSync(join(dir, 'fleet.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schemas/fleet.schema.json');
    expect(existsSync(join(dir, 'schemas/fleet.schema.json'))).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n# godots: keys, pins, local state and run log\n.godots/\nresults/\n');
    expect(readFileSync(join(dir, '.github/workflows/godots-plan.yml'), 'utf8')).toBe(readFileSync(join(ROOT, '.github/workflows/godots-plan.yml'), 'utf8'));

    writeFileSync(join(dir, 'fleet.yaml'), 'version: 1\nfleet: mine\n');
    const again = memoryIo({}, dir);
    expect(await main(['init'], again)).toBe(1);
    expect(again.stderr.join('\n')).toContain('kept fleet.yaml (exists; --force overwrites)');
    expect(readFileSync(join(dir, 'fleet.yaml'), 'utf8')).toBe('version: 1\nfleet: mine\n');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').match(/\.godots\//g)).toHaveLength(1);
    expect(await main(['init', '--force'], memoryIo({}, dir))).toBe(0);
    expect(readFileSync(join(dir, 'fleet.yaml'), 'utf8')).toContain('fleet: my-fleet');
  });
});
