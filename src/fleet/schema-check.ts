import { describeObject, describeValue, preview, typeName } from './describe-path.js';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { fleetSchema, type SchemaError } from './fleet-schema.js';
import { didYouMean } from './suggest.js';
import type { DataPath, YamlSource } from './yaml-source.js';

/** Per-$def wording of a failed `pattern`, since a regex is no help to the person fixing it. */
const PATTERN_MESSAGES: Record<string, { code: DiagnosticCode; text: (label: string, value: unknown) => string }> = {
  name: {
    code: 'bad-name',
    text: (l, v) => `${l} ${preview(v)} is not a name DigitalOcean accepts here: use lower-case letters, digits and dashes, starting with a letter, at most 31 characters`,
  },
  scriptName: { code: 'bad-name', text: (l, v) => `${l} ${preview(v)} is not allowed: use letters, digits, '-', '_' and '.', at most 64 characters` },
  slug: { code: 'bad-value', text: (l, v) => `${l} ${preview(v)} is not a DigitalOcean slug (lower-case, such as s-1vcpu-1gb or ubuntu-24-04-x64)` },
  regions: { code: 'bad-value', text: (l, v) => `${l} ${preview(v)} is not a region slug such as nyc3` },
  tags: { code: 'bad-value', text: (l, v) => `${l} ${preview(v)} is not a DigitalOcean tag: letters, digits, ':', '-' and '_', at most 255 characters` },
  duration: { code: 'bad-duration', text: (l, v) => `${l} ${preview(v)} is not a duration: write a whole number followed by s, m or h, such as 90s, 10m, 1h` },
  quantity: { code: 'bad-quantity', text: (l, v) => `${l} ${preview(v)} is not a host count or a percentage from 0% to 100% (such as 5 or 25%)` },
  envName: { code: 'bad-value', text: (l, v) => `${l} ${preview(v)} is not valid: use letters, digits and underscores, not starting with a digit` },
  // Never echo: a misplaced token is the likeliest thing to find here.
  'account.token_env': { code: 'bad-value', text: (l) => `${l} must be the NAME of an environment variable (letters, digits and underscores), such as DO_TOKEN_ALPHA, never a token itself` },
  'account.api_url': { code: 'bad-value', text: (l, v) => `${l} ${preview(v)} must be an http:// or https:// URL, such as http://127.0.0.1:8787` },
  'script.interpreter': { code: 'bad-value', text: (l, v) => `${l} ${preview(v)} must be an absolute path, such as /bin/bash` },
};

