import path from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaries } from './eslint/boundaries.js';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'data', 'test-artifacts', 'bench-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { faultline: { rules: { boundaries } }, 'react-hooks': reactHooks },
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
    // Import circles make load order matter and hide a missing layer: none, anywhere.
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
          alias: { '@': [path.resolve(import.meta.dirname, 'src')] },
        }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // A promise nobody awaits loses its error: await it, return it, or say `void` on purpose.
    files: [
      'src/**/*.{ts,tsx}',
      'mock-server/**/*.ts',
      'agent/**/*.ts',
      'examples/**/*.ts',
      'scripts/**/*.ts',
    ],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // The HTTP adapter is the only code that talks HTTP (shared/STYLE.md: layout).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/backend/http/**', 'src/main.tsx', 'src/status-main.tsx'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Only src/backend/http/ calls fetch: add a capability method.' },
        { name: 'EventSource', message: 'Only src/backend/http/ opens streams.' },
      ],
    },
  },
  {
    // Configuration is parsed in one file per side; nothing else reads the environment.
    files: ['src/**/*.{ts,tsx}', 'mock-server/**/*.ts'],
    ignores: ['src/lib/env.ts', 'mock-server/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration in mock-server/config.ts or src/lib/env.ts.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.type='MetaProperty'][property.name='env']",
          message: 'Read import.meta.env in src/lib/env.ts.',
        },
      ],
    },
  },
);
