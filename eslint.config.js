// Lint: typescript-eslint's recommended rules, plus the import-boundary rule that keeps the
// layers (README, "Architecture"): each folder may import only the layers listed for it.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** The layers, by folder. `mode: 'full'` matches the pattern against the path from the repo root. */
const elements = [
  { type: 'domain', pattern: 'src/domain/**', mode: 'full' },
  { type: 'errors', pattern: 'src/errors.ts', mode: 'full' },
  { type: 'shared', pattern: ['src/config.ts', 'src/logger.ts', 'src/paths.ts'], mode: 'full' },
  { type: 'metrics', pattern: 'src/metrics.ts', mode: 'full' },
  { type: 'db', pattern: 'src/db/**', mode: 'full' },
  { type: 'integrations', pattern: 'src/integrations/**', mode: 'full' },
  { type: 'services', pattern: 'src/services/**', mode: 'full' },
  { type: 'queue', pattern: 'src/queue/**', mode: 'full' },
  { type: 'presenters', pattern: 'src/http/presenters/**', mode: 'full' },
  { type: 'http', pattern: 'src/http/**', mode: 'full' },
  { type: 'workers', pattern: 'workers/**', mode: 'full' },
  { type: 'context', pattern: 'src/context.ts', mode: 'full' },
  { type: 'composition', pattern: 'src/runtime.ts', mode: 'full' },
  { type: 'bin', pattern: 'src/bin/**', mode: 'full' },
  { type: 'emulator', pattern: 'src/emulator/**', mode: 'full' },
  { type: 'web', pattern: 'src/web/**', mode: 'full' },
];

/** What a SQL statement starts with (keywords in capitals, as every query here is written). */
const SQL = String.raw`/\b(SELECT\s[\s\S]*\sFROM|INSERT INTO|UPDATE\s+\w+\s+SET|DELETE FROM|WITH\s+\w+\s+AS\s*\()\b/`;

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
  allow('bin', ['composition', 'context', 'presenters', 'services', 'db', 'domain', 'errors', 'shared', 'emulator']),
  allow('emulator', ['emulator', 'shared', 'errors']),
  allow('web', ['web', 'domain']),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'test-artifacts/**', 'outbox/**', 'src/web/dashboard/api-types.d.ts'] },
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
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'boundaries/include': ['src/**/*.ts', 'workers/**/*.ts'],
      'import/resolver': { typescript: { project: 'tsconfig.json' } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies }],
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    // Services own use cases, not transport.
    files: ['src/services/**/*.ts', 'src/domain/**/*.ts', 'src/db/**/*.ts', 'workers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'express', message: 'Transport belongs in src/http.' }] }],
    },
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
