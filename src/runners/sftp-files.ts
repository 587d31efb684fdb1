import type { Client, SFTPWrapper } from 'ssh2';
import { classifySshError } from './ssh-errors.js';

export function openSftp(client: Client, host: string): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, sftp) => (err ? reject(classifySshError(err, host)) : resolve(sftp))));
}

export function sftpWrite(sftp: SFTPWrapper, path: string, data: string | Buffer, mode = 0o600): Promise<void> {
  return new Promise((resolve, reject) => sftp.writeFile(path, data, { mode }, (err) => (err ? reject(err) : resolve())));
}

export function sftpMkdir(sftp: SFTPWrapper, path: string): Promise<void> {
  return new Promise((resolve, reject) =>
    sftp.mkdir(path, { mode: 0o700 }, (err) => {
      // Code 4 (SSH_FX_FAILURE) is what OpenSSH answers for an existing directory.
      if (!err || (err as { code?: number }).code === 4) resolve();
      else reject(err);
    }),
  );
}

/** Reads a remote file from `offset` to its current end; empty when the file does not exist yet. */
export function sftpReadFrom(sftp: SFTPWrapper, path: string, offset: number, max = 4 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sftp.open(path, 'r', (err, handle) => {
      if (err) return (err as { code?: number }).code === 2 ? resolve(Buffer.alloc(0)) : reject(err);
      const parts: Buffer[] = [];
      let position = offset;
      let total = 0;
      const step = () => {
        const want = Math.min(256 * 1024, max - total);
        if (want <= 0) return finish();
        const buf = Buffer.allocUnsafe(want);
        sftp.read(handle, buf, 0, want, position, (e, n) => {
          if (e || n === 0) return finish(e && (e as { code?: number }).code !== 1 ? e : undefined);
          parts.push(buf.subarray(0, n));
          position += n;
          total += n;
          step();
        });
      };
      const finish = (e?: unknown) => sftp.close(handle, () => (e ? reject(e) : resolve(Buffer.concat(parts))));
      step();
    });
  });
}
