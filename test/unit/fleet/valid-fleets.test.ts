import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet, loadFleetFile } from '../../../src/fleet/index.js';

const ROOT = join(import.meta.dirname, '../../..');
const examples = [join(ROOT, 'fleet.yaml'), ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'examples', f))];

describe('shipped fleets', () => {
  it('include the root fleet and three examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });
  for (const path of examples) {
    it(`${path.slice(ROOT.length + 1)} is valid`, () => {
      const r = loadFleetFile(path);
      expect(r.ok ? [] : r.diagnostics).toEqual([]);
    });
  }
});

describe('the loaded model', () => {
  const text = `version: 1
fleet: shop
defaults: { region: [nyc3, sfo3], size: s-1vcpu-1gb, image: debian-12-x64, tags: [team-a] }
accounts:
  one: { token_env: DO_ONE, droplet_limit: 5 }
  two: { token_env: DO_TWO, api_url: "http://127.0.0.1:9" }
groups:
  web: { count: 3, tags: [web] }
  db: { count: 1, accounts: [two], region: ams3, size: s-2vcpu-4gb, user_data: "#!/bin/sh\\necho hi\\n" }
scripts:
  boot: { on: [all], run: "true" }
  deploy:
    on: [web]
    run: ./deploy
    after: [boot]
    env: { N: 3, FLAG: true }
    max_parallel: 50%
    max_failures: 1
    when: { schedule: "*/5 * * * *" }
`;
  const r = loadFleet(text, { file: '/srv/fleet.yaml' });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const f = r.fleet;

  it('applies defaults and keeps file order', () => {
    expect(f.name).toBe('shop');
    expect(f.accounts.map((a) => [a.name, a.tokenEnv, a.dropletLimit, a.apiUrl])).toEqual([
      ['one', 'DO_ONE', 5, null],
      ['two', 'DO_TWO', null, 'http://127.0.0.1:9'],
    ]);
    const [web, db] = f.groups;
    expect(web).toMatchObject({ count: 3, accounts: ['one', 'two'], regions: ['nyc3', 'sfo3'], size: 's-1vcpu-1gb', image: 'debian-12-x64', userData: null, monitoring: false });
    expect(web!.tags).toEqual(['godots', 'godots-fleet:shop', 'godots-group:web', 'team-a', 'web']);
    expect(db).toMatchObject({ accounts: ['two'], regions: ['ams3'], size: 's-2vcpu-4gb', userData: '#!/bin/sh\necho hi\n' });
  });

  it('resolves scripts fully', () => {
    const [boot, deploy] = f.scripts;
    expect(boot).toMatchObject({ on: ['web', 'db'], interpreter: '/bin/sh', when: { kind: 'on-change' }, timeoutMs: 600_000, retries: 1, retryOnExit: false, maxParallel: { kind: 'percent', value: 100 }, maxFailures: null });
    expect(deploy).toMatchObject({ on: ['web'], after: ['boot'], env: { N: '3', FLAG: 'true' }, maxParallel: { kind: 'percent', value: 50 }, maxFailures: { kind: 'count', value: 1 }, when: { kind: 'schedule', cron: '*/5 * * * *' } });
  });

  it('resolves ssh paths against the fleet directory', () => {
    expect(f.ssh).toEqual({ user: 'root', privateKey: '/srv/.godots/id_ed25519', knownHosts: '/srv/.godots/known_hosts', port: 22, connectTimeoutMs: 20_000, maxConnections: 200 });
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(f)).toBe(true);
    expect(Object.isFrozen(f.groups[0]!.tags)).toBe(true);
    expect(() => (f.groups as unknown as unknown[]).push(1)).toThrow();
  });

  it('hashes the file text', () => {
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads script and user_data files relative to the fleet file', () => {
    const files: Record<string, string> = { '/srv/x/run.sh': 'echo from file', '/srv/x/ud.yaml': '#cloud-config\n' };
    const r2 = loadFleet(
      'version: 1\nfleet: f\ndefaults: {region: nyc3, size: s, image: i}\naccounts: {a: {token_env: A}}\ngroups: {g: {count: 1, user_data: ud.yaml}}\nscripts: {s: {on: [g], file: run.sh}}\n',
      { file: '/srv/x/fleet.yaml', exists: (p) => p in files, readFile: (p) => files[p]! },
    );
    expect(r2.ok && r2.fleet.scripts[0]!.text).toBe('echo from file');
    expect(r2.ok && r2.fleet.scripts[0]!.source).toEqual({ kind: 'file', path: '/srv/x/run.sh' });
    expect(r2.ok && r2.fleet.groups[0]!.userData).toBe('#cloud-config\n');
  });
});

describe('example texts', () => {
  it('the spec example file parses when its files exist', () => {
    const text = readFileSync(join(ROOT, 'examples/two-accounts.yaml'), 'utf8');
    const r = loadFleet(text, { file: join(ROOT, 'examples/two-accounts.yaml') });
    expect(r.ok).toBe(true);
  });
});
