import { createServer, type Server, type Socket } from 'node:net';
import type { Runner } from './ssh-runner.js';
import type { Target } from './runner-types.js';

export interface Tunnel {
  /** The local port on 127.0.0.1 that reaches the droplet's port. */
  readonly localPort: number;
  close(): Promise<void>;
}

/**
 * An SSH port forward to one droplet (VNC for GUI testing is the usual use):
 * connections to 127.0.0.1:localPort reach 127.0.0.1:remotePort on the droplet,
 * over the connection pinned to its host key.
 */
export async function openTunnel(runner: Runner, target: Target, remotePort: number, localPort = 0): Promise<Tunnel> {
  const lease = await runner.lease(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((local) => {
    sockets.add(local);
    local.once('close', () => sockets.delete(local));
    lease.client.forwardOut('127.0.0.1', local.localPort ?? 0, '127.0.0.1', remotePort, (err, remote) => {
      if (err) {
        local.destroy();
        return;
      }
      local.pipe(remote).pipe(local);
      remote.on('error', () => local.destroy());
      local.on('error', () => remote.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPort, '127.0.0.1', () => resolve());
  });
  return {
    localPort: (server.address() as { port: number }).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      lease.release();
    },
  };
}
