/** What a droplet needs from the machine that plays it. */
export interface HostSpec {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly authorizedKeys: readonly string[];
  readonly userData: string | null;
  /** A directory the host owns; removed when the host is destroyed. */
  readonly dir: string;
}

/** A running droplet host: a real SSH server on its own loopback address. */
export interface DropletHost {
  readonly address: string;
  readonly port: number;
  /** Current public host key, OpenSSH format (`ssh-ed25519 AAAA...`). */
  hostKey(): string;
  /** Powers the host off (processes stopped, files kept). */
  stop(): Promise<void>;
  /** Powers it back on after stop(). */
  start(): Promise<void>;
  /** Deletes the host: processes stopped and files removed. */
  destroy(): Promise<void>;
  /** Fault: accept TCP but never answer (false), or answer again (true). */
  setReachable(reachable: boolean): Promise<void>;
  /** Fault: cut every open SSH connection; the server keeps accepting new ones. */
  dropConnections(): Promise<void>;
  /** Fault: the host comes back with a new host key. Returns the new key. */
  rotateHostKey(): Promise<string>;
}

export interface HostProvider {
  readonly kind: 'sshd' | 'builtin';
  start(spec: HostSpec): Promise<DropletHost>;
}
