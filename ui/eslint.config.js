import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import { defineConfig } from 'eslint/config';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'tests/browser/out/'] },
  js.configs.recommended,
  ...ts.configs.strict,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
  },
  {
    // Node-side files: configs, scripts, the browser test runner.
    files: ['*.config.{js,ts}', 'scripts/**/*.mjs', 'tests/browser/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'no-console': 'error',
    },
  },
  {
    // Scripts report progress on the console; benchmarks print their figures.
    files: ['scripts/**/*.mjs', 'tests/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Only the backend adapter talks to Tauri (STYLE 18); tests may mock it.
    files: ['src/**/*.{ts,svelte}'],
    ignores: ['src/lib/backend/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tauri-apps/*'],
              message: 'Import from src/lib/backend instead: it is the only module that talks to Tauri.',
            },
          ],
        },
      ],
    },
  },
);
