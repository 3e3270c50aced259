import { APP_NAME } from '../modules/apps/view.js';

export type GitService = 'git-upload-pack' | 'git-receive-pack';

export interface GitCommand { service: GitService; appName: string }

/**
 * The only commands the server runs (API.md): `git-upload-pack '<name>.git'` and
 * `git-receive-pack '<name>.git'`, the path in single quotes as git sends it, with or
 * without a leading `/`. The App name must be a valid App name (lowercase letters, digits,
 * single inner hyphens, 3–30 characters), which rules out `..`, `/`, NUL, quotes, spaces and
 * upper case before anything touches the file system. Anything else: null.
 */
export function parseGitCommand(command: string): GitCommand | null {
  if (command.length > 200) return null;
  const match = /^(git-upload-pack|git-receive-pack) '\/?([a-z0-9-]{3,30})\.git'$/.exec(command);
  if (!match) return null;
  const [, service, appName] = match;
  if (!APP_NAME.test(appName) || appName.includes('--')) return null;
  return { service: service as GitService, appName };
}
