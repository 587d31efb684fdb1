import { isAbsolute, resolve } from 'node:path';
import { GodotsError } from '../core/godots-error.js';

export type DbTarget = { readonly dialect: 'sqlite'; readonly path: string } | { readonly dialect: 'mysql'; readonly url: string };

/** The default: `sqlite:.godots/godots.db` beside the fleet file. */
export function defaultDbUrl(): string {
  return 'sqlite:.godots/godots.db';
}

/** `sqlite:PATH` (relative to `baseDir`) or `mysql://user:pass@host:port/db`. */
export function parseDbUrl(url: string, baseDir: string): DbTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new GodotsError('USAGE', 'sqlite: needs a path, such as sqlite:.godots/godots.db');
    return { dialect: 'sqlite', path: path === ':memory:' || isAbsolute(path) ? path : resolve(baseDir, path) };
  }
  if (/^(mysql|mariadb):\/\//.test(url)) {
    const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
    if (!u.pathname.replace(/^\//, '')) throw new GodotsError('USAGE', 'the MySQL URL needs a database name: mysql://user:pass@host:port/DB');
    return { dialect: 'mysql', url: u.toString() };
  }
  throw new GodotsError('USAGE', `--db must be sqlite:PATH or mysql://user:pass@host:port/db, not ${redactUrl(url)}`);
}

/** A database URL fit for messages: the password never shows. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
