import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driftMarkdown, planMarkdown, type DriftReport, type FleetPlan } from '../../../src/reconciler/index.js';

const GOLDEN = join(import.meta.dirname, '../../golden');

/** Compares with the recorded file; UPDATE_GOLDEN=1 records it instead (review the diff before committing). */
function golden(name: string, text: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

function plan(droplets: number, accounts: number): FleetPlan {
  const names = Array.from({ length: accounts }, (_, i) => `acct-${i}`);
  const per = Math.ceil(droplets / accounts);
  const steps = Array.from({ length: droplets }, (_, i) => ({
    account: names[Math.floor(i / per)]!, action: (i % 7 === 3 ? 'resize' : 'create') as 'create' | 'resize', name: `big-crawler-${i}`,
    id: i % 7 === 3 ? 1000 + i : null, detail: i % 7 === 3 ? 's-1vcpu-1gb -> s-2vcpu-4gb' : 's-1vcpu-1gb in nyc3', desired: null,
  }));
  const scripts = Array.from({ length: droplets * 2 }, (_, i) => ({
    script: i % 2 ? 'crawl' : 'bootstrap', version: 'v', run: i % 5 !== 0, reason: i % 5 === 0 ? 'up to date' : i % 3 ? 'new droplet' : 'changed version',
    droplet: { name: `big-crawler-${Math.floor(i / 2)}`, id: null, account: names[0]!, group: 'crawler', index: Math.floor(i / 2) },
  }));
  return {
    fleet: 'big', fleetSha256: 'ab'.repeat(32), gitCommit: '0123456789abcdef0123', engine: 'direct',
    accounts: names.map((a, i) => ({ account: a, create: steps.filter((s) => s.account === a && s.action === 'create').length, delete: 0, update: steps.filter((s) => s.account === a && s.action === 'resize').length, unchanged: i, capacity: per + 5, used: per })),
    steps, scripts, cost: { before: { hourly: 0.1, monthly: 60 }, after: { hourly: droplets * 0.00893, monthly: droplets * 6 } },
    unmanaged: [], changes: true, use: [],
  };
}

function drift(items: number): DriftReport {
  const kinds = ['deleted', 'resized', 'retagged', 'unmanaged', 'script'] as const;
  return {
    fleet: 'big',
    items: Array.from({ length: items }, (_, i) => ({ kind: kinds[i % kinds.length]!, account: 'acct-0', droplet: `big-crawler-${i}`, detail: `detail of item ${i}`, fix: 'godots apply' })),
  };
}

describe('markdown reports', () => {
  it('small plan', () => golden('plan-small.md', planMarkdown(plan(3, 1))));
  it('large plan', () => golden('plan-large.md', planMarkdown(plan(120, 3))));
  it('huge plan stays under GitHub\'s comment limit with details collapsed and summarised', () => {
    const text = planMarkdown(plan(20_000, 8));
    expect(text.length).toBeLessThan(65_536);
    expect(text).toContain('<details><summary>Droplet changes (20000)</summary>');
    expect(text).toMatch(/- … and \d+ more \(see `godots plan --format json`\)/);
    golden('plan-huge.md', text);
  });
  it('no-change plan', () => golden('plan-none.md', planMarkdown({ ...plan(0, 1), changes: false })));
  it('small drift', () => golden('drift-small.md', driftMarkdown(drift(3))));
  it('huge drift stays under the limit', () => {
    const text = driftMarkdown(drift(20_000));
    expect(text.length).toBeLessThan(65_536);
    expect(text).toMatch(/and \d+ more/);
    golden('drift-huge.md', text);
  });
  it('clean drift', () => golden('drift-none.md', driftMarkdown(drift(0))));
  it('the plan names the commit it planned', () => {
    expect(planMarkdown(plan(1, 1)).split('\n')[0]).toBe('### godots plan: `big` at `0123456789ab`');
  });
});
