/** Stable codes for DigitalOcean API failures; the account is named, the token never. */
export type DoErrorCode = 'UNAUTHORIZED' | 'RATE_LIMITED' | 'NOT_FOUND' | 'UNPROCESSABLE' | 'QUOTA' | 'SERVER' | 'NETWORK' | 'BAD_REQUEST';

export class DoApiError extends Error {
  constructor(
    readonly code: DoErrorCode,
    readonly account: string,
    readonly status: number | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DoApiError';
  }
}

/** The one classifier of DigitalOcean API answers. */
export function classifyDoError(account: string, status: number | null, body: { id?: string; message?: string } | undefined, cause?: unknown): DoApiError {
  const said = body?.message ? `: ${body.message}` : '';
  if (status === null) return new DoApiError('NETWORK', account, null, `account ${account}: the DigitalOcean API did not answer (${(cause as Error)?.message ?? 'network error'})`, { cause });
  if (status === 401) return new DoApiError('UNAUTHORIZED', account, status, `account ${account}: the API refused its token (401${said}); check the variable its token_env names`);
  if (status === 429) return new DoApiError('RATE_LIMITED', account, status, `account ${account}: rate limited by the DigitalOcean API${said}`);
  if (status === 404) return new DoApiError('NOT_FOUND', account, status, `account ${account}: not found${said}`);
  if (status === 422 && /droplet limit/i.test(body?.message ?? '')) return new DoApiError('QUOTA', account, status, `account ${account}: droplet limit reached${said}`);
  if (status === 422) return new DoApiError('UNPROCESSABLE', account, status, `account ${account}: the API refused the request${said}`);
  if (status >= 500) return new DoApiError('SERVER', account, status, `account ${account}: DigitalOcean API error ${status}${said}`);
  return new DoApiError('BAD_REQUEST', account, status, `account ${account}: request refused (${status}${said})`);
}
