import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';

export interface KeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
  /** True when this call generated the pair. */
  readonly created: boolean;
}

/** Reads the fleet's SSH key pair, generating an ed25519 pair (mode 0600) where none exists. */
export function ensureKeyPair(privateKeyPath: string): KeyPair {
  if (existsSync(privateKeyPath)) {
    const pub = `${privateKeyPath}.pub`;
    const privateKey = readFileSync(privateKeyPath, 'utf8');
    let publicKey: string;
    if (existsSync(pub)) publicKey = readFileSync(pub, 'utf8').trim();
    else {
      const parsed = ssh2.utils.parseKey(privateKey);
      if (parsed instanceof Error || Array.isArray(parsed)) throw new Error(`cannot read the private key ${privateKeyPath}: ${parsed instanceof Error ? parsed.message : 'several keys'}`);
      publicKey = `${parsed.type} ${parsed.getPublicSSH().toString('base64')}`;
    }
    return { privateKey, publicKey, created: false };
  }
  mkdirSync(dirname(privateKeyPath), { recursive: true, mode: 0o700 });
  try {
    // OpenSSH's own generator where present: rsync's ssh must load the key, and it refuses some of ssh2's.
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'godots', '-f', privateKeyPath], { stdio: 'ignore' });
    return { privateKey: readFileSync(privateKeyPath, 'utf8'), publicKey: readFileSync(`${privateKeyPath}.pub`, 'utf8').trim(), created: true };
  } catch {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'godots' });
    writeFileSync(privateKeyPath, pair.private, { mode: 0o600 });
    writeFileSync(`${privateKeyPath}.pub`, `${pair.public}\n`, { mode: 0o644 });
    return { privateKey: pair.private, publicKey: pair.public, created: true };
  }
}
