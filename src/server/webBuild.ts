import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = path.join(ROOT, 'dist/web');

/** What the web build reads: its sources, the matrix it imports, and the build's own configuration. */
export const WEB_INPUTS = ['index.html', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json', 'public', 'src/web', 'src/shared', 'src/server/authz'];

/** Outside dist/web, so it is never served. */
const stampFile = (root: string) => path.join(root, 'dist/web-build-stamp');

function files(root: string, relative: string): string[] {
  const full = path.join(root, relative);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [relative];
  return readdirSync(full).sort().flatMap((name) => files(root, path.join(relative, name)));
}

/** A hash of every input's path and content: any change since the last build shows. */
export function webSourcesHash(root = ROOT): string {
  const hash = createHash('sha256');
  for (const file of WEB_INPUTS.flatMap((input) => files(root, input))) {
    hash.update(file.split(path.sep).join('/')).update('\0').update(readFileSync(path.join(root, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export interface WebBuildState { state: 'missing' | 'stale' | 'fresh'; hash: string }

/** `missing`: never built; `stale`: built from other sources (or by hand, without a stamp); `fresh`. */
export function webBuildState(root = ROOT): WebBuildState {
  const hash = webSourcesHash(root);
  if (!existsSync(path.join(root, 'dist/web/index.html'))) return { state: 'missing', hash };
  const stamp = existsSync(stampFile(root)) ? readFileSync(stampFile(root), 'utf8').trim() : '';
  return { state: stamp === hash ? 'fresh' : 'stale', hash };
}

export function writeWebBuildStamp(hash: string, root = ROOT) {
  mkdirSync(path.dirname(stampFile(root)), { recursive: true });
  writeFileSync(stampFile(root), hash + '\n');
}

export class WebBuildError extends Error {}

/** Runs `vite build` (its output goes to this terminal) and stamps the result with the sources' hash. */
export async function buildWeb(hash = webSourcesHash()): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new WebBuildError('The web app build failed (see the output above); fix it, or start with SKIP_WEB_BUILD=1 to serve the API only.');
  writeWebBuildStamp(hash);
}
