import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

export interface EmulatorFleet {
  readonly emu: RunningEmulator;
  /** A fresh directory holding fleet.yaml. */
  readonly dir: string;
  /** Writes fleet.yaml: one account `main` (token from DO_TOKEN_MAIN) on the emulator, then `rest` (groups, scripts). */
  write(fleet: string, rest: string): void;
}

/** An emulator with one account and a directory for a fleet aimed at it: the set-up of the end-to-end tests. */
export async function emulatorFleet(o: { token: string; dropletLimit: number; addressPrefix: string; bootDelayMs?: number }): Promise<EmulatorFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'godots-fleet-'));
  const emu = await startEmulator({ accounts: [{ name: 'main', token: o.token, dropletLimit: o.dropletLimit }], port: 0, bootDelayMs: o.bootDelayMs ?? 0, addressPrefix: o.addressPrefix });
  return {
    emu,
    dir,
    write(fleet, rest) {
      writeFileSync(join(dir, 'fleet.yaml'), `version: 1
fleet: ${fleet}
defaults: { region: nyc3, size: s-1vcpu-1gb, image: debian-12-x64 }
accounts:
  main: { token_env: DO_TOKEN_MAIN, api_url: "${emu.url}" }
${rest}`);
    },
  };
}
