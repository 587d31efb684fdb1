import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorCore } from './emulator-core.js';
import { createFaults, type EmulatorFaults } from './emulator-faults.js';
import { createApiHandler, type RequestLogEntry } from './emulator-http.js';
import { systemClock, type AccountSpec, type Clock } from './emulator-types.js';
import { dropletView } from './droplet-view.js';
import { builtinHostProvider } from './hosts/builtin-host.js';
import type { HostProvider } from './hosts/host-provider.js';
import { reapOrphanHosts, sshdHostProvider, sshdHostsAvailable } from './hosts/sshd-host.js';
import { DO_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limiter.js';

export interface EmulatorOptions {
  readonly accounts: readonly AccountSpec[];
  /** API port on 127.0.0.1; 0 picks a free one. Default 8787. */
  readonly port?: number;
  /** `sshd` (real OpenSSH in namespaces; needs root), `builtin` (ssh2 in-process), or `auto`. */
  readonly hosts?: 'sshd' | 'builtin' | 'auto' | HostProvider;
  /** Where droplet hosts keep their files; a temporary directory by default, removed on stop. */
  readonly stateDir?: string;
  readonly bootDelayMs?: number;
  readonly actionDelayMs?: number;
  readonly rateLimits?: RateLimits;
  /** SSH port of every droplet host. Default 22. */
  readonly sshPort?: number;
  /** First two octets of droplet addresses: `127.0` gives 127.0.x.y. Distinct per emulator run side by side. */
  readonly addressPrefix?: string;
  readonly clock?: Clock;
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

export interface RunningEmulator {
  /** Base URL, such as http://127.0.0.1:8787 (no trailing slash). */
  readonly url: string;
  readonly accounts: readonly { readonly name: string; readonly token: string; readonly dropletLimit: number }[];
  readonly hostKind: 'sshd' | 'builtin';
  readonly faults: EmulatorFaults;
  /** Every droplet of every account, as the API shows it, with its account and host key. */
  droplets(): { account: string; id: number; name: string; address: string; hostKey: string | null; tags: string[]; size: string; status: string }[];
  stop(): Promise<void>;
}

function chooseHosts(choice: EmulatorOptions['hosts']): HostProvider {
  if (typeof choice === 'object') return choice;
  if (choice === 'builtin') return builtinHostProvider;
  if (choice === 'sshd') {
    if (!sshdHostsAvailable()) throw new Error('sshd hosts need root and /usr/sbin/sshd (apt-get install openssh-server); use --hosts builtin');
    return sshdHostProvider;
  }
  return sshdHostsAvailable() ? sshdHostProvider : builtinHostProvider;
}

/**
 * Starts a local DigitalOcean API whose droplets are real SSH hosts.
 *
 * @example
 * const emu = await startEmulator({ accounts: [{ name: 'a', token: 't', dropletLimit: 3 }], port: 0 });
 * try { ... fetch(`${emu.url}/v2/account`, { headers: { authorization: 'Bearer t' } }) ... } finally { await emu.stop(); }
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const hosts = chooseHosts(options.hosts ?? 'auto');
  if (hosts.kind === 'sshd') reapOrphanHosts();
  const ownStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'godots-emulator-'));
  mkdirSync(stateDir, { recursive: true });
  const clock = options.clock ?? systemClock;
  const core = new EmulatorCore({
    accounts: options.accounts,
    hosts,
    stateDir,
    clock,
    bootDelayMs: options.bootDelayMs ?? 500,
    actionDelayMs: options.actionDelayMs ?? 0,
    sshPort: options.sshPort ?? 22,
    addressPrefix: options.addressPrefix,
  });
  const faults = createFaults(core);
  let url = '';
  const api = createApiHandler(core, new RateLimiter(options.rateLimits ?? DO_RATE_LIMITS, clock), () => url, options.onRequest);
  const droplets = () =>
    [...core.accounts.values()].flatMap((a) =>
      [...a.droplets.values()].map((d) => ({ account: a.spec.name, id: d.id, name: d.name, address: d.address, hostKey: d.hostKey, tags: [...d.tags], size: d.size, status: dropletView(d, clock.now()).status })),
    );
  const admin = createAdminHandler(faults, droplets);
  const server = createServer((req, res) => {
    const handler = req.url?.startsWith('/_emulator/') ? admin : api;
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;
  let stopped = false;
  return {
    url,
    accounts: [...core.accounts.values()].map((a) => ({ name: a.spec.name, token: a.spec.token, dropletLimit: a.spec.dropletLimit })),
    hostKind: hosts.kind,
    faults,
    droplets,
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await core.shutdown();
      if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Loopback-only admin surface for tests in other processes: faults by name, and the droplet list. */
function createAdminHandler(faults: EmulatorFaults, droplets: RunningEmulator['droplets']) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/_emulator/droplets') return send(200, { droplets: droplets() });
    if (req.method === 'POST' && req.url === '/_emulator/faults') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        const { fault, args } = JSON.parse(Buffer.concat(chunks).toString()) as { fault: keyof EmulatorFaults; args?: unknown[] };
        const fn = faults[fault] as ((...a: unknown[]) => unknown) | undefined;
        if (typeof fn !== 'function') return send(400, { error: `unknown fault ${String(fault)}; known: ${Object.keys(faults).join(', ')}` });
        return send(200, { result: (await fn(...(args ?? []))) ?? null });
      } catch (err) {
        return send(400, { error: (err as Error).message });
      }
    }
    send(404, { error: 'unknown admin endpoint' });
  };
}
