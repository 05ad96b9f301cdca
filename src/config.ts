import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const integer = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

const durations = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'a comma-separated list of milliseconds')
  .transform((list) => list.split(',').map(Number));

/** Express's `trust proxy`: true/false, a hop count, or a comma list of addresses, CIDR ranges and loopback/linklocal/uniquelocal. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = z
  .string()
  .trim()
  .refine(
    (value) =>
      /^(true|false|\d+)$/.test(value) ||
      value.split(',').every((entry) => {
        const [address = '', bits, ...rest] = entry.trim().split('/');
        return !rest.length && (PROXY_NAMES.has(address) ? bits === undefined : isIP(address) !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
      }),
    'true, false, a hop count, or a comma list of IPs, CIDR ranges, loopback, linklocal, uniquelocal',
  )
  .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: integer(3000, 0).pipe(z.number().max(65535)),
    // Unset: an embedded PostgreSQL under GOALPOST_DATA_DIR (src/db/embedded-postgres.ts).
    DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/ })),
    // Unset: BullMQ, change fan-out and rate limits run on PostgreSQL (src/queue/transport.ts).
    REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
    REDIS_PREFIX: z.string().regex(/^[\w:.-]+$/).default('goalpost'),
    STRIPE_SECRET_KEY: optional(z.string().regex(/^(sk|rk)_(test|live)_\w+$/, 'must look like sk_test_... or sk_live_...')),
    STRIPE_WEBHOOK_SECRET: optional(
      z.string().regex(/^whsec_\w+(,whsec_\w+)*$/, 'one or more comma-separated whsec_... secrets'),
    ),
    STRIPE_API_BASE: optional(z.url({ protocol: /^https?$/ })),
    STRIPE_EMULATOR_PORT: integer(12111, 0).pipe(z.number().max(65535)),
    // One Stripe API call may take this long (the SDK's own default is 80 s): a donor waits on
    // checkout, and 10 s is several times Stripe's slow answers.
    STRIPE_TIMEOUT_MS: integer(10_000, 1_000),
    // Concurrent checkouts with one Idempotency-Key wait this long for the first one's answer,
    // then get 409 with Retry-After: 10 s is the Stripe timeout, the longest the first can take.
    CHECKOUT_CONCURRENT_WAIT_MS: integer(10_000, 0),
    ADMIN_API_KEY: optional(z.string().min(16, 'must be at least 16 characters')),
    PUBLIC_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
    SMTP_URL: optional(z.url({ protocol: /^smtps?$/ })),
    RECEIPT_FROM: z.string().default('Goalpost <receipts@localhost>'),
    RECEIPT_OUTBOX_DIR: z.string().default('outbox'),
    // Where donors' replies go (e.g. to stop a monthly donation) when RECEIPT_FROM is a no-reply address.
    RECEIPT_REPLY_TO: optional(z.email()),
    ORG_NAME: z.string().default('Goalpost'),
    ORG_ADDRESS: z.string().default(''),
    ORG_TAX_ID: z.string().default(''),
    RECEIPT_TAX_SENTENCE: z
      .string()
      .default('No goods or services were provided in exchange for this contribution.'),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanFlag.default(false),
    // The Standard Webhooks schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
    // The first attempt is queued through the outbox with the event's own transaction, so it
    // cannot wait: the schedule starts at 0.
    WEBHOOK_RETRY_SCHEDULE_MS: durations
      .refine((schedule) => schedule[0] === 0, 'starts with 0: the first attempt is immediate')
      .default([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000]),
    WEBHOOK_TIMEOUT_MS: integer(15_000, 1),
    // A receiver's Retry-After (429/503) may push its next attempt back at most this far (or to
    // the schedule's longest delay, if longer): a day, the schedule's own last step.
    WEBHOOK_RETRY_AFTER_CAP_MS: integer(86_400_000, 1_000),
    // After a secret rotation the old secret keeps signing beside the new one this long (the API
    // documents 24 h: a consumer deploys its new secret within a day).
    WEBHOOK_SECRET_OVERLAP_MS: integer(86_400_000, 0),
    // A delivery attempt's claim outlives WEBHOOK_TIMEOUT_MS by this margin, so only a crashed
    // worker's claim ever expires (30 s covers a slow DNS answer and the commit after the send).
    WEBHOOK_CLAIM_MARGIN_MS: integer(30_000, 1_000),
    // A pending attempt this far past due with no live job is queued again by the sweeper; a
    // minute leaves delayed jobs that are merely late alone.
    WEBHOOK_OVERDUE_GRACE_MS: integer(60_000, 1_000),
    // Registering an endpoint waits this long for its DNS before answering 503 (the request is
    // an admin's, who can retry; 5 s is far above a healthy resolver).
    WEBHOOK_RESOLVE_TIMEOUT_MS: integer(5_000, 100),
    // A month is closed (period.closed) this long after it ends, so payments still in flight at midnight count.
    PERIOD_CLOSE_DELAY_MS: integer(900_000),
    FEE_PERCENT: z.coerce.number().min(0).max(50).default(2.9),
    FEE_FIXED: integer(30),
    CHECKOUT_RATE_LIMIT_PER_MINUTE: integer(30, 1),
    SSE_MAX_CONNECTIONS_PER_CLIENT: integer(20, 1),
    // Comment lines on idle live-progress streams so proxies keep them open (most cut at 30-60 s).
    SSE_HEARTBEAT_MS: integer(15_000, 100),
    // Live progress at front-page scale (issue 17): streams one process holds at most (503 past
    // it; about 6 kB each), and how long a shutdown spreads the ends of its streams over.
    SSE_MAX_STREAMS: integer(20_000, 1),
    SSE_DRAIN_MS: integer(2_000, 0),
    // A drain ends one slice of the streams this often (100 ms: 20 waves over the 2 s drain).
    SSE_DRAIN_WAVE_MS: integer(100, 1),
    // The `retry:` hint each stream gets (how soon its EventSource reconnects after a drop) is
    // drawn between these, in 500 ms steps, so a restarting replica's readers do not all come
    // back in the same second; 2-10 s is quick for a reader and spreads a crowd over 8 s.
    SSE_RETRY_MIN_MS: integer(2_000, 0),
    SSE_RETRY_MAX_MS: integer(10_000, 0),
    // The progress read caches a campaign and its figures this long between change messages: 1 s
    // bounds staleness when a message is lost and keeps a hot campaign to one query a second.
    PROGRESS_CACHE_TTL_MS: integer(1_000, 0),
    // Without Redis, a LISTEN connection that dropped is opened again after this (1 s: fast
    // enough that readers barely notice, slow enough not to hammer a restarting server).
    PROGRESS_LISTEN_RETRY_MS: integer(1_000, 100),
    STRIPE_EVENT_ATTEMPTS: integer(8, 1),
    // Stripe API calls that surely did not take effect (no connection, rate limited) are tried
    // again after each of these delays with the same idempotency key: 250 ms rides out a blip, 1 s
    // a rate limit, and a donor at checkout never waits more than about a second more for it.
    STRIPE_RETRY_DELAYS_MS: durations.default([250, 1_000]),
    // How old a signed Stripe webhook may be (its signature's timestamp) before it counts as a
    // replay: 5 min is Stripe's own default. Milliseconds like every other interval, in whole
    // seconds because the SDK's tolerance and the signed timestamp are whole seconds.
    STRIPE_WEBHOOK_TOLERANCE_MS: integer(300_000, 1_000).pipe(z.number().multipleOf(1_000, 'whole seconds (the signed timestamp is in seconds)')),
    // A stored event due this long with no worker taking it has lost its wake-up: the sweeper
    // wakes a worker. 2 s leaves a wake-up that is merely in flight alone.
    STRIPE_EVENT_OVERDUE_GRACE_MS: integer(2_000, 100),
    // A deferred event (waiting for another event, e.g. its payment) no payment claimed after
    // this long is set aside as ignored: Stripe keeps events 30 days, nothing can arrive later.
    STRIPE_EVENT_DEFERRED_MAX_MS: integer(2_592_000_000, 60_000),
    // Reconciliation pages Stripe's events from this long before the newest stored one, for
    // deliveries that failed in between: an hour covers webhooks Stripe is still retrying.
    RECONCILE_OVERLAP_MS: integer(3_600_000, 0),
    // With nothing stored yet it looks back this far: 3 days, Stripe's own webhook retry window.
    RECONCILE_FIRST_LOOKBACK_MS: integer(259_200_000, 0),
    RECEIPT_ATTEMPTS: integer(12, 1),
    // First retry delay of a receipt; each next one doubles (12 attempts from 10 s span about 6 hours).
    RECEIPT_BACKOFF_MS: integer(10_000, 1),
    // A receipt claimed for sending this long ago belongs to a worker that died mid-send: resend it.
    RECEIPT_SENDING_TIMEOUT_MS: integer(600_000, 1_000),
    // SMTP timeouts (nodemailer's connection, greeting and socket), all far below half of
    // RECEIPT_SENDING_TIMEOUT_MS (a job starts no mail in its claim's second half) so a live worker
    // always ends its sends before its claims count as abandoned. 20 s to connect and greet, 60 s
    // of socket silence: what slow mail servers need.
    SMTP_CONNECTION_TIMEOUT_MS: integer(20_000, 1_000),
    SMTP_GREETING_TIMEOUT_MS: integer(20_000, 1_000),
    SMTP_SOCKET_TIMEOUT_MS: integer(60_000, 1_000),
    // The sweeper gives a job again to a receipt still to send whose job is gone, once the receipt
    // is this old: a minute keeps it away from receipts whose first job is still being added.
    RECEIPT_REQUEUE_AFTER_MS: integer(60_000, 1_000),
    RECONCILE_EVERY_MS: integer(300_000, 1_000),
    SWEEP_EVERY_MS: integer(30_000, 100),
    SHUTDOWN_TIMEOUT_MS: integer(10_000, 100),
    // --- Connections (issue 14: every interval from config) ---
    // How long any PostgreSQL connection (pool, start check, BullMQ's PostgreSQL pools, LISTEN)
    // may take to open: 5 s is far above a healthy connect, short enough to report an outage fast.
    DATABASE_CONNECT_TIMEOUT_MS: integer(5_000, 100),
    // While PostgreSQL is away, a job of stored work tries again this often without using an
    // attempt: 5 s brings work back within seconds of a restart without spinning.
    DATABASE_OUTAGE_RETRY_MS: integer(5_000, 100),
    // A producer's Redis connect gives up after this (a web request must not hang on Redis); the
    // start-up check waits one more second for its PING. 2 s covers a loaded network hop.
    REDIS_CONNECT_TIMEOUT_MS: integer(2_000, 100),
    // How long the first process waits for another one starting the embedded PostgreSQL (and for
    // a killed run's server to stop): 60 s covers a first initdb on a slow disk.
    EMBEDDED_POSTGRES_START_TIMEOUT_MS: integer(60_000, 1_000),
    // --- Queues (issue 14) ---
    // How long a producer waits for a queue add before leaving the work to the sweeper. Unset: 500 ms
    // on Redis (one round trip), 5 s on PostgreSQL (an add is a commit on the busy ledger database;
    // 2 s proved too short on a saturated 2-core machine).
    QUEUE_ENQUEUE_TIMEOUT_MS: optional(z.coerce.number().int().min(50)),
    // First retry delay of a Stripe event job (each next one doubles): 1 s rides out a deadlock
    // or a lock wait, and 8 attempts still span minutes.
    STRIPE_EVENT_BACKOFF_MS: integer(1_000, 1),
    // Finished jobs kept for the queue dashboard: completed ones a day, failed ones 30 days as
    // evidence (long enough to notice and replay after a holiday).
    JOB_KEEP_COMPLETED_MS: integer(86_400_000, 1_000),
    JOB_KEEP_FAILED_MS: integer(2_592_000_000, 1_000),
    // How often ended months are looked for and closed (period.closed). A minute is fine-grained
    // next to PERIOD_CLOSE_DELAY_MS (15 min) and costs one small query.
    PERIOD_CLOSE_EVERY_MS: integer(60_000, 1_000),
    // Monthly donors' manage links (issue 11): how long a link works, the key that signs it (when
    // unset, a random key is made once and kept in the database, shared by every process), and
    // how many links one client may ask for per hour.
    DONOR_LINK_TTL_DAYS: integer(30, 1),
    DONOR_LINK_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
    DONOR_LINK_RATE_LIMIT_PER_HOUR: integer(10, 1),
    // At most one manage-link mail per email in this window however often it is asked for, so
    // the form cannot be used to flood a donor's inbox (10 min: a donor who lost the mail waits little).
    DONOR_LINK_MAIL_WINDOW_MS: integer(600_000, 1_000),
    // --- Build & runtime (issue 14) ---
    // PostgreSQL connections per process (API, worker or `npm start`); each costs memory on both sides.
    DATABASE_POOL_SIZE: integer(10, 1),

    // --- Production hardening (issue 12): proxies, metrics, admin sign-in ---
    // Express `trust proxy`; unset trusts no proxy, so X-Forwarded-For is ignored. Rate limits key on the address it yields.
    TRUST_PROXY: optional(trustProxy),
    // When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`.
    METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
    // How long a dashboard sign-in lasts (minutes) before the admin key must be entered again.
    ADMIN_SESSION_TTL_MINUTES: integer(480, 1),
    // Failed admin authentications allowed per client address and 15 minutes.
    ADMIN_AUTH_FAILURES_PER_15_MIN: integer(20, 1),
    // Nothing to install but Node (issue 15): the embedded PostgreSQL's folder when DATABASE_URL is unset.
    GOALPOST_DATA_DIR: z.string().min(1).default('.goalpost'),
    // Ledger write path (issue 13): stored Stripe events a worker applies per transaction.
    LEDGER_BATCH_SIZE: integer(100, 1),
    // A batch stops taking events after this long and commits, so the progress bar moves within
    // a second of the money however busy the machine is (250 ms: four commits a second at most
    // per worker under load, each still a large batch).
    LEDGER_BATCH_TIME_BUDGET_MS: integer(250, 1),
    // For this long after a claim from the start, a worker's claims start at the oldest event the
    // claim before took (services/stripe-events/claim-window.ts); 0 claims from the start always.
    // It bounds how late an event that becomes due behind that point waits while newer ones keep
    // the worker busy: with the batch budget, 250 ms keeps it within the progress bar's second.
    LEDGER_CLAIM_WINDOW_MS: integer(250, 0),
    // After a ledger commit relays its outbox rows, their "dispatched" marks gathered this long
    // share one UPDATE (and commit): 50 ms merges a busy worker's batches and delays nothing
    // anyone waits for (a lost mark only makes the sweeper add the same job id again).
    OUTBOX_MARK_EVERY_MS: integer(50, 1),
  })
  .refine((env) => env.SSE_RETRY_MIN_MS <= env.SSE_RETRY_MAX_MS, {
    path: ['SSE_RETRY_MAX_MS'],
    message: 'must not be below SSE_RETRY_MIN_MS',
  });

const LIVE_KEY = /^(sk|rk)_live_/;

/** True for a live-mode key: only live-mode events count then, and no Stripe stand-in may be used. */
function isLiveKey(key: string | undefined): boolean {
  return key !== undefined && LIVE_KEY.test(key);
}

