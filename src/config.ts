import { existsSync } from 'node:fs';
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

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: integer(3000, 0).pipe(z.number().max(65535)),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/goalpost'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z.string().regex(/^[\w:.-]+$/).default('goalpost'),
    STRIPE_SECRET_KEY: optional(z.string().regex(/^(sk|rk)_(test|live)_\w+$/, 'must look like sk_test_... or sk_live_...')),
    STRIPE_WEBHOOK_SECRET: optional(
      z.string().regex(/^whsec_\w+(,whsec_\w+)*$/, 'one or more comma-separated whsec_... secrets'),
    ),
    STRIPE_API_BASE: optional(z.url({ protocol: /^https?$/ })),
    STRIPE_EMULATOR_PORT: integer(12111, 0).pipe(z.number().max(65535)),
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
    WEBHOOK_RETRY_SCHEDULE_MS: durations.default([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000]),
    WEBHOOK_TIMEOUT_MS: integer(15_000, 1),
    // A month is closed (period.closed) this long after it ends, so payments still in flight at midnight count.
    PERIOD_CLOSE_DELAY_MS: integer(900_000),
    FEE_PERCENT: z.coerce.number().min(0).max(50).default(2.9),
    FEE_FIXED: integer(30),
    CHECKOUT_RATE_LIMIT_PER_MINUTE: integer(30, 1),
    SSE_MAX_CONNECTIONS_PER_CLIENT: integer(20, 1),
    // Comment lines on idle live-progress streams so proxies keep them open (most cut at 30-60 s).
    SSE_HEARTBEAT_MS: integer(15_000, 100),
    STRIPE_EVENT_ATTEMPTS: integer(8, 1),
    RECEIPT_ATTEMPTS: integer(12, 1),
    // First retry delay of a receipt; each next one doubles (12 attempts from 10 s span about 6 hours).
    RECEIPT_BACKOFF_MS: integer(10_000, 1),
    // A receipt claimed for sending this long ago belongs to a worker that died mid-send: resend it.
    RECEIPT_SENDING_TIMEOUT_MS: integer(600_000, 1_000),
    RECONCILE_EVERY_MS: integer(300_000, 1_000),
    SWEEP_EVERY_MS: integer(30_000, 100),
    SHUTDOWN_TIMEOUT_MS: integer(10_000, 100),
    // Ledger write path (issue 13): stored Stripe events a worker applies per transaction.
    LEDGER_BATCH_SIZE: integer(100, 1),
  });

/** Rules across variables, checked on the raw environment so they are reported with the rest. */
function crossVariableProblems(source: NodeJS.ProcessEnv): string[] {
  if (source.STRIPE_SECRET_KEY && !source.STRIPE_WEBHOOK_SECRET) {
    return ['STRIPE_WEBHOOK_SECRET: is required when STRIPE_SECRET_KEY is set'];
  }
  return [];
}

export type Env = z.infer<typeof envSchema>;

/** The emulator signs its webhooks with this secret when none is configured. */
export const EMULATOR_WEBHOOK_SECRET = 'whsec_goalpost_emulator_dev_secret';
export const EMULATOR_SECRET_KEY = 'sk_test_goalpost_emulator';

export interface Config extends Env {
  /** True when no Stripe key is configured: the built-in emulator stands in for Stripe. */
  useStripeEmulator: boolean;
  stripeWebhookSecrets: string[];
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
  const secrets = env.STRIPE_WEBHOOK_SECRET ?? EMULATOR_WEBHOOK_SECRET;
  return {
    ...env,
    useStripeEmulator,
    stripeWebhookSecrets: secrets.split(','),
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
  };
}

/** Reads `.env` when present (Node's own parser) without overriding the real environment. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
