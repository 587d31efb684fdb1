import { GodotsError } from '../core/godots-error.js';
import type { Fleet } from '../fleet/index.js';
import { createDoClient, type DoClient } from './do-client.js';

/** Token values of the fleet's accounts that are set: what every output must be scrubbed of. */
export function fleetSecrets(fleet: Fleet, env: Readonly<Record<string, string | undefined>>): string[] {
  return fleet.accounts.map((a) => env[a.tokenEnv]).filter((v): v is string => Boolean(v));
}

/**
 * One API client per account, tokens read from the variables the fleet names.
 * A variable that is not set is an error naming it (its value is never shown).
 */
export function accountClients(
  fleet: Fleet,
  env: Readonly<Record<string, string | undefined>>,
  make: typeof createDoClient = createDoClient,
): Map<string, DoClient> {
  const missing = fleet.accounts.filter((a) => !env[a.tokenEnv]);
  if (missing.length > 0) {
    throw new GodotsError('TOKEN_MISSING', missing.map((a) => `account ${a.name}: ${a.tokenEnv} is not set (export it with the account's API token)`).join('; '));
  }
  return new Map(fleet.accounts.map((a) => [a.name, make({ account: a.name, token: env[a.tokenEnv]!, baseUrl: a.apiUrl ?? undefined })]));
}
