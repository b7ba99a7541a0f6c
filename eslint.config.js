// Kindling lint gate. Run as `eslint . --max-warnings 0`: every warning blocks, so a rule is
// either worth fixing everywhere or switched off here with a reason.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import pluginSecurity from 'eslint-plugin-security';
import noUnsanitized from 'eslint-plugin-no-unsanitized';
import pluginSdl from '@microsoft/eslint-plugin-sdl';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import kindling from './tools/pipeline/eslint-rules/index.js';

const WEB_TSX = ['apps/web/**/*.tsx'];
const WEB_TS = ['apps/web/**/*.{ts,tsx}'];

/** Scope a shareable config (one object or an array) to some files only. */
function only(files, config) {
  return (Array.isArray(config) ? config : [config]).map((c) => ({ ...c, files }));
}

export default defineConfig(
  {
    name: 'kindling/ignores',
    ignores: [
      '**/dist/**',
      '**/dist-types/**',
      '**/node_modules/**',
      'artifacts/**',
      '**/coverage/**',
      '**/test-results/**',
      '**/playwright-report/**',
      '**/*.d.ts',
      '**/*.d.mts',
      '**/*.tsbuildinfo',
      '**/generated/**',
      '**/*.generated.*',
      '.kindling/**',
      // Pipeline self-test fixtures: they carry their own config and are linted by the
      // self-tests (tools/pipeline/gates.selftest.test.ts) in a scratch copy.
      'tools/pipeline/fixtures/**',
    ],
  },
  {
    name: 'kindling/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    name: 'kindling/typescript-project',
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },

  {
    // Tests, test support, tools and benchmarks are in no package tsconfig (they must not ship
    // in dist); tsconfig.checks.json owns them, and the project service only discovers files
    // named tsconfig.json. So these files use that program explicitly.
    name: 'kindling/checks-project',
    files: [
      '**/*.test.{ts,tsx}',
      '**/test-support/**/*.{ts,tsx}',
      'tools/**/*.ts',
      'bench/**/*.ts',
      'vitest.config.ts',
    ],
    // apps/web's tsconfig includes all of src (its tests too); the project service finds it.
    ignores: ['apps/web/**'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './tsconfig.checks.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },

  {
    name: 'kindling/style-tuning',
    rules: {
      // obj['key'] on an index signature (process.env, parsed JSON, Record<string, T>) marks a
      // key that may be absent; noUncheckedIndexedAccess types it `T | undefined` either way.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
    },
  },

  // Security rule sets. Their warnings block too (--max-warnings 0).
  pluginSecurity.configs.recommended,
  noUnsanitized.configs.recommended,
  // @microsoft/eslint-plugin-sdl 1.1.0 exports flat configs as arrays. Its `common` and `node`
  // sets are used as published. Its `configs.typescript` is a copy of the react set (a bug in
  // lib/index.js) and its config/typescript.js forces parserOptions.ecmaVersion 6 on every
  // file, so its one TypeScript rule is applied directly below instead. `recommended`/`required`
  // are not used: they re-register `security` with the plugin's own older copy (1.4.0), which
  // flat config rejects as a redefinition, and add Angular/Electron rules we have no use for.
  ...pluginSdl.configs.common,
  ...pluginSdl.configs.node,
  {
    name: 'kindling/sdl-typescript',
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      // What sdl's typescript set does: the type-aware variant replaces the core rule.
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
    },
  },
  {
    name: 'kindling/security-tuning',
    rules: {
      // Flags every obj[key] / arr[i]. With noUncheckedIndexedAccess and zod-parsed input at
      // every boundary its hits are nearly all false positives, and a rule that is always
      // suppressed teaches people to suppress. Prototype pollution is covered in review
      // (Map for dynamic keys, no merging of untrusted objects).
      'security/detect-object-injection': 'off',
    },
  },

  {
    name: 'kindling/local-rules',
    plugins: { kindling },
    rules: { 'kindling/no-raw-sql': 'error' },
  },

  // The browser app: React rules, accessibility, browser globals instead of Node's.
  ...only(WEB_TS, reactHooks.configs.flat.recommended),
  ...only(WEB_TSX, jsxA11y.flatConfigs.strict),
  ...only(WEB_TSX, pluginSdl.configs.react),
  {
    name: 'kindling/web-globals',
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // Plain JS/MJS (this file, tools): no tsconfig owns them, so type-aware rules cannot run.
  {
    name: 'kindling/plain-js',
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    name: 'kindling/tools',
    files: ['tools/**/*.{js,mjs,ts}', 'tools/**/*.test.ts'],
    rules: {
      // The pipeline's job is to run tsc, eslint, npm, … as child processes with fixed argv
      // arrays (never a shell string), and to read files whose paths it computes.
      'security/detect-child-process': 'off',
      'security/detect-non-literal-fs-filename': 'off',
    },
  },
  {
    // Paths here come from the operator's configuration (KINDLING_HOME), from the code itself
    // (import.meta.url) or from temp folders the code creates — never from a request or a job
    // payload. The rule stays on where that can happen: apps/api and apps/worker.
    name: 'kindling/operator-paths',
    files: ['apps/cli/**/*.{js,ts}', 'packages/db/**/*.ts', 'bench/**/*.{js,mjs,ts}', '**/*.test.{ts,tsx}', '**/test-support/**/*.ts'],
    rules: { 'security/detect-non-literal-fs-filename': 'off' },
  },
  {
    // Tests build expected-message patterns from their own table rows.
    name: 'kindling/test-regexps',
    files: ['**/*.test.{ts,tsx}'],
    rules: { 'security/detect-non-literal-regexp': 'off' },
  },
);
