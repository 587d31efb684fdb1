import type { Quantity } from './fleet-model.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `90s`, `10m`, `1h` to milliseconds; undefined when malformed or zero. */
export function parseDuration(text: string): number | undefined {
  const m = /^([0-9]+)(s|m|h)$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** `N` (hosts, >= 0) or `P%` (0–100) to a Quantity; undefined when malformed or out of range. */
export function parseQuantity(value: number | string): Quantity | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? { kind: 'count', value } : undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)%$/.exec(value);
  if (!m) return undefined;
  const pct = Number(m[1]);
  return pct >= 0 && pct <= 100 ? { kind: 'percent', value: pct } : undefined;
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

const NAMES: Record<string, Record<string, number>> = {
  month: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
  'day of week': { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/** A parsed cron expression: the allowed values of each of the five fields. */
export interface CronSpec {
  readonly minute: ReadonlySet<number>;
  readonly hour: ReadonlySet<number>;
  readonly dayOfMonth: ReadonlySet<number>;
  readonly month: ReadonlySet<number>;
  readonly dayOfWeek: ReadonlySet<number>;
  /** Standard cron: when both day fields are restricted, either one matching suffices. */
  readonly dayOr: boolean;
}

export type CronResult = { ok: true; spec: CronSpec } | { ok: false; message: string };

/** Parses a five-field cron expression (or an @macro), checking every range. */
export function parseCron(expression: string): CronResult {
  const text = MACROS[expression.trim()] ?? expression.trim();
  const parts = text.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    return { ok: false, message: `cron expression '${expression}' has ${parts.length} field${parts.length === 1 ? '' : 's'}; it needs five: minute hour day-of-month month day-of-week` };
  }
  const sets: Set<number>[] = [];
  for (const [i, field] of CRON_FIELDS.entries()) {
    const r = parseField(parts[i]!, field);
    if (typeof r === 'string') return { ok: false, message: `cron expression '${expression}': ${r}` };
    sets.push(r);
  }
  const dow = sets[4]!;
  if (dow.has(7)) {
    dow.delete(7);
    dow.add(0);
  }
  return {
    ok: true,
    spec: {
      minute: sets[0]!, hour: sets[1]!, dayOfMonth: sets[2]!, month: sets[3]!, dayOfWeek: dow,
      dayOr: parts[2] !== '*' && parts[4] !== '*',
    },
  };
}

function parseField(text: string, field: (typeof CRON_FIELDS)[number]): Set<number> | string {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^(\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:\/([0-9]+))?$/i.exec(item);
    if (!m) return `${field.name} field '${text}' is not a number, range, list or step`;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return `${field.name} step must be at least 1`;
    let lo: number = field.min;
    let hi: number = field.max;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-');
      const va = value(a!, field.name);
      const vb = b === undefined ? (m[2] === undefined ? va : field.max) : value(b, field.name);
      if (va === undefined || vb === undefined) return `${field.name} value '${item}' is not a number`;
      if (va < field.min || va > field.max || vb < field.min || vb > field.max) {
        return `${field.name} value '${item}' is out of range ${field.min}-${field.max}`;
      }
      if (va > vb) return `${field.name} range '${item}' runs backwards`;
      lo = va;
      hi = vb;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, fieldName: string): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  return NAMES[fieldName]?.[text.toLowerCase()];
}

/** The first minute strictly after `after` that the spec matches (UTC), within four years. */
export function nextCronTime(spec: CronSpec, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 4 * 366 * 24 * 3_600_000;
  while (t.getTime() <= limit) {
    if (!spec.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
      continue;
    }
    const domOk = spec.dayOfMonth.has(t.getUTCDate());
    const dowOk = spec.dayOfWeek.has(t.getUTCDay());
    if (!(spec.dayOr ? domOk || dowOk : domOk && dowOk)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
      continue;
    }
    if (!spec.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
      continue;
    }
    if (!spec.minute.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      continue;
    }
    return t;
  }
  return undefined;
}
