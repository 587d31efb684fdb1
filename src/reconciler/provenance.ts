import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

export interface Provenance {
  readonly gitCommit: string | null;
  readonly actor: string | null;
}

/** Who asked for a run and at which commit: CI's variables first, else git and the local user. */
export function provenance(env: Readonly<Record<string, string | undefined>>, dir: string): Provenance {
  let gitCommit = env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? null;
  if (!gitCommit) {
    try {
      gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
    } catch {
      gitCommit = null;
    }
  }
  let actor = env.GITHUB_ACTOR ?? env.GITLAB_USER_LOGIN ?? env.USER ?? null;
  if (!actor) {
    try {
      actor = userInfo().username;
    } catch {
      actor = null;
    }
  }
  return { gitCommit, actor };
}
