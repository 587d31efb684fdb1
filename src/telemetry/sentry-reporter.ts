import * as Sentry from '@sentry/node';
import { redact } from '../core/redact.js';

export interface HostFailure {
  readonly fleet: string;
  readonly account: string;
  readonly group: string;
  readonly script: string;
  readonly droplet: string;
  readonly status: string;
  readonly exitCode: number | null;
  readonly error: string | null;
  readonly runId: string | null;
}

/** Where errors go: Sentry when a DSN is set, nowhere otherwise. */
export interface ErrorReporter {
  hostFailed(f: HostFailure): void;
  exception(err: unknown, tags?: Record<string, string>): void;
  flush(timeoutMs?: number): Promise<void>;
}

export const noReporter: ErrorReporter = { hostFailed: () => undefined, exception: () => undefined, flush: async () => undefined };

/** Replaces every secret anywhere in an event, whatever field it hides in. */
function scrub<T>(event: T, secrets: readonly string[]): T {
  return JSON.parse(redact(JSON.stringify(event), secrets)) as T;
}

/**
 * Reports to Sentry through the real SDK. A failed host run is one event tagged
 * with fleet, account, group, script and droplet, fingerprinted by script and
 * exit code, so one script failing on 300 droplets is one issue. Secrets (tokens,
 * the passphrase) are scrubbed from every event before it leaves.
 */
export function createSentryReporter(options: { dsn: string; secrets: readonly string[]; release?: string; environment?: string }): ErrorReporter {
  const secrets = options.secrets.filter((s) => s.length >= 4);
  Sentry.init({
    dsn: options.dsn,
    release: options.release,
    environment: options.environment ?? 'production',
    tracesSampleRate: 0,
    // A CLI: no global handlers that would change how it exits.
    // Dedupe would drop the second host's failure of the same script: each failed host is its own event in one issue.
    integrations: (defaults) => defaults.filter((i) => !['OnUncaughtException', 'OnUnhandledRejection', 'Http', 'NodeFetch', 'Dedupe'].includes(i.name)),
    beforeSend: (event) => scrub(event, secrets),
    beforeBreadcrumb: (crumb) => scrub(crumb, secrets),
  });
  return {
    hostFailed(f) {
      Sentry.withScope((scope) => {
        scope.setTags({ fleet: f.fleet, account: f.account, group: f.group, script: f.script, droplet: f.droplet, status: f.status });
        if (f.runId) scope.setTag('run_id', f.runId);
        scope.setFingerprint(['godots-host-run', f.fleet, f.script, f.exitCode === null ? f.status : `exit-${f.exitCode}`]);
        scope.setLevel('error');
        scope.setContext('host_run', { ...f });
        Sentry.captureMessage(`script ${f.script} ${f.status}${f.exitCode !== null ? ` (exit ${f.exitCode})` : ''}${f.error ? `: ${f.error}` : ''}`);
      });
    },
    exception(err, tags) {
      Sentry.withScope((scope) => {
        if (tags) scope.setTags(tags);
        Sentry.captureException(err);
      });
    },
    async flush(timeoutMs = 5000) {
      await Sentry.flush(timeoutMs);
    },
  };
}
