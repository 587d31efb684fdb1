import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, notFound } from './api-error.js';
import { IMAGES, REGIONS, SIZES } from './catalog.js';
import { actionView, dropletView, imageView, regionView, sizeView } from './droplet-view.js';
import type { EmulatorCore } from './emulator-core.js';
import type { AccountState, SshKeyRecord } from './emulator-types.js';
import type { RateLimiter } from './rate-limiter.js';

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly account: string | null;
  /** For 500s the emulator caused itself: what went wrong inside. */
  readonly error?: string;
}

type Json = Record<string, unknown>;
type Reply = { status: number; body?: Json };
type Handler = (ctx: { acct: AccountState; params: string[]; query: URLSearchParams; body: Json; baseUrl: string; path: string }) => Promise<Reply> | Reply;

const SERVER_ERRORS: Record<number, { id: string; message: string }> = {
  429: { id: 'too_many_requests', message: 'API Rate limit exceeded.' },
  500: { id: 'server_error', message: 'Server was unable to give you a response.' },
  503: { id: 'service_unavailable', message: 'The service is temporarily unavailable. Please try again later.' },
};

const keyView = (k: SshKeyRecord) => ({ id: k.id, fingerprint: k.fingerprint, public_key: k.publicKey, name: k.name });

/** `page`/`per_page` slicing with DigitalOcean's `links.pages` and `meta.total`. */
function paginate<T>(items: T[], query: URLSearchParams, baseUrl: string, path: string): { page: T[]; links: Json; meta: Json } {
  const perPage = Math.min(200, Math.max(1, Number(query.get('per_page') ?? 20) || 20));
  const pageNo = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(p));
    q.set('per_page', String(perPage));
    return `${baseUrl}${path}?${q}`;
  };
  const pages: Json = {};
  if (pageNo > 1) Object.assign(pages, { first: link(1), prev: link(pageNo - 1) });
  if (pageNo < last) Object.assign(pages, { next: link(pageNo + 1), last: link(last) });
  return { page: items.slice((pageNo - 1) * perPage, pageNo * perPage), links: { pages }, meta: { total: items.length } };
}

export function createRoutes(core: EmulatorCore): [string, RegExp, Handler][] {
  const list = <T>(name: string, items: T[], ctx: Parameters<Handler>[0], view: (t: T) => unknown): Reply => {
    const p = paginate(items, ctx.query, ctx.baseUrl, ctx.path);
    return { status: 200, body: { [name]: p.page.map(view), links: p.links, meta: p.meta } };
  };
  const now = () => core.now();
  return [
    ['GET', /^\/v2\/account$/, ({ acct }) => ({
      status: 200,
      body: {
        account: {
          droplet_limit: acct.spec.dropletLimit,
          floating_ip_limit: 3,
          volume_limit: 100,
          email: `${acct.spec.name}@godots.invalid`,
          name: acct.spec.name,
          uuid: acct.uuid,
          email_verified: true,
          status: 'active',
          status_message: '',
          team: { uuid: acct.uuid, name: `${acct.spec.name} team` },
        },
      },
    })],
    ['GET', /^\/v2\/account\/keys$/, (ctx) => list('ssh_keys', [...ctx.acct.keys.values()], ctx, keyView)],
    ['POST', /^\/v2\/account\/keys$/, ({ acct, body }) => ({ status: 201, body: { ssh_key: keyView(core.createKey(acct, body)) } })],
    ['GET', /^\/v2\/account\/keys\/([^/]+)$/, ({ acct, params }) => ({ status: 200, body: { ssh_key: keyView(core.findKey(acct, params[0]!)) } })],
    ['PUT', /^\/v2\/account\/keys\/([^/]+)$/, ({ acct, params, body }) => {
      const k = core.findKey(acct, params[0]!);
      if (typeof body.name === 'string' && body.name) k.name = body.name;
      return { status: 200, body: { ssh_key: keyView(k) } };
    }],
    ['DELETE', /^\/v2\/account\/keys\/([^/]+)$/, ({ acct, params }) => {
      acct.keys.delete(core.findKey(acct, params[0]!).id);
      return { status: 204 };
    }],
    ['GET', /^\/v2\/droplets$/, (ctx) => {
      const tag = ctx.query.get('tag_name');
      const name = ctx.query.get('name');
      const items = [...ctx.acct.droplets.values()].filter((d) => (tag === null || d.tags.includes(tag)) && (name === null || d.name === name));
      return list('droplets', items, ctx, (d) => dropletView(d, now()));
    }],
    ['POST', /^\/v2\/droplets$/, async ({ acct, body, baseUrl }) => {
      const created = await core.createDroplets(acct, body);
      const actions = created.map((d) => core.recordAction(acct, d, 'create'));
      const links = { actions: actions.map((a) => ({ id: a.id, rel: 'create', href: `${baseUrl}/v2/actions/${a.id}` })) };
      const views = created.map((d) => dropletView(d, now()));
      return { status: 202, body: body.names === undefined ? { droplet: views[0], links } : { droplets: views, links } };
    }],
    ['DELETE', /^\/v2\/droplets$/, async ({ acct, query }) => {
      const tag = query.get('tag_name');
      if (!tag) throw badRequest('tag_name is required to delete droplets by tag');
      await core.deleteByTag(acct, tag);
      return { status: 204 };
    }],
    ['GET', /^\/v2\/droplets\/(\d+)$/, ({ acct, params }) => ({ status: 200, body: { droplet: dropletView(core.droplet(acct, Number(params[0])), now()) } })],
    ['DELETE', /^\/v2\/droplets\/(\d+)$/, async ({ acct, params }) => {
      await core.deleteDroplet(acct, Number(params[0]));
      return { status: 204 };
    }],
    ['GET', /^\/v2\/droplets\/(\d+)\/actions$/, (ctx) => {
      const id = Number(ctx.params[0]);
      core.droplet(ctx.acct, id);
      return list('actions', [...ctx.acct.actions.values()].filter((a) => a.resourceId === id), ctx, (a) => actionView(a, now()));
    }],
    ['POST', /^\/v2\/droplets\/(\d+)\/actions$/, async ({ acct, params, body }) => ({
      status: 201,
      body: { action: actionView(await core.dropletAction(acct, Number(params[0]), body), now()) },
    })],
    ['GET', /^\/v2\/droplets\/(\d+)\/actions\/(\d+)$/, ({ acct, params }) => {
      const a = acct.actions.get(Number(params[1]));
      if (!a || a.resourceId !== Number(params[0])) throw notFound();
      return { status: 200, body: { action: actionView(a, now()) } };
    }],
    ['GET', /^\/v2\/actions\/(\d+)$/, ({ acct, params }) => {
      const a = acct.actions.get(Number(params[0]));
      if (!a) throw notFound();
      return { status: 200, body: { action: actionView(a, now()) } };
    }],
    ['GET', /^\/v2\/tags$/, (ctx) => list('tags', [...ctx.acct.tags.keys()], ctx, (t) => core.tagCounts(ctx.acct, t))],
    ['POST', /^\/v2\/tags$/, ({ acct, body }) => ({ status: 201, body: { tag: core.tagCounts(acct, core.createTag(acct, body.name)) } })],
    ['GET', /^\/v2\/tags\/([^/]+)$/, ({ acct, params }) => {
      const name = decodeURIComponent(params[0]!);
      if (!acct.tags.has(name)) throw notFound();
      return { status: 200, body: { tag: core.tagCounts(acct, name) } };
    }],
    ['DELETE', /^\/v2\/tags\/([^/]+)$/, ({ acct, params }) => {
      core.deleteTag(acct, decodeURIComponent(params[0]!));
      return { status: 204 };
    }],
    ['POST', /^\/v2\/tags\/([^/]+)\/resources$/, ({ acct, params, body }) => {
      core.tagResources(acct, decodeURIComponent(params[0]!), body.resources, true);
      return { status: 204 };
    }],
    ['DELETE', /^\/v2\/tags\/([^/]+)\/resources$/, ({ acct, params, body }) => {
      core.tagResources(acct, decodeURIComponent(params[0]!), body.resources, false);
      return { status: 204 };
    }],
    ['GET', /^\/v2\/regions$/, (ctx) => list('regions', [...REGIONS], ctx, (r) => regionView(r.slug))],
    ['GET', /^\/v2\/sizes$/, (ctx) => list('sizes', [...SIZES], ctx, (s) => sizeView(s.slug))],
    ['GET', /^\/v2\/images$/, (ctx) => list('images', [...IMAGES], ctx, (i) => imageView(i.id))],
  ];
}

