import { sshdHostsAvailable } from '../../src/emulator/index.js';

/**
 * Whether to skip tests that need real sshd droplet hosts. CI sets
 * GODOTS_REQUIRE_TOOLS, so there a missing sshd fails the tests instead.
 */
export function skipWithoutSshd(): boolean {
  return !sshdHostsAvailable() && !process.env.GODOTS_REQUIRE_TOOLS;
}
