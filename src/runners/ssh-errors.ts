import type { SshErrorCode } from './runner-types.js';

/** A classified SSH failure; `retryable` says whether a new connection may succeed. */
export class SshError extends Error {
  constructor(
    readonly code: SshErrorCode,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SshError';
  }
}

/** The one place where ssh2 and socket errors become stable codes. */
export function classifySshError(err: unknown, host: string): SshError {
  if (err instanceof SshError) return err;
  const e = err as NodeJS.ErrnoException & { level?: string };
  const msg = String(e?.message ?? err);
  if (e?.level === 'client-authentication' || /authentication methods failed/i.test(msg)) {
    return new SshError('AUTH', `${host}: the server refused godots' key (is the fleet key attached to the droplet?)`, false, { cause: err });
  }
  if (/timed out/i.test(msg) || e?.code === 'ETIMEDOUT') return new SshError('CONNECT_TIMEOUT', `${host}: no SSH answer in time`, true, { cause: err });
  if (e?.code === 'ECONNREFUSED') return new SshError('REFUSED', `${host}: connection refused (sshd not running yet?)`, true, { cause: err });
  if (e?.code === 'ECONNRESET' || e?.code === 'EPIPE' || /connection lost|socket hang up|closed/i.test(msg)) {
    return new SshError('RESET', `${host}: the connection dropped`, true, { cause: err });
  }
  if (e?.code === 'EHOSTUNREACH' || e?.code === 'ENETUNREACH') return new SshError('UNREACHABLE', `${host}: host unreachable`, true, { cause: err });
  return new SshError('PROTOCOL', `${host}: ${msg}`, true, { cause: err });
}
