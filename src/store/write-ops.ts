import type { Db } from './db-schema.js';

/**
 * One write of the run log, serializable so it can wait in the spool. Every op
 * is idempotent (inserts ignore existing keys, updates set values), so replaying
 * a spool twice leaves the same rows as once.
 */
export type WriteOp =
  | { readonly op: 'insert'; readonly table: keyof Db; readonly rows: readonly Record<string, unknown>[] }
  | { readonly op: 'update'; readonly table: 'runs' | 'host_runs'; readonly id: string; readonly set: Record<string, unknown>; readonly onlyIfStatus?: readonly string[] };

/** JSON with Buffers as `{ $b64 }`, for the spool file. */
export function encodeOp(op: WriteOp): string {
  return JSON.stringify(op, (_k, v: unknown) => {
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return { $b64: Buffer.from((v as { data: number[] }).data).toString('base64') };
    }
    return v;
  });
}

export function decodeOp(line: string): WriteOp {
  return JSON.parse(line, (_k, v: unknown) => {
    if (v && typeof v === 'object' && typeof (v as { $b64?: unknown }).$b64 === 'string') return Buffer.from((v as { $b64: string }).$b64, 'base64');
    return v;
  }) as WriteOp;
}

/** Merges neighbouring inserts into one table into batches of at most `max` rows. */
export function batchOps(ops: readonly WriteOp[], max: number): WriteOp[] {
  const out: WriteOp[] = [];
  for (const op of ops) {
    const prev = out[out.length - 1];
    if (op.op === 'insert' && prev?.op === 'insert' && prev.table === op.table && prev.rows.length + op.rows.length <= max) {
      out[out.length - 1] = { op: 'insert', table: op.table, rows: [...prev.rows, ...op.rows] };
    } else if (op.op === 'insert' && op.rows.length > max) {
      for (let i = 0; i < op.rows.length; i += max) out.push({ op: 'insert', table: op.table, rows: op.rows.slice(i, i + max) });
    } else out.push(op);
  }
  return out;
}
