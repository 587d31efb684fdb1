import type { Target } from './runner-types.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A POSIX shell word holding `value` verbatim: inside single quotes nothing is
 * interpreted (no `$`, backticks, backslashes or newlines), and a single quote
 * itself is closed, escaped and reopened. So no value can inject a command,
 * and no decoder process runs on the droplet.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='...'` lines for a POSIX shell, every value delivered verbatim. */
export function exportLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => {
      if (!NAME.test(k)) throw new Error(`environment variable name ${JSON.stringify(k)} is not valid`);
      if (v.includes('\0')) throw new Error(`environment variable ${k} contains a NUL byte, which no environment can hold`);
      return `export ${k}=${shellQuote(v)}`;
    })
    .join('\n');
}

/** The GODOTS_* variables of FLEET_SPEC.md for one target. */
export function godotsEnv(fleet: string, target: Target, runId: string): Record<string, string> {
  return {
    GODOTS_FLEET: fleet,
    GODOTS_GROUP: target.group,
    GODOTS_ACCOUNT: target.account,
    GODOTS_HOST: target.name,
    GODOTS_INDEX: String(target.index),
    GODOTS_COUNT: String(target.count),
    GODOTS_RUN_ID: runId,
  };
}
