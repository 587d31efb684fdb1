import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet, placeFleet } from '../../../src/fleet/index.js';
import { findToolchain, fleetProgram, openAccountStack, statePassphrase, PulumiStackError } from '../../../src/stacks/pulumi/index.js';

const toolchain = findToolchain();
const TOKEN = 'dop_v1_' + 'beef'.repeat(16);

describe.skipIf(!toolchain.root && !process.env.GODOTS_REQUIRE_TOOLS)('the real Pulumi engine (CLI built from Go modules)', () => {
  it('is the pinned version', () => {
    expect(toolchain.cliVersion).toBe('v3.248.0');
  });

  it('runs per-account stacks side by side on a file backend with a generated 0600 passphrase', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godots-pulumi-'));
    const stateDir = join(dir, 'state');
    const { passphrase, generated } = statePassphrase({}, stateDir);
    expect(generated).toBe(join(stateDir, 'passphrase'));
    expect(statSync(generated!).mode & 0o777).toBe(0o600);
    expect(statePassphrase({}, stateDir).passphrase).toBe(passphrase);
    const stacks = await Promise.all(
      ['alpha', 'beta'].map((account) =>
        openAccountStack({
          fleet: 'demo', account, backendUrl: `file://${stateDir}`, workRoot: join(dir, 'work'), passphrase, toolchainRoot: toolchain.root!,
          program: async () => ({ account, placed: 3 }),
        }),
      ),
    );
    const outs = await Promise.all(stacks.map((s) => s.up()));
    expect(outs).toEqual([{ account: 'alpha', placed: 3 }, { account: 'beta', placed: 3 }]);
    expect((await stacks[0]!.preview()).same).toBeGreaterThanOrEqual(1);
    await Promise.all(stacks.map((s) => s.destroy()));
  }, 180_000);

  it.skipIf(Boolean(toolchain.provider))('classifies a missing DigitalOcean plugin, naming the account and never the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godots-pulumi-'));
    const r = loadFleet('version: 1\nfleet: demo\ndefaults: {region: nyc3, size: s-1vcpu-1gb, image: debian-12-x64}\naccounts: {alpha: {token_env: A}}\ngroups: {web: {count: 1}}\n', { file: '/x/f.yaml' });
    if (!r.ok) throw new Error('invalid');
    const placement = placeFleet(r.fleet, [{ account: 'alpha', apiLimit: 5, foreign: 0 }], []);
    if (!placement.ok) throw new Error('no fit');
    const stack = await openAccountStack({
      fleet: 'demo', account: 'alpha', backendUrl: `file://${join(dir, 'state')}`, workRoot: join(dir, 'work'), passphrase: 'p', toolchainRoot: toolchain.root!,
      program: fleetProgram({ fleet: 'demo', account: 'alpha', droplets: placement.droplets, token: TOKEN, apiUrl: 'http://127.0.0.1:9', publicKey: 'ssh-ed25519 AAAA k' }),
      secrets: [TOKEN],
    });
    const err = await stack.preview().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PulumiStackError);
    expect((err as PulumiStackError).code).toBe('MISSING_PLUGIN');
    expect((err as Error).message).toContain('account alpha');
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain(TOKEN);
  }, 180_000);
});
