/** The layering rule of STYLE.md: routes -> use-cases -> repos -> db. Checked in CI (`npm run lint`). */
module.exports = {
  forbidden: [
    {
      name: 'routes-do-not-touch-the-db',
      comment: 'A route parses, calls a use-case and shapes the reply; queries live in repo.ts files.',
      severity: 'error',
      from: { path: '^src/server/(modules/[^/]+/routes|http/.+)\\.ts$', pathNot: '^src/server/http/(app|devMailbox)\\.ts$' },
      to: { path: '^(src/server/db/schema\\.ts|node_modules/(drizzle-orm|pg|@electric-sql))' },
    },
    {
      name: 'use-cases-do-not-see-http',
      comment: 'Use-cases and repos never import Fastify or the HTTP layer.',
      severity: 'error',
      from: { path: '^src/server/(modules|authz|jobs|shared)/', pathNot: '/routes\\.ts$' },
      to: { path: '^(src/server/http/|node_modules/(fastify|@fastify|fastify-type-provider-zod)/)' },
    },
    {
      name: 'repos-do-not-send-mail-or-check-permissions',
      severity: 'error',
      from: { path: '/repo\\.ts$' },
      to: { path: '^src/server/(authz|modules/mail)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'authz-is-pure',
      comment: 'The permission matrix is imported by the web app too.',
      severity: 'error',
      from: { path: '^src/server/authz/' },
      to: { pathNot: '^src/server/authz/' },
    },
    {
      name: 'web-does-not-import-server',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/server/', pathNot: '^src/server/authz/' },
    },
    {
      name: 'shared-is-shared',
      comment: 'src/shared holds data and formatters both sides import (countries, i18n catalogues); it imports neither side.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/(server|web)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true, pathNot: '^node_modules' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
