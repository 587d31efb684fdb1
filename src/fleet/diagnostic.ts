/** Stable codes of fleet-file errors; the JSON output of `godots validate` carries them. */
export type DiagnosticCode =
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'empty-file'
  | 'not-a-mapping'
  | 'unknown-key'
  | 'missing-key'
  | 'wrong-type'
  | 'bad-value'
  | 'bad-name'
  | 'unsupported-version'
  | 'token-in-file'
  | 'unknown-group'
  | 'unknown-account'
  | 'unknown-script'
  | 'after-cycle'
  | 'run-and-file'
  | 'file-not-found'
  | 'bad-duration'
  | 'bad-quantity'
  | 'bad-cron'
  | 'unresolved-default'
  | 'duplicate-entry';

/** One positioned problem in a fleet file. Lines and columns count from 1. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly code: DiagnosticCode;
  readonly message: string;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.col - b.col || a.message.localeCompare(b.message);
}

/** Sorts by position and drops exact repeats (two checks may find the same fault). */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...list].sort(compareDiagnostics)) {
    const key = `${d.line}:${d.col}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

/** `PATH:LINE:COL: error: MESSAGE`, the format editors and CI annotators understand. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: error: ${d.message}`;
}
