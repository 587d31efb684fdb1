import type { Client, SFTPWrapper } from 'ssh2';
import { classifySshError } from './ssh-errors.js';
import { remoteCapture } from './remote-exec.js';
import { exportLines, shellQuote } from './remote-env.js';
import { openSftp, sftpMkdir, sftpReadFrom, sftpWrite } from './sftp-files.js';

/** Where a host run lives on the droplet, relative to the user's home. */
export function runDir(hostRunId: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(hostRunId)) throw new Error(`host run id ${hostRunId} is not safe as a path`);
  return `.godots/runs/${hostRunId}`;
}

export interface DetachedSpec {
  readonly hostRunId: string;
  readonly text: string;
  readonly interpreter: string;
  readonly env: Readonly<Record<string, string>>;
}

// Runs under setsid+nohup, so it survives the SSH connection; output and status go to files the runner reads by offset.
function launcher(spec: DetachedSpec): string {
  return [
    '#!/bin/sh',
    `D="$HOME/${runDir(spec.hostRunId)}"`,
    `. "$D/env.sh"`,
    `INTERPRETER=${shellQuote(spec.interpreter)}`,
    'cd "$HOME"',
    '"$INTERPRETER" "$D/script" > "$D/out" 2> "$D/err" < /dev/null',
    'echo $? > "$D/exit.tmp" && mv "$D/exit.tmp" "$D/exit"',
    '',
  ].join('\n');
}

/**
 * Uploads the script into its own directory and starts it detached. Idempotent:
 * a second call for the same host run (after a reconnect) does not start it twice.
 */
export async function startDetached(client: Client, spec: DetachedSpec, host: string): Promise<void> {
  const dir = runDir(spec.hostRunId);
  const sftp = await openSftp(client, host);
  try {
    await sftpMkdir(sftp, '.godots');
    await sftpMkdir(sftp, '.godots/runs');
    await sftpMkdir(sftp, dir);
    await sftpWrite(sftp, `${dir}/script`, spec.text, 0o700);
    await sftpWrite(sftp, `${dir}/env.sh`, exportLines(spec.env) + '\n');
    await sftpWrite(sftp, `${dir}/run.sh`, launcher(spec), 0o700);
  } finally {
    sftp.end();
  }
  const start = `cd "$HOME/${dir}" && if [ ! -e started ]; then : > started; setsid nohup sh -c 'echo $$ > pid; exec sh ./run.sh' > /dev/null 2>&1 < /dev/null & fi`;
  const r = await remoteCapture(client, start, host);
  if (r.code !== 0) throw new Error(`${host}: could not start the script: ${r.stderr.trim()}`);
}

export interface Progress {
  stdout: number;
  stderr: number;
}

export type FollowOutcome =
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'deadline' };

/**
 * Streams a detached script's output from the given offsets until it exits or
 * the deadline passes. A dropped connection rejects (the caller reconnects and
 * calls again with the same offsets: nothing is lost or read twice). `missing`
 * means the run directory is gone (the droplet was rebuilt or cleaned).
 */
export async function followDetached(
  client: Client,
  hostRunId: string,
  progress: Progress,
  onData: (stream: 'stdout' | 'stderr', data: Buffer) => void,
  host: string,
  deadline: number,
): Promise<FollowOutcome> {
  const dir = runDir(hostRunId);
  const sftp = await openSftp(client, host);
  // SFTP requests pending when the connection dies may never call back: the connection's close settles this instead.
  let onClose: () => void = () => undefined;
  const closed = new Promise<never>((_, reject) => {
    onClose = () => reject(classifySshError(new Error('connection lost'), host));
    client.once('close', onClose);
  });
  closed.catch(() => undefined);
  try {
    return await Promise.race([followLoop(sftp, dir, progress, onData, deadline), closed]);
  } finally {
    client.removeListener('close', onClose);
    sftp.end();
  }
}

async function followLoop(
  sftp: SFTPWrapper,
  dir: string,
  progress: Progress,
  onData: (stream: 'stdout' | 'stderr', data: Buffer) => void,
  deadline: number,
): Promise<FollowOutcome> {
  let wait = 10;
  {
    for (;;) {
      // The exit file first: once it exists the output files are complete, so reading on to their end gets everything.
      const exit = await sftpReadFrom(sftp, `${dir}/exit`, 0);
      let got = 0;
      for (const stream of ['stdout', 'stderr'] as const) {
        for (;;) {
          const data = await sftpReadFrom(sftp, `${dir}/${stream === 'stdout' ? 'out' : 'err'}`, progress[stream]);
          if (data.length === 0) break;
          progress[stream] += data.length;
          got += data.length;
          onData(stream, data);
        }
      }
      if (exit.length > 0) return { kind: 'exited', exitCode: Number(exit.toString().trim()) };
      if (got === 0) {
        const exists = await new Promise<boolean>((resolve) => sftp.stat(dir, (err) => resolve(!err)));
        if (!exists) return { kind: 'missing' };
      }
      if (Date.now() >= deadline) return { kind: 'deadline' };
      wait = got > 0 ? 10 : Math.min(250, wait * 2);
      await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))));
    }
  }
}

/** Kills the detached script's whole session (timeout or cancellation). */
export async function killDetached(client: Client, hostRunId: string, host: string): Promise<void> {
  const dir = runDir(hostRunId);
  await remoteCapture(client, `P=$(cat "$HOME/${dir}/pid" 2>/dev/null) && [ -n "$P" ] && { pkill -KILL -s "$P" 2>/dev/null; kill -KILL -- "-$P" 2>/dev/null; }; echo 137 > "$HOME/${dir}/exit"; true`, host);
}

/** Removes the run directory once its result is safely recorded. */
export async function cleanDetached(client: Client, hostRunId: string, host: string): Promise<void> {
  await remoteCapture(client, `rm -rf "$HOME/${runDir(hostRunId)}"`, host);
}
