import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { Client, SFTPWrapper } from 'ssh2';
import { remoteCapture } from './remote-exec.js';
import type { SshSettings, Target } from './runner-types.js';
import { openSftp, sftpMkdir, sftpWrite } from './sftp-files.js';

export interface SyncOutcome {
  readonly ok: boolean;
  readonly via: 'rsync' | 'sftp';
  readonly error: string | null;
}

/** `{host}` in a collect destination becomes the droplet name, so many droplets never overwrite each other. */
export function expandHost(path: string, target: Target): string {
  return path.split('{host}').join(target.name);
}

let localRsync: boolean | undefined;
function hasLocalRsync(): Promise<boolean> {
  if (localRsync !== undefined) return Promise.resolve(localRsync);
  return new Promise((resolve) => execFile('rsync', ['--version'], (err) => resolve((localRsync = !err))));
}

function sshCommand(settings: SshSettings, target: Target): string {
  // The same key and the same pins as godots' own connections; never a prompt, never a new unpinned key.
  return [
    'ssh', '-i', settings.privateKeyPath, '-p', String(target.port), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${settings.knownHostsPath}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes',
    '-o', `ConnectTimeout=${Math.ceil(settings.connectTimeoutMs / 1000)}`, '-o', 'LogLevel=ERROR',
  ].map((w) => (/^[A-Za-z0-9_./=:-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function rsync(args: string[]): Promise<string | null> {
  return new Promise((resolve) => execFile('rsync', args, { maxBuffer: 16 * 1024 * 1024 }, (err, _out, stderr) => resolve(err ? stderr.trim() || err.message : null)));
}

/**
 * Copies local `src` to the droplet's `dest` (upload) or the droplet's `src` to
 * local `dest` (collect). rsync over SSH when both sides have it, else SFTP.
 */
export async function syncFiles(
  client: Client,
  settings: SshSettings,
  target: Target,
  direction: 'upload' | 'collect',
  src: string,
  dest: string,
  options: { via?: 'auto' | 'sftp' | 'rsync' } = {},
): Promise<SyncOutcome> {
  // Small uploads go over the connection already open (one SFTP channel); rsync's own ssh
  // connection and process pair cost more than they save until its delta transfer pays off.
  const small = direction === 'upload' && options.via !== 'rsync' && localSize(src, SMALL_UPLOAD) < SMALL_UPLOAD;
  const remoteHasRsync = options.via !== 'sftp' && !small && (await remoteCapture(client, 'command -v rsync >/dev/null 2>&1', target.name)).code === 0;
  if (remoteHasRsync && (await hasLocalRsync())) {
    const remote = (p: string) => `${settings.user}@${target.address.includes(':') ? `[${target.address}]` : target.address}:${p}`;
    if (direction === 'collect') mkdirSync(dest.endsWith('/') ? dest : dirname(dest), { recursive: true });
    else await remoteCapture(client, `mkdir -p "$(dirname -- ${shellWord(dest.endsWith('/') ? dest + 'x' : dest)})"`, target.name);
    const args = ['-a', '--partial', '-e', sshCommand(settings, target), direction === 'upload' ? src : remote(src), direction === 'upload' ? remote(dest) : dest];
    const error = await rsync(args);
    return { ok: error === null, via: 'rsync', error };
  }
  const sftp = await openSftp(client, target.name);
  try {
    if (direction === 'upload') await sftpUpload(sftp, src, dest);
    else await sftpDownload(sftp, src, dest);
    return { ok: true, via: 'sftp', error: null };
  } catch (err) {
    return { ok: false, via: 'sftp', error: (err as Error).message };
  } finally {
    sftp.end();
  }
}

const SMALL_UPLOAD = 8 * 1024 * 1024;

/** Bytes under `path`, counting no further than `limit`. */
function localSize(path: string, limit: number): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(path)) {
    total += localSize(join(path, name), limit - total);
    if (total >= limit) break;
  }
  return total;
}

function shellWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

async function sftpMkdirP(sftp: SFTPWrapper, dir: string): Promise<void> {
  let acc = dir.startsWith('/') ? '/' : '';
  for (const part of dir.split('/').filter(Boolean)) {
    acc = acc ? posix.join(acc, part) : part;
    await sftpMkdir(sftp, acc);
  }
}

// rsync semantics: a source ending in "/" copies the directory's contents into dest.
async function sftpUpload(sftp: SFTPWrapper, src: string, dest: string): Promise<void> {
  const st = statSync(src);
  if (!st.isDirectory()) {
    const to = dest.endsWith('/') ? posix.join(dest, src.split('/').pop()!) : dest;
    await sftpMkdirP(sftp, posix.dirname(to));
    await sftpWrite(sftp, to, readFileSync(src), st.mode & 0o777);
    return;
  }
  const root = src.endsWith('/') ? dest : posix.join(dest, src.replace(/\/$/, '').split('/').pop()!);
  await sftpMkdirP(sftp, root);
  for (const name of readdirSync(src)) {
    const child = join(src, name);
    if (statSync(child).isDirectory()) await sftpUpload(sftp, child + '/', posix.join(root, name) + '/');
    else await sftpWrite(sftp, posix.join(root, name), readFileSync(child), statSync(child).mode & 0o777);
  }
}

async function sftpDownload(sftp: SFTPWrapper, src: string, dest: string): Promise<void> {
  const attrs = await new Promise<{ isDirectory(): boolean }>((resolve, reject) => sftp.stat(src, (e, s) => (e ? reject(e) : resolve(s))));
  if (!attrs.isDirectory()) {
    const to = dest.endsWith('/') ? join(dest, posix.basename(src)) : dest;
    mkdirSync(dirname(to), { recursive: true });
    const data = await new Promise<Buffer>((resolve, reject) => sftp.readFile(src, (e, d) => (e ? reject(e) : resolve(d))));
    writeFileSync(to, data);
    return;
  }
  const root = src.endsWith('/') ? dest : join(dest, posix.basename(src));
  mkdirSync(root, { recursive: true });
  const list = await new Promise<{ filename: string }[]>((resolve, reject) => sftp.readdir(src, (e, l) => (e ? reject(e) : resolve(l))));
  for (const { filename } of list) await sftpDownload(sftp, posix.join(src, filename), `${root}/`);
}
