import { describe, expect, it } from 'vitest';
import { loadFleet, placeFleet, type Fleet } from '../../../src/fleet/index.js';

function fleet(count: number, accounts = '[a, b]', limits = { a: 3, b: 10 }): Fleet {
  const r = loadFleet(`version: 1
fleet: f
defaults: { region: [nyc3, sfo3], size: s-1vcpu-1gb, image: debian-12-x64 }
accounts:
  a: { token_env: A, droplet_limit: ${limits.a} }
  b: { token_env: B }
groups:
  g: { count: ${count}, accounts: ${accounts} }
`, { file: '/x/fleet.yaml' });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.fleet;
}
const caps = (b = 10, foreignA = 0) => [{ account: 'a', apiLimit: 25, foreign: foreignA }, { account: 'b', apiLimit: b, foreign: 0 }];
const where = (p: ReturnType<typeof placeFleet>) => (p.ok ? p.droplets.map((d) => `${d.name}@${d.account}/${d.region}`) : p.message);

describe('placement', () => {
  it('fills accounts in order by free quota, regions round-robin', () => {
    expect(where(placeFleet(fleet(6), caps(), []))).toEqual(['f-g-0@a/nyc3', 'f-g-1@a/sfo3', 'f-g-2@a/nyc3', 'f-g-3@b/sfo3', 'f-g-4@b/nyc3', 'f-g-5@b/sfo3']);
  });

  it('is sticky: existing droplets stay where they are, new ones fill free quota', () => {
    const existing = ['f-g-0', 'f-g-1', 'f-g-2'].map((name) => ({ account: 'b', name }));
    const p = placeFleet(fleet(5), caps(), existing);
    expect(where(p)).toEqual(['f-g-0@b/nyc3', 'f-g-1@b/sfo3', 'f-g-2@b/nyc3', 'f-g-3@a/sfo3', 'f-g-4@a/nyc3']);
  });

  it('scales down by dropping the highest indices', () => {
    const existing = ['f-g-0', 'f-g-1', 'f-g-2', 'f-g-3'].map((name, i) => ({ account: i < 3 ? 'a' : 'b', name }));
    expect(where(placeFleet(fleet(2), caps(), existing))).toEqual(['f-g-0@a/nyc3', 'f-g-1@a/sfo3']);
  });

  it('counts droplets outside the fleet against the quota', () => {
    const p = placeFleet(fleet(4), caps(10, 2), []);
    expect(where(p)).toEqual(['f-g-0@a/nyc3', 'f-g-1@b/sfo3', 'f-g-2@b/nyc3', 'f-g-3@b/sfo3']);
    expect(p.use).toEqual([{ account: 'a', capacity: 1, used: 1 }, { account: 'b', capacity: 10, used: 3 }]);
  });

  it('refuses, naming the shortage and the full accounts, when the fleet does not fit', () => {
    const p = placeFleet(fleet(15), caps(10), []);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.missing).toBe(2);
    expect(p.message).toContain('2 droplets cannot be placed: group g is 2 droplets short');
    expect(p.message).toContain('a is full (3 of 3 free slots used; API limit 25, droplet_limit 3, 0 outside the fleet)');
    expect(p.message).toContain('b is full (10 of 10');
  });

  it('moves droplets out of an account the group no longer lists', () => {
    const p = placeFleet(fleet(2, '[b]'), caps(), [{ account: 'a', name: 'f-g-0' }]);
    expect(where(p)).toEqual(['f-g-0@b/nyc3', 'f-g-1@b/sfo3']);
  });
});
