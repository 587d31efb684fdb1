import { isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { parseCron, parseQuantity } from './formats.js';
import { didYouMean } from './suggest.js';
import { isInlineUserData } from './user-data.js';
import type { DataPath, YamlSource } from './yaml-source.js';

/** How semantic checks see the filesystem; injected so tests can run without files. */
export interface FleetFiles {
  exists(absolutePath: string): boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const entries = (v: unknown): [string, Obj][] =>
  isObj(v) ? Object.entries(v).filter((e): e is [string, Obj] => isObj(e[1])) : [];
const strings = (v: unknown): [number, string][] =>
  Array.isArray(v) ? v.map((s, i) => [i, s] as [number, unknown]).filter((e): e is [number, string] => typeof e[1] === 'string') : [];

// A droplet name is a hostname label: at most 63 characters.
const MAX_LABEL = 63;

/**
 * Checks what a schema cannot: references between sections, files on disk,
 * cycles, formats with ranges, and values inherited from `defaults`.
 */
export function checkSemantics(source: YamlSource, baseDir: string, files: FleetFiles): Diagnostic[] {
  const out: Diagnostic[] = [];
  const root = source.data;
  if (!isObj(root)) return out;
  const at = (path: DataPath, code: Diagnostic['code'], message: string, where: 'key' | 'value' = 'value') =>
    out.push(source.at(path, code, message, where));
  const fileMissing = (rel: string) => !files.exists(isAbsolute(rel) ? rel : resolve(baseDir, rel));

  const accountNames = entries(root.accounts).map(([n]) => n);
  const groupEntries = entries(root.groups);
  const groupNames = groupEntries.map(([n]) => n);
  const scriptEntries = entries(root.scripts);
  const scriptNames = scriptEntries.map(([n]) => n);
  const defaults = isObj(root.defaults) ? root.defaults : {};
  const fleetName = typeof root.fleet === 'string' ? root.fleet : '';

  for (const [name, account] of entries(root.accounts)) {
    if (typeof account.token_env === 'string' && looksLikeToken(account.token_env)) {
      // Never echo it: this is the one value most likely to be a real secret.
      at(['accounts', name, 'token_env'], 'token-in-file', `token_env of account '${name}' looks like a token itself; put the token in an environment variable and write that variable's NAME here (such as DO_TOKEN_${name.toUpperCase().replace(/-/g, '_')})`);
    }
  }

  for (const [name, group] of groupEntries) {
    const base = ['groups', name];
    for (const [i, acct] of strings(group.accounts)) {
      if (!accountNames.includes(acct)) {
        at([...base, 'accounts', i], 'unknown-account', `unknown account '${acct}' in group '${name}'${didYouMean(acct, accountNames)} (accounts: ${accountNames.join(', ') || 'none defined'})`);
      }
    }
    if (group.accounts === undefined && accountNames.length === 0 && typeof group.count === 'number' && group.count > 0) {
      at(base, 'unknown-account', `group '${name}' has droplets but the fleet defines no accounts to place them in`, 'key');
    }
    for (const key of ['region', 'size', 'image'] as const) {
      if (group[key] === undefined && defaults[key] === undefined) {
        at(base, 'unresolved-default', `group '${name}' has no ${key}: set ${key} in the group or in defaults`, 'key');
      }
    }
    if (typeof group.count === 'number' && Number.isInteger(group.count) && fleetName) {
      const longest = `${fleetName}-${name}-${Math.max(0, group.count - 1)}`;
      if (longest.length > MAX_LABEL) {
        at(base, 'bad-name', `droplet name '${longest}' would be ${longest.length} characters; DigitalOcean hostnames allow ${MAX_LABEL}: shorten the fleet or group name`, 'key');
      }
    }
    if (typeof group.user_data === 'string' && !isInlineUserData(group.user_data) && fileMissing(group.user_data)) {
      at([...base, 'user_data'], 'file-not-found', `user_data file '${group.user_data}' does not exist (paths are relative to the fleet file; inline text needs several lines or a leading #! or #cloud-config)`);
    }
  }

  for (const [name, script] of scriptEntries) {
    const base = ['scripts', name];
    for (const [i, g] of strings(script.on)) {
      if (g === 'all') {
        if (strings(script.on).length > 1) at([...base, 'on', i], 'bad-value', `script '${name}': 'all' cannot be combined with group names`);
      } else if (!groupNames.includes(g)) {
        at([...base, 'on', i], 'unknown-group', `unknown group '${g}' in script '${name}'${didYouMean(g, [...groupNames, 'all'])}`);
      }
    }
    const hasRun = script.run !== undefined;
    const hasFile = script.file !== undefined;
    if (hasRun && hasFile) at([...base, 'file'], 'run-and-file', `script '${name}' has both run and file; keep exactly one`, 'key');
    if (!hasRun && !hasFile) at(base, 'run-and-file', `script '${name}' needs its text: add run (inline) or file (a path)`, 'key');
    if (typeof script.file === 'string' && script.file && fileMissing(script.file)) {
      at([...base, 'file'], 'file-not-found', `script file '${script.file}' does not exist (paths are relative to the fleet file)`);
    }
    for (const [i, entry] of (Array.isArray(script.upload) ? script.upload : []).entries()) {
      if (isObj(entry) && typeof entry.src === 'string' && entry.src && fileMissing(entry.src)) {
        at([...base, 'upload', i, 'src'], 'file-not-found', `upload source '${entry.src}' does not exist (paths are relative to the fleet file)`);
      }
    }
    for (const [i, dep] of strings(script.after)) {
      if (dep === name) at([...base, 'after', i], 'after-cycle', `script '${name}' cannot run after itself`);
      else if (!scriptNames.includes(dep)) at([...base, 'after', i], 'unknown-script', `unknown script '${dep}' in after of script '${name}'${didYouMean(dep, scriptNames)}`);
    }
    if (isObj(script.when) && typeof script.when.schedule === 'string') {
      const cron = parseCron(script.when.schedule);
      if (!cron.ok) at([...base, 'when', 'schedule'], 'bad-cron', cron.message);
    }
    for (const key of ['max_parallel', 'max_failures'] as const) {
      const v = script[key];
      if (typeof v === 'number' || typeof v === 'string') {
        const q = parseQuantity(v);
        // Values the schema's pattern already refused get its message, not a second one.
        if (q === undefined && typeof v === 'string' && /^(100|[0-9]{1,2})(\.[0-9]+)?%$/.test(v)) {
          at([...base, key], 'bad-quantity', `${key} of script '${name}' '${v}' is out of range: percentages go from 0% to 100%`);
        } else if (key === 'max_parallel' && q && q.value === 0) {
          at([...base, key], 'bad-quantity', `max_parallel of script '${name}' must allow at least one host (1 or more, or more than 0%)`);
        }
      }
    }
  }

  checkCycles(scriptEntries, at);
  return out;
}

function checkCycles(
  scripts: [string, Obj][],
  at: (path: DataPath, code: Diagnostic['code'], message: string) => void,
): void {
  const deps = new Map(scripts.map(([n, s]) => [n, strings(s.after).filter(([, d]) => d !== n)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const [i, dep] of deps.get(name) ?? []) {
      if (!deps.has(dep)) continue;
      if (state.get(dep) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const key = [...cycle].slice(0, -1).sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          at(['scripts', name, 'after', i], 'after-cycle', `scripts wait on each other in a cycle: ${cycle.join(' -> ')}`);
        }
      } else if (state.get(dep) === undefined) visit(dep);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const [name] of scripts) if (state.get(name) === undefined) visit(name);
}

/** DigitalOcean token prefixes, or a long run of hex that no one names a variable. */
function looksLikeToken(value: string): boolean {
  return /^do[por]_v1_/i.test(value) || /[0-9a-f]{32,}/i.test(value);
}
