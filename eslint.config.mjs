// typescript-eslint's recommended rules plus the type-checked ones that catch real bugs in
// async code (a promise nobody awaits is a check that never ran); prettier owns layout.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-sample/**',
      'coverage/**',
      'etc/**',
      'bench/better-auth/**',
      'bench/results/**',
      'test/hosts/**',
      'test/pack/**',
      '**/*.js',
      '!sample-app/public/**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // A server's handler reads a variable the line after it is created: `let` is the honest form.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Request and body shapes come from the host's framework; `any` there is deliberate.
      '@typescript-eslint/no-explicit-any': 'off',
      // Optional peers (typeorm, nodemailer, libphonenumber-js, ioredis) are required lazily, where they are used.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  // The sample's page scripts: browser ES modules with no types to check them against, so the
  // core rules (an undefined name is a page that breaks at run time) instead of the type-aware ones.
  {
    files: ['sample-app/public/**/*.js'],
    extends: [js.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'module', globals: globals.browser },
    // The project's own settings of @typescript-eslint/no-unused-vars apply here too.
    rules: { 'no-unused-vars': 'off' },
  },
  prettier,
);
