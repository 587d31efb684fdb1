import { connect as tcpConnect } from 'node:net';
import ssh2, { type Client } from 'ssh2';
import type { HostKeyStore, PinOutcome } from './host-keys.js';
import type { SshSettings, Target } from './runner-types.js';
import { classifySshError, SshError } from './ssh-errors.js';

// curve25519 and ed25519 first: fastest to negotiate and verify (measured: see bench/README.md).
const ALGORITHMS = {
  kex: { prepend: ['curve25519-sha256', 'curve25519-sha256@libssh.org'] },
  serverHostKey: { prepend: ['ssh-ed25519'] },
  cipher: { prepend: ['aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com'] },
} as unknown as ssh2.Algorithms;

export interface Connected {
  readonly client: Client;
  readonly pin: PinOutcome;
}

/**
 * Connects and authenticates to one droplet: our own socket (so TCP_NODELAY is
 * set before the first byte), a bounded connect time, keepalives, and the host
 * key checked against the droplet's pin.
 */
export function connectSsh(target: Target, settings: SshSettings, hostKeys: HostKeyStore): Promise<Connected> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let pin: PinOutcome = 'matched';
    let keyError: SshError | undefined;
    const client = new ssh2.Client();
    // ssh2 may report more than one error for one failure (timeout, then the socket): all go to `fail`, which acts once.
    client.on('error', (err) => fail(err));
    const sock = tcpConnect({ host: target.address, port: target.port });
    sock.setNoDelay(true);
    const timer = setTimeout(() => fail(new SshError('CONNECT_TIMEOUT', `${target.name} (${target.address}): no SSH answer within ${settings.connectTimeoutMs} ms`, true)), settings.connectTimeoutMs);
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      client.end();
      reject(keyError ?? classifySshError(err, `${target.name} (${target.address})`));
    };
    sock.once('error', fail);
    sock.once('connect', () => {
      client
        .once('ready', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          sock.removeListener('error', fail);
          resolve({ client, pin });
        })
        .connect({
          sock,
          username: settings.user,
          privateKey: settings.privateKey,
          readyTimeout: settings.connectTimeoutMs,
          keepaliveInterval: settings.keepaliveMs,
          keepaliveCountMax: 3,
          algorithms: ALGORITHMS,
          hostVerifier: (key: Buffer) => {
            try {
              const type = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
              pin = hostKeys.verify(target, type, key.toString('base64'));
              return true;
            } catch (err) {
              keyError = err instanceof SshError ? err : classifySshError(err, target.name);
              return false;
            }
          },
        });
    });
  });
}
