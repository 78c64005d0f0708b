// ESLint 9 flat config: the recommended JavaScript and TypeScript rules (typescript-eslint, without
// the type-checked set, so linting needs no build), browser globals for the page (src/), Node's
// for the server, tests and build config; layout is Prettier's job (eslint-config-prettier turns
// off the rules it would fight). Run with `npm run lint`; `npm run format` applies the fixes.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['*.js', '*.mjs', '*.ts', 'test/**/*.mjs', 'e2e/**/*.mjs'],
    ignores: ['src/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // The browser test's page.evaluate(...) callbacks run in the page.
    files: ['e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (callback parameters kept for their position).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  prettier,
);
