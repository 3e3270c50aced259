import { defineConfig } from 'vitest/config';

/**
 * The vitest config Stryker uses (`npm run test:mutation`): only the test files that guard
 * the module being mutated (MUTATION_MODULE, see stryker.config.mjs), one file at a time,
 * so a mutation run fits a small machine. Same harness as the normal suite (PGlite, or
 * PostgreSQL with DATABASE_URL).
 */
export const MUTATION_TESTS: Record<string, string[]> = {
  authz: ['test/server/authz/permissions.test.ts', 'test/server/authz/matrix.test.ts'],
  passwords: ['test/server/rules/passwordRules.test.ts', 'test/server/foundation/identity.test.ts'],
  security: ['test/server/rules/securityHeaders.test.ts', 'test/server/foundation/edge.test.ts'],
  render: ['test/server/rules/mailRender.test.ts', 'test/server/foundation/mail.test.ts'],
  invitations: ['test/server/rules/teamInvitationRules.test.ts', 'test/server/rules/mutants.test.ts', 'test/server/handover/*.test.ts', 'test/server/team/invitations.test.ts'],
  // team/properties.test.ts (the random walk over all team operations) is left out: it covers
  // every mutant of members and invitations and made each mutant run several times longer;
  // the rule tests name what it would catch (docs/testing.md).
  members: ['test/server/rules/memberRules.test.ts', 'test/server/rules/mutants.test.ts', 'test/server/team/members.test.ts'],
  companies: ['test/server/rules/companyRules.test.ts', 'test/server/companies/*.test.ts', 'test/server/rules/mutants.test.ts'],
  billing: ['test/server/rules/billingInputRules.test.ts', 'test/server/rules/invoiceSnapshotRules.test.ts', 'test/server/rules/billingRules.test.ts', 'test/server/billing/*.test.ts', 'test/server/companies/payments.test.ts', 'test/server/companies/companies.test.ts'],
  // The decision and the allow-list asked directly on a real database (rules/codeAccessRules);
  // ssh/access.test.ts and ssh/security.test.ts drive the same code through the real git and
  // ssh clients, which made each mutant take minutes (MUTATION_TEST_FILES adds them back).
  codeAccess: ['test/server/rules/codeAccessRules.test.ts'],
};

const module = process.env.MUTATION_MODULE ?? 'authz';
if (!MUTATION_TESTS[module]) throw new Error(`MUTATION_MODULE=${module} is not one of ${Object.keys(MUTATION_TESTS).join(', ')}`);

/** MUTATION_TEST_FILES=a.test.ts,b.test.ts narrows a run to some of the module's files. */
const include = process.env.MUTATION_TEST_FILES ? process.env.MUTATION_TEST_FILES.split(',') : MUTATION_TESTS[module];

export default defineConfig({
  test: {
    include,
    globalSetup: ['test/harness/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    // One module graph for all files of a mutant run: without it every file imported the whole
    // server again, which was half of each mutant's time. Mutants that only run while modules
    // load are static and ignored (stryker.config.mjs), so sharing the graph hides none.
    isolate: false,
  },
});
