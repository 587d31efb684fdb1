/**
 * The fleet file as written, after schema validation. Mirrors
 * schemas/fleet.schema.json; test/unit/fleet/schema-types.test.ts fails when
 * the two drift apart (the key tables below must list exactly the schema's keys).
 */
export interface RawFleet {
  version: 1;
  fleet: string;
  defaults?: RawDefaults;
  ssh?: RawSsh;
  accounts?: Record<string, RawAccount>;
  groups?: Record<string, RawGroup>;
  scripts?: Record<string, RawScript>;
}

export interface RawDefaults {
  region?: string | string[];
  size?: string;
  image?: string;
  tags?: string[];
}

export interface RawSsh {
  user?: string;
  private_key?: string;
  known_hosts?: string;
  port?: number;
  connect_timeout?: string;
  max_connections?: number;
}

export interface RawAccount {
  token_env: string;
  droplet_limit?: number;
  api_url?: string;
}

export interface RawGroup {
  count: number;
  accounts?: string[];
  region?: string | string[];
  size?: string;
  image?: string;
  tags?: string[];
  user_data?: string;
  monitoring?: boolean;
  ipv6?: boolean;
  vpc_uuid?: string | null;
}

export interface RawSync {
  src: string;
  dest: string;
}

export type RawWhen = 'on-change' | 'once' | 'always' | 'manual' | { schedule: string };

export interface RawScript {
  on: string[];
  run?: string;
  file?: string;
  interpreter?: string;
  when?: RawWhen;
  after?: string[];
  env?: Record<string, string | number | boolean>;
  timeout?: string;
  retries?: number;
  retry_on_exit?: boolean;
  max_parallel?: number | string;
  max_failures?: number | string;
  upload?: RawSync[];
  collect?: RawSync[];
}

type Keys<T> = { readonly [K in keyof Required<T>]: true };

/** Every key of each object type, checked by the compiler against the interfaces above. */
export const RAW_KEYS = {
  fleet: { version: true, fleet: true, defaults: true, ssh: true, accounts: true, groups: true, scripts: true } satisfies Keys<RawFleet>,
  defaults: { region: true, size: true, image: true, tags: true } satisfies Keys<RawDefaults>,
  ssh: { user: true, private_key: true, known_hosts: true, port: true, connect_timeout: true, max_connections: true } satisfies Keys<RawSsh>,
  account: { token_env: true, droplet_limit: true, api_url: true } satisfies Keys<RawAccount>,
  group: {
    count: true, accounts: true, region: true, size: true, image: true, tags: true,
    user_data: true, monitoring: true, ipv6: true, vpc_uuid: true,
  } satisfies Keys<RawGroup>,
  sync: { src: true, dest: true } satisfies Keys<RawSync>,
  script: {
    on: true, run: true, file: true, interpreter: true, when: true, after: true, env: true, timeout: true,
    retries: true, retry_on_exit: true, max_parallel: true, max_failures: true, upload: true, collect: true,
  } satisfies Keys<RawScript>,
} as const;
