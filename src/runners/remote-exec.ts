import type { Client, ClientChannel } from 'ssh2';
import { classifySshError } from './ssh-errors.js';

export interface RawExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/** Runs one command on an open connection, streaming its output; rejects only when the connection fails. */
export function remoteExec(
  client: Client,
  command: string,
  onData: (stream: 'stdout' | 'stderr', data: Buffer) => void,
  host: string,
  onChannel?: (channel: ClientChannel) => void,
): Promise<RawExit> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(classifySshError(new Error('connection lost'), host));
    client.once('close', onClose);
    const settle = <T>(f: (v: T) => void) => (v: T) => {
      client.removeListener('close', onClose);
      f(v);
    };
    resolve = settle(resolve);
    reject = settle(reject);
    client.exec(command, (err, channel) => {
      if (err) return reject(classifySshError(err, host));
      onChannel?.(channel);
      let code: number | null = null;
      let signal: string | null = null;
      channel.on('exit', (c: number | null, s?: string) => {
        code = c;
        signal = s ?? null;
      });
      channel.on('data', (d: Buffer) => onData('stdout', d));
      channel.stderr.on('data', (d: Buffer) => onData('stderr', d));
      channel.on('error', (e: unknown) => reject(classifySshError(e, host)));
      channel.on('close', () => {
        // A channel that closes without an exit status was cut with its connection.
        if (code === null && signal === null) reject(classifySshError(new Error('connection lost'), host));
        else resolve({ code, signal });
      });
    });
  });
}

/** Runs a short command and returns its stdout; for housekeeping, not user commands. */
export async function remoteCapture(client: Client, command: string, host: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const exit = await remoteExec(client, command, (s, d) => (s === 'stdout' ? out : err).push(d), host);
  return { code: exit.code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
