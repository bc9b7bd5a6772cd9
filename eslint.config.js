import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaries } from './eslint/boundaries.js';
import { importCircles } from './eslint/import-circles.js';

/** What opens a connection from the browser: only src/backend/http/ may use these. */
const HTTP_GLOBALS = ['fetch', 'EventSource', 'XMLHttpRequest', 'WebSocket'];
const httpMessage = (name) =>
  `Only src/backend/http/ talks HTTP (${name}): add a capability method.`;
const httpGlobal = (name) => ({ name, message: httpMessage(name) });
/** The same reached through the global object: window.fetch, globalThis.fetch, self.fetch. */
const httpProperties = ['window', 'globalThis', 'self'].flatMap((object) =>
  HTTP_GLOBALS.map((property) => ({ object, property, message: httpMessage(property) })),
);
const readsEnvironment = {
  object: 'process',
  property: 'env',
  message: 'Read configuration in mock-server/config.ts or src/lib/env.ts.',
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'data', 'test-artifacts', 'bench-results'] },
  {
    // Prettier wraps code at 100 but never breaks a string or a regular expression: those are
    // split by hand, and this keeps every line within 140 characters (URLs excepted).
    files: ['**/*.{ts,tsx,js}'],
    rules: { 'max-len': ['error', { code: 140, ignoreUrls: true }] },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: {
      faultline: { rules: { boundaries, 'import-circles': importCircles } },
      'react-hooks': reactHooks,
    },
    rules: {
      'faultline/boundaries': 'error',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Import circles make load order matter and hide a missing layer: none, anywhere, not even
    // through type-only imports.
    files: ['**/*.{ts,tsx}'],
    rules: { 'faultline/import-circles': 'error' },
  },
  {
    // A promise nobody awaits loses its error: await it, return it, or say `void` on purpose.
    files: [
      'src/**/*.{ts,tsx}',
      'mock-server/**/*.ts',
      'agent/**/*.ts',
      'examples/**/*.ts',
      'scripts/**/*.ts',
      'test/**/*.{ts,tsx}',
      'bench/**/*.ts',
    ],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // Configuration is parsed in one file per side; nothing else reads the environment.
    files: ['src/**/*.{ts,tsx}', 'mock-server/**/*.ts'],
    ignores: ['src/lib/env.ts', 'mock-server/config.ts'],
    rules: {
      'no-restricted-properties': ['error', readsEnvironment],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.type='MetaProperty'][property.name='env']",
          message: 'Read import.meta.env in src/lib/env.ts.',
        },
      ],
    },
  },
  {
    // The HTTP adapter is the only code that talks HTTP (shared/STYLE.md: layout); the entry
    // points only hand it the browser's fetch.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/backend/http/**', 'src/main.tsx', 'src/status-main.tsx'],
    rules: {
      'no-restricted-globals': ['error', ...HTTP_GLOBALS.map(httpGlobal)],
      // A later block's options replace an earlier one's: the environment rule is kept here.
      'no-restricted-properties': ['error', ...httpProperties, readsEnvironment],
    },
  },
  {
    files: ['src/lib/env.ts'],
    rules: { 'no-restricted-properties': ['error', ...httpProperties] },
  },
);
