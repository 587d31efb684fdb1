import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron, parseDuration, parseQuantity, resolveQuantity } from '../../../src/fleet/index.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
  ])('%s', (t, ms) => expect(parseDuration(t)).toBe(ms));
  it.each(['', '10', '1.5h', '10 m', '0s', '-1m', '1d'])('rejects %j', (t) => expect(parseDuration(t)).toBeUndefined());
});

describe('quantities', () => {
  it('reads counts and percentages', () => {
    expect(parseQuantity(5)).toEqual({ kind: 'count', value: 5 });
    expect(parseQuantity('25%')).toEqual({ kind: 'percent', value: 25 });
    expect(parseQuantity('100%')).toEqual({ kind: 'percent', value: 100 });
    expect(parseQuantity('100.5%')).toBeUndefined();
    expect(parseQuantity(-1)).toBeUndefined();
    expect(parseQuantity('5')).toBeUndefined();
  });
  it('resolves against targets, never to zero when a percentage is positive', () => {
    expect(resolveQuantity({ kind: 'percent', value: 25 }, 10)).toBe(2);
    expect(resolveQuantity({ kind: 'percent', value: 1 }, 10)).toBe(1);
    expect(resolveQuantity({ kind: 'percent', value: 0 }, 10)).toBe(0);
    expect(resolveQuantity({ kind: 'count', value: 3 }, 10)).toBe(3);
  });
});

describe('cron', () => {
  it('accepts the usual forms', () => {
    for (const e of ['* * * * *', '*/15 0-6 * * 1-5', '0 3 1,15 jan-jun sun', '@daily', '5 4 * * 7']) {
      expect(parseCron(e).ok, e).toBe(true);
    }
  });
  it.each([
    ['* * * *', 'five'],
    ['60 * * * *', 'out of range 0-59'],
    ['0 0 0 * *', 'out of range 1-31'],
    ['0 0 * 13 *', 'out of range 1-12'],
    ['0 0 * * 8', 'out of range 0-7'],
    ['5-1 * * * *', 'backwards'],
    ['*/0 * * * *', 'at least 1'],
    ['a * * * *', 'not a number'],
  ])('rejects %j', (e, why) => {
    const r = parseCron(e);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(why);
  });
  it('finds the next time', () => {
    const spec = parseCron('15 3 * * *');
    if (!spec.ok) throw new Error(spec.message);
    expect(nextCronTime(spec.spec, new Date('2026-12-04T10:00:00Z'))?.toISOString()).toBe('2026-12-05T03:15:00.000Z');
    const mon = parseCron('0 9 * * mon');
    if (!mon.ok) throw new Error(mon.message);
    expect(nextCronTime(mon.spec, new Date('2026-12-04T10:00:00Z'))?.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    const sunday = parseCron('0 0 * * 7');
    if (!sunday.ok) throw new Error(sunday.message);
    expect(nextCronTime(sunday.spec, new Date('2026-12-04T10:00:00Z'))?.toISOString()).toBe('2026-12-06T00:00:00.000Z');
  });
});
