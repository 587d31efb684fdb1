import { skipWithoutSshd } from '../../helpers/require.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, memoryIo } from '../../../src/cli/index.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { emulatorFleet } from '../../helpers/emulator-fleet.js';
import { startSentrySink, type SentrySink } from '../../helpers/sentry-sink.js';

const TOKEN = 'dop_v1_' + '5e'.repeat(32);

describe.skipIf(skipWithoutSshd())('failed host runs reported to Sentry', () => {
  let emu: RunningEmulator;
  let sink: SentrySink;
  let dir: string;
  beforeAll(async () => {
    sink = await startSentrySink();
    const fx = await emulatorFleet({ token: TOKEN, dropletLimit: 60, addressPrefix: '127.81' });
    ({ emu, dir } = fx);
    fx.write('sentry', `groups:
  crawler: { count: 50 }
scripts:
  flaky:
    on: [crawler]
    run: echo "token would be $DO_TOKEN_MAIN" >&2; exit 3
    retries: 0
`);
  }, 120_000);
  afterAll(async () => {
    await emu?.stop();
    await sink?.stop();
  });

  it('sends one event per failed host, all in one issue, tagged, with no token anywhere', async () => {
    const io = memoryIo({ DO_TOKEN_MAIN: TOKEN, SENTRY_DSN: sink.dsn }, dir);
    const code = await main(['apply', '--yes'], io);
    expect(code).toBe(1);
    const events = sink.events.filter((e) => e.tags?.script === 'flaky');
    expect(events).toHaveLength(50);
    expect(new Set(events.map((e) => JSON.stringify(e.fingerprint))).size).toBe(1);
    expect(events[0]!.fingerprint).toEqual(['godots-host-run', 'sentry', 'flaky', 'exit-3']);
    expect(events[0]!.tags).toMatchObject({ fleet: 'sentry', account: 'main', group: 'crawler', script: 'flaky' });
    expect(new Set(events.map((e) => e.tags.droplet)).size).toBe(50);
    expect(sink.raw.join('\n')).not.toContain(TOKEN);
    expect(io.stdout.join('\n') + io.stderr.join('\n')).not.toContain(TOKEN);
  }, 180_000);
});
