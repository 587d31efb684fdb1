import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sshdHostsAvailable } from '../../emulator/index.js';
import { loadFleetFile } from '../../fleet/index.js';
import { findToolchain } from '../../stacks/pulumi/index.js';
import { openRunLog, redactUrl } from '../../store/index.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Missing but godots works without it. */
  readonly optional?: boolean;
}

function has(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

/** `godots doctor`: what this machine and this fleet have, and what is missing. Exit 1 when something essential is. */
export async function doctorCommand(globals: GlobalOptions, io: CliIo): Promise<number> {
  const checks: Check[] = [];
  checks.push({ name: 'node', ok: Number(process.versions.node.split('.')[0]) >= 20, detail: process.version });
  const tc = findToolchain(io.env as NodeJS.ProcessEnv);
  checks.push({ name: 'pulumi CLI', ok: tc.root !== null, detail: tc.root ? `${tc.cliVersion} in ${tc.root}/bin` : 'not found: run tools/pulumi/setup.sh', optional: true });
  checks.push({ name: 'DigitalOcean provider plugin', ok: tc.provider !== null, detail: tc.provider ?? 'not installed: droplets converge through the direct engine (see tools/pulumi/README.md)', optional: true });
  const rsync = has('rsync', ['--version']);
  checks.push({ name: 'rsync', ok: rsync !== null, detail: rsync ?? 'missing: upload/collect fall back to SFTP', optional: true });
  checks.push({ name: 'emulator hosts', ok: true, detail: sshdHostsAvailable() ? 'sshd (root, OpenSSH installed)' : 'builtin (not root or no sshd)' });

  const r = existsSync(globals.file) ? loadFleetFile(globals.file) : undefined;
  if (!r) checks.push({ name: 'fleet file', ok: false, detail: `${globals.file} not found (godots init writes one)` });
  else if (!r.ok) checks.push({ name: 'fleet file', ok: false, detail: `${r.diagnostics.length} error(s): run godots validate` });
  else {
    const f = r.fleet;
    checks.push({ name: 'fleet file', ok: true, detail: `${globals.file}: fleet ${f.name}` });
    for (const a of f.accounts) {
      checks.push({ name: `token of ${a.name}`, ok: Boolean(io.env[a.tokenEnv]), detail: io.env[a.tokenEnv] ? `${a.tokenEnv} is set` : `${a.tokenEnv} is not set` });
    }
    checks.push({ name: 'ssh key', ok: true, detail: existsSync(f.ssh.privateKey) ? f.ssh.privateKey : `${f.ssh.privateKey} (generated on first use)` });
  }
  try {
    const log = await openRunLog({ url: globals.db, baseDir: globals.baseDir });
    await log.close();
    checks.push({ name: 'run log', ok: true, detail: `${log.dialect}: ${redactUrl(globals.db)}` });
  } catch (err) {
    checks.push({ name: 'run log', ok: false, detail: (err as Error).message });
  }
  if (globals.format === 'json') io.out(JSON.stringify(checks, null, 2));
  else for (const c of checks) io.out(`${c.ok ? 'ok  ' : c.optional ? 'warn' : 'FAIL'}  ${c.name}: ${c.detail}`);
  return checks.every((c) => c.ok || c.optional) ? 0 : 1;
}
