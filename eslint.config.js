import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/*
 * Module boundaries (docs: CONVENTIONS "Layout"). A module reaches another only through its index.ts;
 * module code never imports src/server (which composes the modules) or src/testing (test helpers);
 * src/trpc sits below the modules and reads at most their index.ts (types its context carries).
 * Patterns are matched against the import as written, so each folder depth gets its own `up`
 * (the number of '../' from the file to src/modules).
 */
const otherModuleInternals = (up) => ({
  regex: `^${'\\.\\./'.repeat(up)}(?!\\.\\.)[^/]+/(?!index\\.ts$)`,
  message: 'Another module is reached only through its index.ts.',
});
const serverOrTesting = { regex: '(^|/)(server|testing)/', message: 'Modules never import src/server or src/testing.' };
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const moduleTests = ['src/modules/**/*.test.ts'];

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'loadtest/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/modules/*/*.ts'], rules: restrict(otherModuleInternals(1), serverOrTesting) },
  { files: ['src/modules/*/*/*.ts'], rules: restrict(otherModuleInternals(2), serverOrTesting) },
  // Tests drive the app through src/server and src/testing, but still meet other modules at their index.ts.
  { files: moduleTests.map((f) => f.replace('**', '*')), rules: restrict(otherModuleInternals(1)) },
  { files: moduleTests.map((f) => f.replace('**', '*/*')), rules: restrict(otherModuleInternals(2)) },
  {
    files: ['src/trpc/**/*.ts'],
    rules: restrict(
      { regex: '^\\.\\./modules/[^/]+/(?!index\\.ts$)', message: 'src/trpc reads no module internals: lookups come in through the context.' },
      { regex: '^\\.\\./server/', message: 'src/trpc sits below src/server.' },
    ),
  },
  // PM2 reads its process file with require(): CommonJS by necessity.
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
