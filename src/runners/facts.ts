import type { Client } from 'ssh2';
import { remoteCapture } from './remote-exec.js';

export interface Facts {
  readonly hostname: string;
  readonly kernel: string;
  readonly uptimeS: number;
  readonly load1: number;
  readonly memTotalKb: number;
  readonly memAvailableKb: number;
  readonly diskTotalKb: number;
  readonly diskAvailableKb: number;
}

// One round trip; each fact on its own line, in a fixed order.
const COMMAND = [
  'hostname',
  'uname -r',
  "cut -d' ' -f1 /proc/uptime",
  "cut -d' ' -f1 /proc/loadavg",
  "awk '/^MemTotal:/{t=$2} /^MemAvailable:/{a=$2} END{print t\" \"a}' /proc/meminfo",
  "df -Pk / | awk 'NR==2{print $2\" \"$4}'",
].join('; ');

/** What a host reports about itself, read on the run's own connection. */
export async function gatherFacts(client: Client, host: string): Promise<Facts> {
  const { stdout } = await remoteCapture(client, COMMAND, host);
  const [hostname = '', kernel = '', uptime = '0', load = '0', mem = '0 0', disk = '0 0'] = stdout.split('\n');
  const [memTotal, memAvail] = mem.split(' ').map(Number);
  const [diskTotal, diskAvail] = disk.split(' ').map(Number);
  return {
    hostname,
    kernel,
    uptimeS: Math.floor(Number(uptime)),
    load1: Number(load),
    memTotalKb: memTotal ?? 0,
    memAvailableKb: memAvail ?? 0,
    diskTotalKb: diskTotal ?? 0,
    diskAvailableKb: diskAvail ?? 0,
  };
}
