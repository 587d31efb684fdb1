import { Command, CommanderError, Option } from 'commander';
import { envSecrets, isGodotsError, redact } from '../core/index.js';
import type { CliIo } from './cli-io.js';
import { FORMATS, resolveGlobals, type GlobalOptions, type RawGlobalOptions } from './global-options.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

type Action = (globals: GlobalOptions, io: CliIo, args: unknown[]) => number | Promise<number>;

/**
 * Runs the CLI in-process and returns the exit status. Never calls
 * process.exit, so tests and other programs can call it directly.
 */
export async function main(argv: readonly string[], rawIo: CliIo): Promise<number> {
  let status = 0;
  const secrets = envSecrets(rawIo.env);
  // Every line leaving the CLI passes through redaction: a secret can reach output only by a bug, and then not even.
  const io: CliIo = { ...rawIo, out: (t) => rawIo.out(redact(t, secrets)), err: (t) => rawIo.err(redact(t, secrets)) };
  const program = new Command('godots')
    .description('Declarative fleet reconciler for DigitalOcean')
    .option('-f, --file <path>', 'fleet file', 'fleet.yaml')
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS as string[]).default('text'))
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--db <url>', 'run log: sqlite:PATH or mysql://user:pass@host:port/db (env GODOTS_DB_URL; default sqlite:.godots/godots.db beside the fleet file)')
    .option('--state <url>', 'Pulumi backend URL (env GODOTS_STATE_URL; default file://.godots/state beside the fleet file)')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t.trimEnd()), writeErr: (t) => io.err(t.trimEnd()) })
    .showHelpAfterError(false);

  const command = (name: string, description: string, action: Action) =>
    program
      .command(name)
      .description(description)
      .action(async (...args: unknown[]) => {
        const cmd = args[args.length - 1] as Command;
        status = await action(resolveGlobals(cmd.optsWithGlobals() as RawGlobalOptions, io), io, [...args.slice(0, -2), cmd.opts()]);
      });

  command('validate', 'parse and validate the fleet file; touches nothing', async (g, i) => (await import('./commands/validate.js')).validateCommand(g, i));
  command('history', 'list recent runs from the run log', async (g, i, a) => (await import('./commands/history.js')).historyCommand(g, i, a[0] as import('./commands/history.js').HistoryOptions))
    .option('--limit <n>', 'how many runs', '20')
    .option('--status <status>', 'only runs with this status (running, succeeded, failed, interrupted)')
    .option('--script <name>', 'only runs that ran this script')
    .option('--host <name>', 'only runs that touched this droplet')
    .option('--prune-older-than <duration>', 'delete finished runs older than this (such as 30d, 12h) and their output');
  command('logs', 'show the output of a run, host by host', async (g, i, a) => (await import('./commands/logs.js')).logsCommand(g, i, a[0] as string, a[1] as import('./commands/logs.js').LogsOptions))
    .argument('<run-id>', 'a run id or a unique prefix of one')
    .option('--host <name>', 'only this droplet')
    .option('--head <n>', 'first N lines of each host')
    .option('--tail <n>', 'last N lines of each host')
    .option('--follow', 'keep printing new output until the run ends');
  command('plan', 'show what apply would change: droplets per account, scripts to run, cost', async (g, i, a) => (await import('./commands/reconcile.js')).planCommand(g, i, a[0] as { detailedExitcode?: boolean }))
    .option('--detailed-exitcode', 'exit 2 when there are changes');
  command('apply', 'converge droplets, then run due scripts', async (g, i, a) => (await import('./commands/reconcile.js')).applyCommand(g, i, a[0] as { yes?: boolean; only?: string[]; acceptNewHostKey?: string[] }))
    .option('--yes', 'apply without asking')
    .option('--only <script>', 'run only this script (repeatable)', collect)
    .option('--accept-new-host-key <name>', 're-pin this droplet\'s host key on purpose (repeatable)', collect);
  command('run', 'run one declared script now on its targets', async (g, i, a) => (await import('./commands/reconcile.js')).runScriptCommand(g, i, a[0] as string, a[1] as { acceptNewHostKey?: string[] }))
    .argument('<script>', 'a script of the fleet file')
    .option('--accept-new-host-key <name>', 're-pin this droplet\'s host key on purpose (repeatable)', collect);
  command('drift', 'report where reality moved away from the file (exit 2 when it did)', async (g, i) => (await import('./commands/reconcile.js')).driftCommand(g, i));
  command('destroy', 'delete every droplet this fleet owns', async (g, i, a) => (await import('./commands/reconcile.js')).destroyCommand(g, i, a[0] as { yes?: boolean }))
    .option('--yes', 'really delete');
  command('watch', 'apply on every change of the fleet file or its scripts; scheduled scripts; periodic drift checks', async (g, i, a) => (await import('./commands/watch.js')).watchCommand(g, i, a[0] as { driftEvery?: string }))
    .option('--drift-every <duration>', 'how often to check drift (default 15m)');
  command('exec', 'run a command on many droplets, logged like any run', async (g, i, a) => (await import('./commands/exec.js')).execCommand(g, i, a[0] as string[], a[1] as import('./commands/exec.js').ExecOptions))
    .argument('<command...>', 'the command (after --)')
    .option('-g, --group <name>', 'droplets of this group (repeatable)', collect)
    .option('--host <name>', 'this droplet (repeatable)', collect)
    .option('--all', 'every droplet of the fleet')
    .option('--parallel <n>', 'hosts at once (default: ssh.max_connections)')
    .option('--timeout <duration>', 'per host (default 10m)')
    .option('--detach', 'run detached on the droplet (survives dropped connections)')
    .option('--accept-new-host-key <name>', 're-pin this droplet\'s host key on purpose (repeatable)', collect);
  command('init', 'scaffold fleet.yaml, .gitignore entries and the GitOps workflows', async (g, i, a) => (await import('./commands/init.js')).initCommand(g, i, a[0] as { fleet?: string; force?: boolean; workflows?: boolean }))
    .option('--fleet <name>', 'fleet name for the starter file')
    .option('--force', 'overwrite existing files')
    .option('--no-workflows', 'skip the GitHub workflows');
  command('tunnel', 'forward a local port to a droplet (VNC by default) until interrupted', async (g, i, a) => (await import('./commands/tunnel.js')).tunnelCommand(g, i, a[0] as string, a[1] as { localPort?: string; remotePort: string }))
    .argument('<droplet>', 'droplet name')
    .option('--local-port <port>', 'local port on 127.0.0.1 (default: any free one)')
    .option('--remote-port <port>', 'port on the droplet', '5900');
  command('doctor', 'report toolchain, database, keys and tokens present', async (g, i) => (await import('./commands/doctor.js')).doctorCommand(g, i));
  command('emulator', 'serve the local DigitalOcean API with real local SSH hosts', async (g, i, a) => (await import('./commands/emulator.js')).emulatorCommand(g, i, a[0] as import('./commands/emulator.js').EmulatorCommandOptions))
    .option('--port <port>', 'API port on 127.0.0.1', '8787')
    .option('--account <NAME:TOKEN[:LIMIT]>', 'an account (repeatable); default: the fleet file\'s accounts, tokens from their variables', (v: string, prev: string[] = []) => [...prev, v])
    .option('--hosts <kind>', 'droplet hosts: sshd (real OpenSSH, root), builtin (in-process) or auto', 'auto')
    .option('--state-dir <dir>', 'where droplet hosts keep their files (default: a temporary directory)')
    .option('--boot-delay <ms>', 'time a droplet stays "new" before "active"', '500')
    .option('--log-requests', 'print every API request on stderr');

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    // Classified errors of every boundary are answers for the user, not bugs to report.
    if (isGodotsError(err) || ['DoApiError', 'PulumiStackError', 'SshError'].includes((err as Error)?.name)) {
      io.err(`godots: error: ${redact((err as Error).message, secrets)}`);
      return 1;
    }
    io.err(`godots: internal error: ${redact(String((err as Error)?.message ?? err), secrets)} (please report this)`);
    return 1;
  }
}
