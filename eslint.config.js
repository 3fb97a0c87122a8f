// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Orchestrator code is replayed: it may use only the orchestration context for time, ids, waiting and I/O. */
const determinism = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { regex: '^node:', message: 'Orchestrator code is replayed: do I/O in an activity.' },
        {
          regex:
            '^(fs|path|os|http|https|net|crypto|child_process|timers|util|events|stream|worker_threads)(/.*)?$',
          message: 'Orchestrator code is replayed: do I/O in an activity.',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask'].map(
      (name) => ({ name, message: 'Use context.df.createTimer in orchestrator code.' }),
    ),
    { name: 'fetch', message: 'Call the network from an activity, never from orchestrator code.' },
    { name: 'process', message: 'Read settings in an activity or pass them as input.' },
    { name: 'crypto', message: 'Use context.df.newGuid in orchestrator code.' },
    { name: 'performance', message: 'Use context.df.currentUtcDateTime in orchestrator code.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use context.df.currentUtcDateTime.' },
    { object: 'Math', property: 'random', message: 'Use context.df.newGuid for randomness.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Use context.df.currentUtcDateTime instead of new Date().',
    },
    {
      selector: "CallExpression[callee.name='Date']",
      message: 'Use context.df.currentUtcDateTime instead of Date().',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.devhost/**',
      'test-artifacts/**',
      'bench/results/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'describe', 'it', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['orchestrator-app/src/orchestrations/**/*.ts'],
    rules: determinism,
  },
  {
    // Command-line tools, tests, benchmarks and scripts talk to the terminal directly.
    files: ['tests/**', 'bench/**', 'scripts/**', 'devhost/src/cli.ts', 'devhost/src/cli/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