function toPath(pointer: string, data: unknown): DataPath {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(seg));
      node = node[Number(seg)];
    } else {
      out.push(seg);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/** The wording for a failed value check, by the definition (or property) it belongs to. */
function patternMessage(err: SchemaError, path: DataPath): (typeof PATTERN_MESSAGES)[string] | undefined {
  if (isTokenEnvPath(path)) return PATTERN_MESSAGES['account.token_env'];
  const owner = fleetSchema().owner.get(err.parentSchema as object) ?? '';
  return PATTERN_MESSAGES[owner] ?? PATTERN_MESSAGES[owner.split('.')[0]!];
}

const PROPERTY_NOUNS: Record<string, string> = { groups: 'group', accounts: 'account', scripts: 'script', env: 'environment variable' };

function isTokenEnvPath(path: DataPath): boolean {
  return path[path.length - 1] === 'token_env';
}

/**
 * Validates the parsed data against schemas/fleet.schema.json and turns every
 * schema error into a positioned, human-worded diagnostic.
 */
export function checkSchema(source: YamlSource): Diagnostic[] {
  const { validate } = fleetSchema();
  if (validate(source.data)) return [];
  const errors = (validate.errors ?? []) as SchemaError[];
  // anyOf failures produce one error per branch; the anyOf's own message says it better.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath + '/');
  const out: Diagnostic[] = [];
  for (const err of errors) {
    if (anyOfPaths.some((p) => err.schemaPath.startsWith(p))) continue;
    if (err.keyword === 'propertyNames') continue;
    const d = toDiagnostic(source, err);
    if (d) out.push(d);
  }
  return out;
}

function toDiagnostic(source: YamlSource, err: SchemaError): Diagnostic | undefined {
  const path = toPath(err.instancePath, source.data);
  const label = describeValue(path);
  const value = err.data;
  const at = (code: DiagnosticCode, message: string, where: 'key' | 'value' = 'value', p: DataPath = path) =>
    source.at(p, code, message, where);

  if (err.propertyName !== undefined) {
    const keyPath = [...path, err.propertyName];
    const pm = patternMessage(err, keyPath);
    const noun = PROPERTY_NOUNS[String(path[path.length - 1])] ?? 'key';
    const message = pm ? pm.text(`${noun} name`, err.propertyName) : `${noun} name ${preview(err.propertyName)} ${err.message ?? 'is not allowed'}`;
    return at(pm?.code ?? 'bad-name', message, 'key', keyPath);
  }

  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const keyPath = [...path, key];
      if (/^(api_)?token$/i.test(key)) {
        return at('token-in-file', `${describeObject(path)} has a '${key}' key: tokens never go in the fleet file; put the token in an environment variable and name it with token_env (such as token_env: DO_TOKEN_ALPHA)`, 'key', keyPath);
      }
      const allowed = Object.keys((err.parentSchema as { properties?: Record<string, unknown> }).properties ?? {});
      return at('unknown-key', `unknown key '${key}' in ${describeObject(path)}${didYouMean(key, allowed)}`, 'key', keyPath);
    }
    case 'required': {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      return at('missing-key', `${describeObject(path)} is missing the required key '${missing}'`, 'key');
    }
    case 'type': {
      const scalar = patternMessage(err, path);
      if (scalar && (scalar.code === 'bad-duration' || scalar.code === 'bad-quantity')) return at(scalar.code, scalar.text(label, value));
      const want = String((err.params as { type: string | string[] }).type).split(',').map(article).join(' or ');
      const got = isTokenEnvPath(path) ? typeName(value) : `${typeName(value)}${typeof value === 'object' ? '' : ` ${preview(value)}`}`;
      return at('wrong-type', `${label} must be ${want}, not ${got}`);
    }
    case 'enum':
      if (path.length === 1 && path[0] === 'version') {
        return at('unsupported-version', `unsupported version ${preview(value)}: this release of godots supports version 1`);
      }
      return at('bad-value', `${label} ${preview(value)} must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues).join(', ')}`);
    case 'anyOf':
      if (path[path.length - 1] === 'when') {
        return at('bad-value', `${label} ${preview(value)} must be one of on-change, once, always, manual, or {schedule: "CRON"}`);
      }
      return at('bad-value', `${label} ${preview(value)} ${err.message ?? 'is not valid'}`);
    case 'minimum': {
      const limit = (err.params as { limit: number }).limit;
      return at('bad-value', `${label} must be at least ${limit}, not ${preview(value)}`);
    }
    case 'maximum':
      return at('bad-value', `${label} must be at most ${(err.params as { limit: number }).limit}, not ${preview(value)}`);
    case 'minItems':
    case 'minLength':
      return at('bad-value', `${label} must not be empty`);
    case 'minProperties':
      return at('bad-value', `${label} must name at least one ${path[0] === 'accounts' ? 'account' : 'entry'}`);
    case 'pattern': {
      const pm = patternMessage(err, path);
      if (pm) return at(pm.code, pm.text(label, value));
      return at('bad-value', isTokenEnvPath(path) ? `${label} is not valid` : `${label} ${preview(value)} is not valid`);
    }
    default:
      return at('bad-value', `${label} ${err.message ?? 'is not valid'}`);
  }
}

function article(type: string): string {
  const t = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}