/**
 * Rules across variables, checked on the raw environment so they are reported with the rest.
 * Production never falls back to the emulator or to a generated secret: a missing Stripe
 * variable stops the start instead of quietly accepting events anyone could sign.
 */
function crossVariableProblems(source: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => emptyAsUndefined(source[name]) !== undefined;
  const problems: string[] = [];
  if (source.NODE_ENV === 'production') {
    for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']) {
      if (!set(name)) problems.push(`${name}: is required with NODE_ENV=production (the Stripe emulator never runs in production)`);
    }
  } else if (set('STRIPE_SECRET_KEY') && !set('STRIPE_WEBHOOK_SECRET')) {
    problems.push('STRIPE_WEBHOOK_SECRET: is required when STRIPE_SECRET_KEY is set');
  } else if (set('STRIPE_API_BASE') && !set('STRIPE_WEBHOOK_SECRET')) {
    problems.push('STRIPE_WEBHOOK_SECRET: is required with STRIPE_API_BASE (the standalone emulator prints the secret it signs with)');
  }
  if (set('STRIPE_API_BASE') && isLiveKey(source.STRIPE_SECRET_KEY)) {
    problems.push('STRIPE_API_BASE: must not be set with a live key (sk_live_/rk_live_): live money only talks to the real Stripe');
  }
  if (source.NODE_ENV === 'production' && source.ADMIN_API_KEY && source.ADMIN_API_KEY.length < PRODUCTION_ADMIN_KEY_LENGTH) {
    problems.push(`ADMIN_API_KEY: must be at least ${PRODUCTION_ADMIN_KEY_LENGTH} characters in production (e.g. openssl rand -hex 32)`);
  }
  return problems;
}

