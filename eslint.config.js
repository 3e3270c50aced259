import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.dependency-cruiser.cjs', 'dist/**', 'node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**', 'src/server/db/migrations/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
        message: 'Domain code takes time from ctx.clock (STYLE.md); Date.now() only in src/server/shared/clock.ts, jobs plumbing and tests.',
      }],
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**', 'src/server/shared/clock.ts', 'src/web/**', '*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
