import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import ssh2, { type Connection, type ParsedKey } from 'ssh2';
import type { DropletHost, HostProvider, HostSpec } from './host-provider.js';

/**
 * Droplets served by ssh2's in-process Server, for machines where the process is
 * not root or sshd is missing. Commands run through `sh -c` with HOME set to the
 * droplet's own directory and GODOTS_EMULATED_HOSTNAME set to its name; there is
 * no separate hostname, /tmp or SFTP subsystem (documented in the README).
 */
class BuiltinHost implements DropletHost {
  private server: InstanceType<typeof ssh2.Server> | undefined;
  private privateKey = '';
  private publicKey = '';
  private readonly sockets = new Set<Socket>();
  private readonly children = new Set<ChildProcess>();
  private reachable = true;
  private readonly allowed: ParsedKey[];

  constructor(private readonly spec: HostSpec) {
    mkdirSync(join(spec.dir, 'root'), { recursive: true });
    this.allowed = spec.authorizedKeys
      .map((k) => ssh2.utils.parseKey(k))
      .filter((k): k is ParsedKey => !(k instanceof Error) && !Array.isArray(k));
    this.newKey();
    if (spec.userData?.startsWith('#!')) {
      writeFileSync(join(spec.dir, 'user-data'), spec.userData, { mode: 0o700 });
      spawn(join(spec.dir, 'user-data'), { cwd: join(spec.dir, 'root'), env: this.env(), stdio: 'ignore' }).on('error', () => undefined);
    }
  }

  get address(): string {
    return this.spec.address;
  }

  get port(): number {
    return this.spec.port;
  }

  hostKey(): string {
    return this.publicKey;
  }

  private newKey(): void {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    this.privateKey = pair.private;
    this.publicKey = pair.public;
  }

  private env(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: join(this.spec.dir, 'root'), GODOTS_EMULATED_HOSTNAME: this.spec.name };
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = new ssh2.Server({ hostKeys: [this.privateKey] }, (client) => this.serve(client));
    server.on('connection', () => undefined);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.spec.port, this.spec.address, () => resolve());
    });
    const raw = (server as unknown as { _srv: import('node:net').Server })._srv;
    raw.on('connection', (s: Socket) => {
      s.setNoDelay(true);
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
      if (!this.reachable) s.pause();
    });
  }

  private serve(client: Connection): void {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.username !== 'root') return ctx.reject(['publickey']);
      const match = this.allowed.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
      if (!match) return ctx.reject(['publickey']);
      if (ctx.signature && ctx.blob && !match.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(['publickey']);
      ctx.accept();
    });
    client.on('session', (accept) => {
      const session = accept();
      const env: NodeJS.ProcessEnv = this.env();
      session.on('env', (acceptEnv, _reject, info) => {
        env[info.key] = info.val;
        acceptEnv?.();
      });
      session.on('exec', (acceptExec, _reject, info) => {
        const stream = acceptExec();
        const child = spawn('sh', ['-c', info.command], { cwd: join(this.spec.dir, 'root'), env, detached: true });
        this.children.add(child);
        stream.pipe(child.stdin);
        child.stdout.pipe(stream, { end: false });
        child.stderr.pipe(stream.stderr, { end: false });
        stream.on('signal', () => child.kill('SIGTERM'));
        child.on('close', (code, sig) => {
          this.children.delete(child);
          if (sig) stream.exit(sig.replace(/^SIG/, ''), false, '');
          else stream.exit(code ?? 255);
          stream.end();
        });
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of this.children) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.spec.dir, { recursive: true, force: true });
  }

  async setReachable(reachable: boolean): Promise<void> {
    this.reachable = reachable;
    for (const s of this.sockets) {
      if (reachable) s.resume();
      else s.pause();
    }
  }

  async dropConnections(): Promise<void> {
    for (const s of this.sockets) s.destroy();
  }

  async rotateHostKey(): Promise<string> {
    await this.stop();
    this.newKey();
    await this.start();
    return this.publicKey;
  }
}

export const builtinHostProvider: HostProvider = {
  kind: 'builtin',
  async start(spec) {
    const host = new BuiltinHost(spec);
    await host.start();
    return host;
  },
};
