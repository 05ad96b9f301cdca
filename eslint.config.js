// Lint: typescript-eslint's recommended rules, plus the import-boundary rule that keeps the
// layers (README, "Architecture"): each folder may import only the layers listed for it.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** The layers, by folder (patterns match the whole path from the repository root). */
const elements = [
  { type: 'domain', pattern: 'src/domain/**', partialMatch: false },
  { type: 'errors', pattern: 'src/errors.ts', mode: 'full' },
  { type: 'shared', pattern: ['src/config.ts', 'src/logger.ts', 'src/paths.ts'], mode: 'full' },
  { type: 'metrics', pattern: 'src/metrics.ts', mode: 'full' },
  { type: 'db', pattern: 'src/db/**', partialMatch: false },
  { type: 'integrations', pattern: 'src/integrations/**', partialMatch: false },
  { type: 'services', pattern: 'src/services/**', partialMatch: false },
  { type: 'queue', pattern: 'src/queue/**', partialMatch: false },
  { type: 'presenters', pattern: 'src/http/presenters/**', partialMatch: false },
  { type: 'http', pattern: 'src/http/**', partialMatch: false },
  { type: 'workers', pattern: 'workers/**', partialMatch: false },
  { type: 'context', pattern: 'src/context.ts', mode: 'full' },
  { type: 'composition', pattern: 'src/runtime.ts', mode: 'full' },
  { type: 'bin', pattern: 'src/bin/**', partialMatch: false },
  { type: 'dev', pattern: 'src/dev/**', partialMatch: false },
  { type: 'emulator', pattern: 'packages/stripe-emulator/src/**', partialMatch: false },
  { type: 'web', pattern: 'src/web/**', partialMatch: false },
];

/** What a SQL statement starts with (keywords in capitals, as every query here is written). */
const SQL = String.raw`/\b(SELECT\s[\s\S]*\sFROM|INSERT INTO|UPDATE\s+\w+\s+SET|DELETE FROM|WITH\s+\w+\s+AS\s*\()\b/`;

const NO_EMULATOR = { group: ['@goalpost/stripe-emulator', '@goalpost/stripe-emulator/*'], message: 'Only src/dev may load the emulator.' };
const NO_EXPRESS = { name: 'express', message: 'Transport belongs in src/http.' };

const layer = (type) => ({ to: { element: { type } } });
const allow = (from, to) => ({ from: { element: { type: from } }, allow: to.map(layer) });
/** `import type` only: the shape, never the code (the context's type is how layers receive their dependencies). */
const allowTypes = (from, to) => ({ from: { element: { type: from } }, allow: to.map(layer), dependency: { kind: 'type' } });

/** Who may import whom. Anything not listed is refused. */
const policies = [
  // Pure rules: nothing of ours but the typed errors.
  allow('domain', ['domain', 'errors']),
  allow('errors', ['errors']),
  allow('shared', ['shared', 'errors']),
  // All SQL lives here; plain rows out.
  allow('db', ['db', 'domain', 'errors', 'shared']),
  allowTypes('db', ['queue']),
  // Wrappers of what is outside: Stripe, SMTP, outbound HTTP.
  allow('integrations', ['integrations', 'domain', 'errors', 'shared']),
  // Use cases: no transport (no http, no express).
  allow('services', ['services', 'db', 'domain', 'integrations', 'queue', 'errors', 'shared', 'metrics']),
  allowTypes('services', ['context']),
  allow('queue', ['queue', 'db', 'domain', 'errors', 'shared', 'metrics']),
  allowTypes('queue', ['context']),
  allow('metrics', ['queue', 'shared']),
  // Routes, presenters, SSE: they call services, never the database.
  allow('http', ['http', 'presenters', 'services', 'domain', 'integrations', 'queue', 'errors', 'shared', 'metrics']),
  allowTypes('http', ['context', 'db']),
  // Wire shapes of rows: shared by the routes and the CLI's output.
  allow('presenters', ['presenters', 'domain']),
  allowTypes('presenters', ['db']),
  // One thin file per job: a service call with the job's payload.
  allow('workers', ['workers', 'services', 'queue', 'domain', 'errors', 'shared', 'metrics']),
  allowTypes('workers', ['context', 'db']),
  allow('context', ['http', 'db', 'services', 'integrations', 'queue', 'shared', 'metrics']),
  allow('composition', ['context', 'metrics', 'db', 'services', 'integrations', 'queue', 'http', 'workers', 'domain', 'errors', 'shared']),
  allow('bin', ['composition', 'context', 'presenters', 'dev', 'services', 'db', 'domain', 'errors', 'shared']),
  // Development-only glue (the emulator's launcher), imported dynamically on the no-key path.
  allow('dev', ['shared', 'emulator']),
  // The emulator stands in for Stripe: it shares nothing with Goalpost.
  allow('emulator', ['emulator']),
  allow('web', ['web', 'domain']),
];

export default tseslint.config(
  { ignores: ['dist/**', 'packages/*/dist/**', 'node_modules/**', 'bench/results/**', 'test-artifacts/**', 'outbox/**', 'src/web/dashboard/api-types.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Tests and the bench read JSON off the wire and poke at it; typing every body buys nothing.
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'packages/*/tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts', 'workers/**/*.ts', 'packages/*/src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'boundaries/include': ['src/**/*.ts', 'workers/**/*.ts', 'packages/*/src/**/*.ts'],
      'import/resolver': { typescript: { project: 'tsconfig.json' } },
      // Single-file layers (src/config.ts, src/runtime.ts…) still need `mode: 'full'`, which v7
      // reports as deprecated on every run; `partialMatch: false` only describes folders.
      'boundaries/legacy-warnings': false,
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies }],
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    // Production code never loads the emulator; only the launcher in src/dev does, on the no-key path.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/dev/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_EMULATOR] }] },
  },
  {
    // Services own use cases, not transport (and the layers below them even less).
    files: ['src/services/**/*.ts', 'src/domain/**/*.ts', 'src/db/**/*.ts', 'workers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_EXPRESS], patterns: [NO_EMULATOR] }] },
  },
  {
    // src/db owns all SQL: a query written anywhere else is a query the next schema change misses.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=${SQL}]`, message: 'SQL belongs in src/db.' },
        { selector: `TemplateElement[value.raw=${SQL}]`, message: 'SQL belongs in src/db.' },
      ],
    },
  },
);
