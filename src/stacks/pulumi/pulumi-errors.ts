/** Stable codes for Pulumi engine failures. */
export type PulumiErrorCode = 'CONCURRENT_UPDATE' | 'MISSING_PLUGIN' | 'BAD_TOKEN' | 'QUOTA' | 'ENGINE';

export class PulumiStackError extends Error {
  constructor(
    readonly code: PulumiErrorCode,
    readonly account: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PulumiStackError';
  }
}

/** The one place where Pulumi CLI failures become codes; messages name the account, never its token. */
export function classifyPulumiError(account: string, err: unknown, secrets: readonly string[] = []): PulumiStackError {
  let text = String((err as Error)?.message ?? err);
  for (const s of secrets) if (s.length >= 4) text = text.split(s).join('[redacted]');
  if (/update is currently in progress|concurrent update|conflict: Another update/i.test(text)) {
    return new PulumiStackError('CONCURRENT_UPDATE', account, `account ${account}: another update of this stack is running; wait for it (or run pulumi cancel on a stale one)`, { cause: err });
  }
  if (/no resource plugin|failed to load plugin|could not find plugin|plugin .*not found|pulumi-resource-digitalocean/i.test(text) && /plugin/i.test(text)) {
    return new PulumiStackError('MISSING_PLUGIN', account, `account ${account}: the DigitalOcean provider plugin is not installed (tools/pulumi/setup.sh; see tools/pulumi/README.md)`, { cause: err });
  }
  if (/Unable to authenticate you|401|Unauthorized/i.test(text)) {
    return new PulumiStackError('BAD_TOKEN', account, `account ${account}: DigitalOcean refused its token; check the variable its token_env names`, { cause: err });
  }
  if (/exceed your droplet limit/i.test(text)) {
    return new PulumiStackError('QUOTA', account, `account ${account}: its droplet limit was reached during the update`, { cause: err });
  }
  const firstLines = text.split('\n').filter((l) => l.trim()).slice(-6).join(' | ');
  return new PulumiStackError('ENGINE', account, `account ${account}: pulumi failed: ${firstLines}`, { cause: err });
}
