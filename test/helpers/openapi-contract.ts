import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Schema = Record<string, unknown>;
interface Operation {
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: Schema }> }>;
}

const spec = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/do-openapi/digitalocean-api-v2-subset.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
const ajv = addFormats(new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }));
const cache = new Map<Schema, ValidateFunction>();

function findOperation(method: string, path: string): { template: string; op: Operation } | undefined {
  const clean = path.split('?')[0]!;
  for (const [template, ops] of Object.entries(spec.paths)) {
    const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    const op = ops[method.toLowerCase()];
    if (op && re.test(clean)) return { template, op };
  }
  return undefined;
}

/**
 * Problems with one answer of the emulator, judged by DigitalOcean's own OpenAPI
 * description: an undocumented status, a body that does not validate, a missing
 * documented header. Empty when the answer is what DigitalOcean documents.
 */
export function contractProblems(method: string, path: string, status: number, body: unknown, headers: Headers): string[] {
  const found = findOperation(method, path);
  if (!found) return [`${method} ${path}: no such operation in DigitalOcean's API description`];
  const { template, op } = found;
  // OpenAPI's `default` documents every status not listed by number.
  const response = op.responses[String(status)] ?? op.responses.default;
  if (!response) return [`${method} ${template}: status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`];
  const problems: string[] = [];
  for (const h of Object.keys(response.headers ?? {})) {
    if (h === 'content-type' && status === 204) continue;
    if (headers.get(h) === null) problems.push(`${method} ${template} ${status}: missing header ${h}`);
  }
  const schema = response.content?.['application/json']?.schema;
  if (schema) {
    let validate = cache.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      cache.set(schema, validate);
    }
    if (!validate(body)) {
      for (const e of validate.errors ?? []) problems.push(`${method} ${template} ${status}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
  return problems;
}
