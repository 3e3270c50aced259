import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server (src/server/http/app.ts) serves dist/web and falls back to index.html for
// every non-/api GET path, so the single-page app owns its own routes.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    // Not emptied first: people share one working tree and a running server may be serving
    // dist/web while someone rebuilds; overwriting in place never leaves it without index.html.
    emptyOutDir: false,
    sourcemap: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000', '/dev': 'http://localhost:3000' },
  },
});