async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Json;
  } catch {
    throw badRequest('unable to parse the request body as JSON');
  }
}

/** The DigitalOcean API over HTTP: auth, rate limits, injected faults, routes. */
export function createApiHandler(core: EmulatorCore, limiter: RateLimiter, baseUrl: () => string, onRequest?: (e: RequestLogEntry) => void) {
  const routes = createRoutes(core);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId };
    let acctName: string | null = null;
    let internal: string | undefined;
    const send = (status: number, body?: Json) => {
      res.writeHead(status, headers);
      res.end(body === undefined ? undefined : JSON.stringify(body));
      onRequest?.({ method, path: url.pathname + url.search, status, account: acctName, ...(internal ? { error: internal } : {}) });
    };
    const fail = (status: number, id: string, message: string) => send(status, { id, message, request_id: requestId });
    try {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
      const acct = token === undefined ? undefined : core.accountByToken(token);
      // Like DigitalOcean, every answer carries the rate-limit headers, refusals included.
      const rate = limiter.take(token ?? '');
      Object.assign(headers, { 'ratelimit-limit': rate.limit, 'ratelimit-remaining': rate.remaining, 'ratelimit-reset': rate.reset });
      if (!acct || !token) return fail(401, 'Unauthorized', 'Unable to authenticate you');
      acctName = acct.spec.name;
      if (!rate.allowed) return fail(429, SERVER_ERRORS[429]!.id, SERVER_ERRORS[429]!.message);
      if (acct.failNext.count > 0) {
        acct.failNext.count--;
        const e = SERVER_ERRORS[acct.failNext.status]!;
        return fail(acct.failNext.status, e.id, e.message);
      }
      for (const [m, re, handler] of routes) {
        const match = re.exec(url.pathname);
        if (!match) continue;
        if (m !== method) continue;
        const body = method === 'GET' || method === 'HEAD' ? {} : await readBody(req);
        const reply = await handler({ acct, params: match.slice(1), query: url.searchParams, body, baseUrl: baseUrl(), path: url.pathname });
        return send(reply.status, reply.body);
      }
      const known = routes.some(([, re]) => re.test(url.pathname));
      if (known) return fail(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}`);
      throw notFound();
    } catch (err) {
      if (err instanceof ApiError) return err.body ? send(err.status, err.body) : fail(err.status, err.id, err.message);
      internal = (err as Error)?.message ?? String(err);
      return fail(500, 'server_error', 'Server was unable to give you a response.');
    }
  };
}
