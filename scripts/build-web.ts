/** `npm run build`: builds the web app into dist/web and stamps it, so `npm start` knows it is current. */
import { buildWeb, WebBuildError } from '../src/server/webBuild.js';

buildWeb().then(() => console.log('Web app built into dist/web.')).catch((err: unknown) => {
  console.error(err instanceof WebBuildError ? err.message : err);
  process.exit(1);
});
