import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package's own root: workflows and the schema ship with it, one copy of each. */
const PACKAGE_ROOT = new URL('../../', import.meta.url).pathname;

export const WORKFLOWS = ['godots-plan.yml', 'godots-apply.yml', 'godots-drift.yml'] as const;

const STARTER = (fleet: string) => `# yaml-language-server: $schema=./schemas/fleet.schema.json
# A godots fleet. Edit, then: godots validate && godots plan && godots apply
version: 1
fleet: ${fleet}

defaults:
  region: nyc3
  size: s-1vcpu-1gb
  image: ubuntu-24-04-x64

ssh:
  private_key: .godots/id_ed25519     # generated on first apply when absent
  known_hosts: .godots/known_hosts

accounts:
  main:
    token_env: DO_TOKEN_MAIN          # the NAME of the variable holding the token

groups:
  worker:
    count: 2

scripts:
  hello:
    on: [worker]
    run: echo "hello from $GODOTS_HOST"
`;

const GITIGNORE_LINES = ['.godots/', 'results/'];

export interface InitResult {
  readonly written: readonly string[];
  readonly skipped: readonly string[];
}

/**
 * Scaffolds a fleet repository: fleet.yaml (with the schema modeline),
 * .gitignore entries for .godots/, and the three GitOps workflows. Existing
 * files are left alone unless `force`; the answer lists what was written.
 */
export function initProject(dir: string, options: { fleet?: string; force?: boolean; workflows?: boolean } = {}): InitResult {
  const written: string[] = [];
  const skipped: string[] = [];
  const put = (rel: string, text: string) => {
    const path = join(dir, rel);
    if (existsSync(path) && !options.force) {
      skipped.push(rel);
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(rel);
  };
  const name = (options.fleet ?? 'my-fleet').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '').slice(0, 31) || 'my-fleet';
  put('fleet.yaml', STARTER(name));
  // A copy of the schema beside the fleet: editors validate offline, and it is versioned with the file.
  put('schemas/fleet.schema.json', readFileSync(join(PACKAGE_ROOT, 'schemas/fleet.schema.json'), 'utf8'));
  if (options.workflows !== false) {
    for (const w of WORKFLOWS) put(join('.github/workflows', w), readFileSync(join(PACKAGE_ROOT, '.github/workflows', w), 'utf8'));
  }
  // .gitignore is merged, never replaced: only missing lines are added.
  const gi = join(dir, '.gitignore');
  const current = existsSync(gi) ? readFileSync(gi, 'utf8') : '';
  const missing = GITIGNORE_LINES.filter((l) => !current.split('\n').includes(l));
  if (missing.length > 0) {
    writeFileSync(gi, current + (current && !current.endsWith('\n') ? '\n' : '') + '# godots: keys, pins, local state and run log\n' + missing.join('\n') + '\n');
    written.push('.gitignore');
  }
  return { written, skipped };
}
