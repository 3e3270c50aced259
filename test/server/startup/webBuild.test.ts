import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webBuildState, webSourcesHash, writeWebBuildStamp } from '../../../src/server/webBuild.js';

/** Issue 18: `npm start` after `git pull` rebuilds a web app whose sources changed. */
describe('the web build stamp', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dash-web-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  it('is missing before the first build, fresh after it, stale when a source or the build config changes', () => {
    write('index.html', '<div id="root"></div>');
    write('vite.config.ts', 'export default {}');
    write('src/web/main.tsx', 'console.log(1)');
    write('src/server/authz/permissions.ts', 'export const x = 1');
    write('src/server/main.ts', 'server code');
    expect(webBuildState(root).state).toBe('missing');

    write('dist/web/index.html', 'built');
    expect(webBuildState(root).state).toBe('stale'); // built by hand, no stamp: built again once
    writeWebBuildStamp(webSourcesHash(root), root);
    expect(webBuildState(root).state).toBe('fresh');

    write('src/server/main.ts', 'other server code'); // not an input of the web build
    expect(webBuildState(root).state).toBe('fresh');

    for (const [file, text] of [['src/web/main.tsx', 'console.log(2)'], ['src/web/pages/New.tsx', 'new page'], ['vite.config.ts', 'export default { base: "/" }'], ['src/server/authz/permissions.ts', 'export const x = 2']]) {
      write(file, text);
      expect(webBuildState(root).state, file).toBe('stale');
      writeWebBuildStamp(webSourcesHash(root), root);
      expect(webBuildState(root).state).toBe('fresh');
    }
  });
});
