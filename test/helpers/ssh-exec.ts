import ssh2 from 'ssh2';

export interface ExecOutcome {
  stdout: string;
  stderr: string;
  code: number | null;
  hostKey: string;
}

/** Runs one command over SSH with ssh2 and reports the host key it saw. */
export function sshExec(host: string, privateKey: string, command: string, port = 22): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let hostKey = '';
    client
      .on('ready', () => {
        client.exec(command, (err, stream) => {
          if (err) return reject(err);
          let stdout = '';
          let stderr = '';
          stream.on('data', (d: Buffer) => (stdout += d.toString()));
          stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          stream.on('close', (code: number | null) => {
            client.end();
            resolve({ stdout, stderr, code, hostKey });
          });
        });
      })
      .on('error', reject)
      .connect({
        host,
        port,
        username: 'root',
        privateKey,
        readyTimeout: 10_000,
        hostVerifier: (key: Buffer) => {
          hostKey = key.toString('base64');
          return true;
        },
      });
  });
}