/** A guessable bootstrap key is every admin right at once: production asks for a long one. */
const PRODUCTION_ADMIN_KEY_LENGTH = 32;

export type Env = z.infer<typeof envSchema>;

/**
 * Without STRIPE_WEBHOOK_SECRET (development and tests only) the in-process emulator signs with
 * a secret made up for this process: nobody outside it can sign an event it accepts.
 */
export function randomWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('hex')}`;
}

/** The emulator accepts any test key; this one is not a secret (the emulator holds no real money). */
export const EMULATOR_SECRET_KEY = 'sk_test_goalpost_emulator';

export interface Config extends Env {
  /** Where BullMQ, the change fan-out and the rate limits live: Redis when REDIS_URL is set. */
  queueBackend: 'redis' | 'postgres';
  /** True when no Stripe key is configured: the built-in emulator stands in for Stripe. */
  useStripeEmulator: boolean;
  stripeWebhookSecrets: string[];
  /** Live keys count only live-mode events; test keys and the emulator only test-mode ones. */
  stripeLivemode: boolean;
  publicBaseUrl: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; every bad variable is listed together so one restart fixes all. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  const problems = [
    ...(parsed.error?.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`) ?? []),
    ...crossVariableProblems(source),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const env = parsed.data;
  const useStripeEmulator = !env.STRIPE_SECRET_KEY;
  const secrets = env.STRIPE_WEBHOOK_SECRET ?? randomWebhookSecret();
  return {
    ...env,
    queueBackend: env.REDIS_URL ? 'redis' : 'postgres',
    useStripeEmulator,
    stripeWebhookSecrets: secrets.split(','),
    stripeLivemode: isLiveKey(env.STRIPE_SECRET_KEY),
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
  };
}

/**
 * `npm start` runs the emulator in-process only when no Stripe key is set and STRIPE_API_BASE
 * does not point at another Stripe stand-in (a standalone emulator, stripe-mock).
 */
export function shouldRunEmulator(config: Config): boolean {
  return config.useStripeEmulator && !config.STRIPE_API_BASE;
}

/** A configuration whose database is known: DATABASE_URL, or the embedded server's address. */
export type ServiceConfig = Config & { DATABASE_URL: string };

export function withDatabaseUrl(config: Config, databaseUrl: string): ServiceConfig {
  return { ...config, DATABASE_URL: databaseUrl };
}

/** For code handed a configuration that must already name its database (tests, tools). */
export function requireDatabaseUrl(config: Config): ServiceConfig {
  if (!config.DATABASE_URL) throw new ConfigError(['DATABASE_URL: required here (only the entry points start an embedded PostgreSQL)']);
  return withDatabaseUrl(config, config.DATABASE_URL);
}

/** Reads `.env` when present (Node's own parser) without overriding the real environment. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
