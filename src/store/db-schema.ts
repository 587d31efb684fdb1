import type { Generated } from 'kysely';

/** Times are milliseconds since the epoch; booleans are 0/1, the same in both dialects. */
export interface RunsTable {
  id: string;
  kind: string;
  fleet: string;
  fleet_sha256: string;
  git_commit: string | null;
  actor: string | null;
  controller: string;
  pid: number;
  started_at: number;
  finished_at: number | null;
  status: string;
  summary: string | null;
}

export interface HostRunsTable {
  id: string;
  run_id: string;
  account: string;
  group_name: string | null;
  droplet_id: number | null;
  droplet_name: string;
  address: string | null;
  script: string;
  script_version: string | null;
  attempt: number;
  queued_at: number;
  started_at: number | null;
  finished_at: number | null;
  exit_code: number | null;
  signal: string | null;
  status: string;
  error: string | null;
  stdout_bytes: number;
  stderr_bytes: number;
  truncated: number;
}

export interface HostOutputTable {
  host_run_id: string;
  seq: number;
  stream: string;
  at: number;
  data: Uint8Array;
}

export interface EventsTable {
  id: string;
  run_id: string;
  at: number;
  type: string;
  droplet_name: string | null;
  script: string | null;
  message: string;
  data: string | null;
}

export interface HostFactsTable {
  id: string;
  run_id: string;
  droplet_name: string;
  droplet_id: number | null;
  at: number;
  hostname: string | null;
  kernel: string | null;
  uptime_s: number | null;
  load1: number | null;
  mem_total_kb: number | null;
  mem_available_kb: number | null;
  disk_total_kb: number | null;
  disk_available_kb: number | null;
}

export interface LocksTable {
  name: string;
  owner: string;
  controller: string;
  pid: number;
  acquired_at: number;
}

export interface Db {
  locks: LocksTable;
  runs: RunsTable;
  host_runs: HostRunsTable;
  host_output: HostOutputTable;
  events: EventsTable;
  host_facts: HostFactsTable;
}

export type { Generated };
