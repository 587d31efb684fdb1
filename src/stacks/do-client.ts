import { classifyDoError, DoApiError } from './do-errors.js';
import { TokenBucket } from './token-bucket.js';

export interface DoDroplet {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly tags: readonly string[];
  readonly sizeSlug: string;
  readonly region: string;
  readonly imageSlug: string | null;
  readonly publicIpv4: string | null;
  readonly priceMonthly: number | null;
}

export interface DoSize {
  readonly slug: string;
  readonly priceMonthly: number;
  readonly priceHourly: number;
}

export interface DoClientOptions {
  readonly account: string;
  readonly token: string;
  /** Default https://api.digitalocean.com. */
  readonly baseUrl?: string;
  /** Per-minute request budget to pace under; DigitalOcean's is 250. */
  readonly perMinute?: number;
  readonly retries?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface CreateDropletsRequest {
  readonly names: readonly string[];
  readonly region: string;
  readonly size: string;
  readonly image: string;
  readonly sshKeys: readonly (number | string)[];
  readonly tags: readonly string[];
  readonly userData?: string | null;
  readonly monitoring?: boolean;
  readonly ipv6?: boolean;
  readonly vpcUuid?: string | null;
}

/** The small part of the DigitalOcean API godots calls itself: limits, listing by tag, keys, and droplet life cycle. */
export interface DoClient {
  readonly account: string;
  dropletLimit(): Promise<number>;
  listDroplets(tag?: string): Promise<DoDroplet[]>;
  getDroplet(id: number): Promise<DoDroplet | null>;
  createDroplets(req: CreateDropletsRequest): Promise<DoDroplet[]>;
  deleteDroplet(id: number): Promise<void>;
  dropletAction(id: number, body: Record<string, unknown>): Promise<void>;
  tagDroplet(tag: string, id: number): Promise<void>;
  untagDroplet(tag: string, id: number): Promise<void>;
  ensureSshKey(name: string, publicKey: string): Promise<{ id: number; fingerprint: string }>;
  sizes(): Promise<DoSize[]>;
}

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function toDroplet(d: Raw): DoDroplet {
  const v4 = (d.networks?.v4 ?? []) as { type: string; ip_address: string }[];
  return {
    id: d.id,
    name: d.name,
    status: d.status,
    tags: d.tags ?? [],
    sizeSlug: d.size_slug ?? d.size?.slug,
    region: d.region?.slug,
    imageSlug: d.image?.slug ?? null,
    publicIpv4: v4.find((n) => n.type === 'public')?.ip_address ?? null,
    priceMonthly: d.size?.price_monthly ?? null,
  };
}

export function createDoClient(options: DoClientOptions): DoClient {
  const base = (options.baseUrl ?? 'https://api.digitalocean.com').replace(/\/$/, '');
  const perMinute = options.perMinute ?? 250;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const bucket = new TokenBucket(Math.max(1, Math.floor(perMinute / 4)), perMinute / 60, Date.now, sleep);
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 4;

  const call = async (method: string, path: string, body?: unknown): Promise<Raw | undefined> => {
    for (let attempt = 0; ; attempt++) {
      await bucket.take();
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', 'user-agent': 'godots' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (err) {
        if (attempt < retries) {
          await sleep(500 * 2 ** attempt);
          continue;
        }
        throw classifyDoError(options.account, null, undefined, err);
      }
      const num = (h: string) => (res.headers.get(h) === null ? null : Number(res.headers.get(h)));
      bucket.observe(num('ratelimit-remaining'), num('ratelimit-reset'));
      const text = await res.text();
      const parsed = text ? (JSON.parse(text) as Raw) : undefined;
      if (res.ok) return parsed;
      const err = classifyDoError(options.account, res.status, parsed);
      // Rate limits and server errors are worth waiting out; everything else is an answer.
      if ((err.code === 'RATE_LIMITED' || err.code === 'SERVER') && attempt < retries) {
        const reset = num('ratelimit-reset');
        const wait = err.code === 'RATE_LIMITED' && reset !== null ? Math.max(1000, reset * 1000 - Date.now()) : 500 * 2 ** attempt;
        await sleep(Math.min(wait, 60_000));
        continue;
      }
      throw err;
    }
  };

  const all = async (path: string, key: string): Promise<Raw[]> => {
    const out: Raw[] = [];
    for (let page = 1; ; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const r = (await call('GET', `${path}${sep}per_page=200&page=${page}`))!;
      out.push(...(r[key] as Raw[]));
      if (!r.links?.pages?.next) return out;
    }
  };

  return {
    account: options.account,
    async dropletLimit() {
      return (await call('GET', '/v2/account'))!.account.droplet_limit as number;
    },
    async listDroplets(tag) {
      return (await all(`/v2/droplets${tag ? `?tag_name=${encodeURIComponent(tag)}` : ''}`, 'droplets')).map(toDroplet);
    },
    async getDroplet(id) {
      try {
        return toDroplet((await call('GET', `/v2/droplets/${id}`))!.droplet);
      } catch (err) {
        if (err instanceof DoApiError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
    async createDroplets(req) {
      const out: DoDroplet[] = [];
      for (let i = 0; i < req.names.length; i += 10) {
        const names = req.names.slice(i, i + 10);
        const r = (await call('POST', '/v2/droplets', {
          names, region: req.region, size: req.size, image: req.image, ssh_keys: req.sshKeys, tags: req.tags,
          user_data: req.userData ?? undefined, monitoring: req.monitoring ?? false, ipv6: req.ipv6 ?? false, vpc_uuid: req.vpcUuid ?? undefined,
        }))!;
        out.push(...((r.droplets ?? [r.droplet]) as Raw[]).map(toDroplet));
      }
      return out;
    },
    async deleteDroplet(id) {
      try {
        await call('DELETE', `/v2/droplets/${id}`);
      } catch (err) {
        if (!(err instanceof DoApiError && err.code === 'NOT_FOUND')) throw err;
      }
    },
    async dropletAction(id, body) {
      await call('POST', `/v2/droplets/${id}/actions`, body);
    },
    async tagDroplet(tag, id) {
      await call('POST', '/v2/tags', { name: tag });
      await call('POST', `/v2/tags/${encodeURIComponent(tag)}/resources`, { resources: [{ resource_id: String(id), resource_type: 'droplet' }] });
    },
    async untagDroplet(tag, id) {
      await call('DELETE', `/v2/tags/${encodeURIComponent(tag)}/resources`, { resources: [{ resource_id: String(id), resource_type: 'droplet' }] });
    },
    async ensureSshKey(name, publicKey) {
      const keys = await all('/v2/account/keys', 'ssh_keys');
      const blob = publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
      const found = keys.find((k) => String(k.public_key).trim().split(/\s+/).slice(0, 2).join(' ') === blob);
      if (found) return { id: found.id, fingerprint: found.fingerprint };
      const r = (await call('POST', '/v2/account/keys', { name, public_key: publicKey }))!;
      return { id: r.ssh_key.id, fingerprint: r.ssh_key.fingerprint };
    },
    async sizes() {
      return (await all('/v2/sizes', 'sizes')).map((s) => ({ slug: s.slug, priceMonthly: s.price_monthly, priceHourly: s.price_hourly }));
    },
  };
}
