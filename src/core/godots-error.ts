/** Stable error codes; callers branch on these, never on message text. */
export type GodotsErrorCode =
  | 'FLEET_INVALID'
  | 'FLEET_UNREADABLE'
  | 'USAGE'
  | 'DB_UNAVAILABLE'
  | 'TOKEN_MISSING'
  | 'QUOTA'
  | 'LOCKED'
  | 'STACK'
  | 'INTERNAL';

/**
 * The one error class godots throws across module boundaries. The message is
 * written for the person who has to fix the problem: what, where, how.
 */
export class GodotsError extends Error {
  readonly code: GodotsErrorCode;

  constructor(code: GodotsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GodotsError';
    this.code = code;
  }
}

export function isGodotsError(value: unknown): value is GodotsError {
  return value instanceof GodotsError;
}
