// DigitalOcean personal access tokens (dop_v1_), OAuth (doo_v1_) and refresh (dor_v1_) tokens.
const TOKEN_SHAPE = /\bdo[por]_v1_[A-Za-z0-9]{16,}\b/g;

/**
 * Removes secret values from text meant for people or logs: every known
 * secret verbatim, and anything shaped like a DigitalOcean token.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(TOKEN_SHAPE, '[redacted token]');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/**
 * Values of the environment's secret-looking variables (tokens, passwords,
 * passphrases, DSNs): what no output, log or stored record may contain.
 */
export function envSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v !== undefined && v !== '' && /TOKEN|SECRET|PASSWORD|PASSPHRASE|DSN/i.test(k))
    .map(([, v]) => v!);
}
