import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { doClient } from '../../helpers/do-client.js';

let emu: RunningEmulator;
let now = 1_800_000_000_000;
const clock = { now: () => now };
const key = ssh2.utils.generateKeyPairSync('ed25519');
const base = { region: 'nyc3', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' };

beforeAll(async () => {
  emu = await startEmulator({
    accounts: [
      { name: 'alpha', token: 'tok-alpha', dropletLimit: 3 },
      { name: 'beta', token: 'tok-beta', dropletLimit: 30 },
      { name: 'limited', token: 'tok-limited' },
    ],
    port: 0,
    hosts: 'builtin',
    bootDelayMs: 5_000,
    clock,
    rateLimits: { perHour: 10_000, perMinute: 10_000 },
    addressPrefix: '127.11',
  });
});
afterAll(async () => {
  await emu?.stop();
});

describe('emulated DigitalOcean API', () => {
  it('refuses an unknown token with DigitalOcean\'s 401 body', async () => {
    const api = doClient(emu.url, 'wrong');
    const r = await api('GET', '/v2/account');
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ id: 'Unauthorized', message: 'Unable to authenticate you' });
  });

  it('keeps one state per token and reports the account limit', async () => {
    const a = await doClient(emu.url, 'tok-alpha')('GET', '/v2/account');
    const b = await doClient(emu.url, 'tok-beta')('GET', '/v2/account');
    expect(a.body.account.droplet_limit).toBe(3);
    expect(b.body.account.droplet_limit).toBe(30);
    expect(a.body.account.uuid).not.toBe(b.body.account.uuid);
    expect(Number(a.headers.get('ratelimit-limit'))).toBe(10_000);
  });

  it('manages SSH keys with DigitalOcean-style MD5 fingerprints', async () => {
    const api = doClient(emu.url, 'tok-alpha');
    const created = await api('POST', '/v2/account/keys', { name: 'fleet', public_key: key.public });
    expect(created.status).toBe(201);
    const fp = created.body.ssh_key.fingerprint as string;
    expect(fp).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect((await api('GET', `/v2/account/keys/${fp}`)).body.ssh_key.id).toBe(created.body.ssh_key.id);
    expect((await api('PUT', `/v2/account/keys/${created.body.ssh_key.id}`, { name: 'renamed' })).body.ssh_key.name).toBe('renamed');
    const dup = await api('POST', '/v2/account/keys', { name: 'again', public_key: key.public });
    expect(dup.status).toBe(422);
    const bad = await api('POST', '/v2/account/keys', { name: 'bad', public_key: 'ssh-ed25519 notakey' });
    expect(bad.status).toBe(422);
    expect((await api('GET', '/v2/account/keys')).body.meta.total).toBe(1);
    const other = doClient(emu.url, 'tok-beta');
    expect((await other('GET', `/v2/account/keys/${created.body.ssh_key.id}`)).status).toBe(404);
  });

  it('creates droplets singly and in bulk, new then active after the boot delay', async () => {
    const api = doClient(emu.url, 'tok-beta');
    const one = await api('POST', '/v2/droplets', { ...base, name: 'web-0', tags: ['godots', 'web'] });
    expect(one.status).toBe(202);
    expect(one.body.droplet.status).toBe('new');
    expect(one.body.links.actions[0]).toMatchObject({ rel: 'create' });
    const bulk = await api('POST', '/v2/droplets', { ...base, names: ['web-1', 'web-2', 'web-3'], tags: ['godots'] });
    expect(bulk.status).toBe(202);
    expect(bulk.body.droplets).toHaveLength(3);
    const action = await api('GET', `/v2/actions/${one.body.links.actions[0].id}`);
    expect(action.body.action).toMatchObject({ type: 'create', resource_type: 'droplet', resource_id: one.body.droplet.id });
    now += 5_000;
    const got = await api('GET', `/v2/droplets/${one.body.droplet.id}`);
    expect(got.body.droplet.status).toBe('active');
    expect(got.body.droplet.networks.v4[0]).toMatchObject({ type: 'public' });
    expect(got.body.droplet.networks.v4[0].ip_address).toMatch(/^127\.11\.\d+\.\d+$/);
    expect(got.body.droplet).toMatchObject({ size_slug: 's-1vcpu-1gb', region: { slug: 'nyc3' }, image: { slug: 'ubuntu-24-04-x64' }, locked: false });
  });

  it('refuses more than 10 names, bad slugs and bad hostnames with 422', async () => {
    const api = doClient(emu.url, 'tok-beta');
    const names = Array.from({ length: 11 }, (_, i) => `n-${i}`);
    expect((await api('POST', '/v2/droplets', { ...base, names })).status).toBe(422);
    expect((await api('POST', '/v2/droplets', { ...base, name: 'x', size: 'huge' })).body.message).toContain('invalid size');
    expect((await api('POST', '/v2/droplets', { ...base, name: 'x', region: 'mars1' })).body.message).toContain('invalid region');
    expect((await api('POST', '/v2/droplets', { ...base, name: 'x', image: 'windows' })).body.message).toContain('invalid image');
    expect((await api('POST', '/v2/droplets', { ...base, name: 'bad_name!' })).body.message).toContain('hostname');
  });

  it('enforces the account droplet limit with DigitalOcean\'s message', async () => {
    const api = doClient(emu.url, 'tok-alpha');
    expect((await api('POST', '/v2/droplets', { ...base, names: ['a-0', 'a-1'] })).status).toBe(202);
    const over = await api('POST', '/v2/droplets', { ...base, names: ['a-2', 'a-3'] });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ id: 'unprocessable_entity', message: 'creating this/these droplet(s) will exceed your droplet limit' });
    expect((await api('POST', '/v2/droplets', { ...base, name: 'a-2' })).status).toBe(202);
    expect((await api('GET', '/v2/droplets')).body.meta.total).toBe(3);
  });

  it('paginates with links and meta.total, and filters by tag', async () => {
    const api = doClient(emu.url, 'tok-beta');
    const p1 = await api('GET', '/v2/droplets?per_page=2&page=1');
    expect(p1.body.droplets).toHaveLength(2);
    expect(p1.body.meta.total).toBe(4);
    expect(p1.body.links.pages.next).toContain('page=2');
    const p2 = await api('GET', '/v2/droplets?per_page=2&page=2');
    expect(p2.body.links.pages.prev).toContain('page=1');
    expect(p2.body.links.pages.next).toBeUndefined();
    const ids = [...p1.body.droplets, ...p2.body.droplets].map((d: { id: number }) => d.id);
    expect(new Set(ids).size).toBe(4);
    expect((await api('GET', '/v2/droplets?tag_name=web')).body.droplets.map((d: { name: string }) => d.name)).toEqual(['web-0']);
  });

  it('counts tagged resources, tags idempotently, tags and untags droplets', async () => {
    const api = doClient(emu.url, 'tok-beta');
    expect((await api('POST', '/v2/tags', { name: 'extra' })).status).toBe(201);
    expect((await api('POST', '/v2/tags', { name: 'extra' })).status).toBe(201);
    const [d] = (await api('GET', '/v2/droplets?tag_name=web')).body.droplets;
    expect((await api('POST', '/v2/tags/extra/resources', { resources: [{ resource_id: String(d.id), resource_type: 'droplet' }] })).status).toBe(204);
    const tag = await api('GET', '/v2/tags/extra');
    expect(tag.body.tag.resources).toMatchObject({ count: 1, droplets: { count: 1 }, volumes: { count: 0 }, databases: { count: 0 } });
    expect((await api('DELETE', '/v2/tags/extra/resources', { resources: [{ resource_id: String(d.id), resource_type: 'droplet' }] })).status).toBe(204);
    expect((await api('GET', '/v2/tags/godots')).body.tag.resources.droplets.count).toBe(4);
    expect((await api('DELETE', '/v2/tags/extra')).status).toBe(204);
    expect((await api('GET', '/v2/tags/extra')).status).toBe(404);
    expect((await api('POST', '/v2/tags', { name: 'has space' })).status).toBe(400);
  });

  it('runs droplet actions: resize needs power off, rename, power on', async () => {
    const api = doClient(emu.url, 'tok-beta');
    const [d] = (await api('GET', '/v2/droplets?tag_name=web')).body.droplets;
    const refused = await api('POST', `/v2/droplets/${d.id}/actions`, { type: 'resize', size: 's-2vcpu-4gb' });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('power it off');
    expect((await api('POST', `/v2/droplets/${d.id}/actions`, { type: 'power_off' })).status).toBe(201);
    expect((await api('GET', `/v2/droplets/${d.id}`)).body.droplet.status).toBe('off');
    const resize = await api('POST', `/v2/droplets/${d.id}/actions`, { type: 'resize', size: 's-2vcpu-4gb' });
    expect(resize.body.action).toMatchObject({ type: 'resize', status: 'completed' });
    await api('POST', `/v2/droplets/${d.id}/actions`, { type: 'power_on' });
    await api('POST', `/v2/droplets/${d.id}/actions`, { type: 'rename', name: 'web-zero' });
    const after = (await api('GET', `/v2/droplets/${d.id}`)).body.droplet;
    expect(after).toMatchObject({ name: 'web-zero', size_slug: 's-2vcpu-4gb', status: 'active' });
    const acts = await api('GET', `/v2/droplets/${d.id}/actions`);
    expect(acts.body.actions.map((a: { type: string }) => a.type)).toEqual(['create', 'power_off', 'resize', 'power_on', 'rename']);
    expect((await api('GET', `/v2/droplets/${d.id}/actions/${resize.body.action.id}`)).body.action.id).toBe(resize.body.action.id);
  });

  it('deletes by id and by tag', async () => {
    const api = doClient(emu.url, 'tok-beta');
    const [d] = (await api('GET', '/v2/droplets?tag_name=web')).body.droplets;
    expect((await api('DELETE', `/v2/droplets/${d.id}`)).status).toBe(204);
    expect((await api('GET', `/v2/droplets/${d.id}`)).status).toBe(404);
    expect((await api('DELETE', '/v2/droplets?tag_name=godots')).status).toBe(204);
    expect((await api('GET', '/v2/droplets')).body.meta.total).toBe(0);
  });

  it('lists regions, sizes with prices, and images', async () => {
    const api = doClient(emu.url, 'tok-beta');
    const sizes = await api('GET', '/v2/sizes?per_page=200');
    const small = sizes.body.sizes.find((s: { slug: string }) => s.slug === 's-1vcpu-1gb');
    expect(small).toMatchObject({ price_monthly: 6, price_hourly: 0.00893 });
    expect((await api('GET', '/v2/regions')).body.regions.map((r: { slug: string }) => r.slug)).toContain('nyc3');
    expect((await api('GET', '/v2/images')).body.images.map((i: { slug: string }) => i.slug)).toContain('debian-12-x64');
  });

  it('fails the next N requests of an account on demand, then recovers', async () => {
    emu.faults.failNext('limited', 2, 503);
    const api = doClient(emu.url, 'tok-limited');
    expect((await api('GET', '/v2/account')).status).toBe(503);
    expect((await api('GET', '/v2/account')).status).toBe(503);
    expect((await api('GET', '/v2/account')).status).toBe(200);
    expect((await doClient(emu.url, 'tok-beta')('GET', '/v2/account')).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('answers 429 past the per-minute limit and recovers when the window moves', async () => {
    let t = 1_900_000_000_000;
    const small = await startEmulator({ accounts: [{ name: 'r', token: 'tok-r' }], port: 0, hosts: 'builtin', clock: { now: () => t }, rateLimits: { perHour: 5, perMinute: 3 }, addressPrefix: '127.13' });
    try {
      const api = doClient(small.url, 'tok-r');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await api('GET', '/v2/account')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await api('GET', '/v2/account');
      expect(limited.body).toMatchObject({ id: 'too_many_requests' });
      expect(limited.headers.get('ratelimit-remaining')).toBe('2');
      t += 61_000;
      expect((await api('GET', '/v2/account')).status).toBe(200);
      expect((await api('GET', '/v2/account')).status).toBe(200);
      expect((await api('GET', '/v2/account')).status).toBe(429);
      expect(Number((await api('GET', '/v2/account')).headers.get('ratelimit-reset'))).toBe(Math.ceil((1_900_000_000_000 + 3_600_000) / 1000));
    } finally {
      await small.stop();
    }
  });
});
