import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The default branch of a new repository: a push to it is a deployment. */
export const DEFAULT_BRANCH = 'main';

/** App ids are ours (`app_` and base64url); checked anyway, so no path can leave REPOS_DIR. */
const APP_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** A repository is named by the App's id, not its name: it moves with the App, and a reused name gets a new one. */
export function repositoryPath(reposDir: string, appId: string): string {
  if (!APP_ID.test(appId)) throw new Error('not an App id');
  return path.join(reposDir, `${appId}.git`);
}

/** What git sees: no system or global configuration, no inherited secrets. */
export function gitEnv(reposDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: reposDir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
    LANG: 'C', ...extra,
  };
}

async function git(reposDir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { env: gitEnv(reposDir), shell: false, timeout: 30_000 });
  return stdout.trim();
}

/**
 * Creates the App's bare repository if it does not exist yet: initialised beside it and
 * renamed into place, so a crash or a second process never leaves half a repository.
 */
export async function ensureRepository(reposDir: string, appId: string): Promise<string> {
  const target = repositoryPath(reposDir, appId);
  if (existsSync(target)) return target;
  mkdirSync(reposDir, { recursive: true });
  const temp = path.join(reposDir, `.init-${appId}-${randomBytes(6).toString('hex')}`);
  try {
    await git(reposDir, ['init', '--bare', '--quiet', `--initial-branch=${DEFAULT_BRANCH}`, temp]);
    renameSync(temp, target);
  } catch (err) {
    if (!existsSync(target)) throw err;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return target;
}

export function removeRepository(reposDir: string, appId: string): boolean {
  const target = repositoryPath(reposDir, appId);
  if (!existsSync(target)) return false;
  rmSync(target, { recursive: true, force: true });
  return true;
}

/** The branch HEAD names (the default branch), and its commit, or null while it has none. */
export async function defaultBranchHead(repo: string, reposDir: string): Promise<{ branch: string; commit: string | null }> {
  const ref = await git(reposDir, ['--git-dir', repo, 'symbolic-ref', 'HEAD']);
  const branch = ref.replace(/^refs\/heads\//, '');
  try {
    return { branch, commit: await git(reposDir, ['--git-dir', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) };
  } catch {
    return { branch, commit: null };
  }
}

/**
 * After the first push into an empty repository whose default branch was not pushed (a
 * local `master`, say), HEAD points at the pushed branch instead, as hosting services do.
 */
export async function adoptPushedBranch(repo: string, reposDir: string): Promise<void> {
  const heads = (await git(reposDir, ['--git-dir', repo, 'for-each-ref', '--format=%(refname)', 'refs/heads/'])).split('\n').filter(Boolean);
  if (heads.length === 0) return;
  const pick = heads.find((h) => h === `refs/heads/${DEFAULT_BRANCH}`) ?? heads.find((h) => h === 'refs/heads/master') ?? heads[0];
  await git(reposDir, ['--git-dir', repo, 'symbolic-ref', 'HEAD', pick]);
}
