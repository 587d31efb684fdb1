import type { DataPath } from './yaml-source.js';

const SECTION_NOUN: Record<string, string> = { accounts: 'account', groups: 'group', scripts: 'script' };

/** Human name of the object at `path`: "group 'crawler'", "upload entry 2 of script 'sync'", "ssh". */
export function describeObject(path: DataPath): string {
  if (path.length === 0) return 'the fleet file';
  const [section, name, list, index] = path;
  const noun = SECTION_NOUN[String(section)];
  if (noun === undefined) return String(section);
  if (path.length === 1) return String(section);
  const owner = `${noun} '${String(name)}'`;
  if (path.length === 2) return owner;
  if (path.length === 3) return `${String(list)} of ${owner}`;
  if (typeof index === 'number') return `${String(list)} entry ${index + 1} of ${owner}`;
  return `${String(list)} of ${owner}`;
}

/** Human name of the value at `path`: "count of group 'crawler'", "version". */
export function describeValue(path: DataPath): string {
  if (path.length === 0) return 'the fleet file';
  const last = path[path.length - 1]!;
  const parent = path.slice(0, -1);
  if (typeof last === 'number') return `entry ${last + 1} of ${describeValue(parent)}`;
  if (parent.length === 0) return last;
  if (parent.length === 1 && SECTION_NOUN[String(parent[0])] !== undefined) return `${SECTION_NOUN[String(parent[0])]} '${last}'`;
  return `${last} of ${describeObject(parent)}`;
}

/** A short, quoted rendering of a value for messages. */
export function preview(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // Control characters are escaped once for every message, where diagnostics are made (yaml-source.ts).
  const text = typeof value === 'string' ? `'${value}'` : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...'` : text;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}
