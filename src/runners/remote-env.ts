import type { Target } from './runner-types.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A shell value that arrives verbatim: the bytes travel base64-encoded (an
 * alphabet with nothing a shell interprets) and are decoded on the droplet, so
 * quotes, `$()`, backticks and newlines in it are never parsed by any shell. The
 * trailing `x` keeps trailing newlines that command substitution would eat.
 */
export function verbatim(value: string): string {
  return `"$(printf %s '${Buffer.from(value, 'utf8').toString('base64')}' | base64 -d; printf x)"`;
}

/** A command-line word holding `value` decoded on the droplet (no trailing-newline guard: for commands). */
export function decodedWord(value: string): string {
  return `"$(printf %s '${Buffer.from(value, 'utf8').toString('base64')}' | base64 -d)"`;
}

/** `export NAME=...` lines for a POSIX shell, every value delivered verbatim. */
export function exportLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => {
      if (!NAME.test(k)) throw new Error(`environment variable name ${JSON.stringify(k)} is not valid`);
      return `${k}=${verbatim(v)}; ${k}="\${${k}%x}"; export ${k}`;
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
