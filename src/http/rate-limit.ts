import type { Request, RequestHandler } from 'express';
import { rateLimit, type IncrementResponse, type Options as RateLimitConfig, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { Db } from '../db/pool.js';
import { decrementRateLimit, incrementRateLimit, resetRateLimit } from '../services/rate-limits.js';
import { clientKey } from '../domain/ip-ranges.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * rate-limit-redis loads its Lua script once, at start-up, and keeps the promise: when Redis is
 * not connected yet (or down) at that moment, every later call fails on the remembered rejection.
 * This store loads the script on first use and again after any failure, so the limiter counts
 * from the first request and recovers by itself once Redis is back.
 */
class RecoveringRedisStore extends RedisStore {
  private scriptLoaded = false;

  override async init(options: RateLimitConfig): Promise<void> {
    this.windowMs = options.windowMs;
  }

  override async increment(key: string) {
    if (!this.scriptLoaded) this.incrementScriptSha = this.loadIncrementScript();
    try {
      const result = await super.increment(key);
      this.scriptLoaded = true;
      return result;
    } catch (error) {
      this.scriptLoaded = false;
      throw error;
    }
  }
}

/**
 * Whom a request is counted for: the client address Express derives under TRUST_PROXY (behind a
 * trusted proxy, the address that proxy saw; otherwise the socket's), IPv6 by its /64.
 */
function requestClientKey(req: Request): string {
  return clientKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/**
 * The same fixed windows in PostgreSQL when there is no Redis: one upsert per counted request
 * on an unlogged table (rate_limit_counters; the maintenance sweep deletes ended windows).
 */
class PostgresStore implements Store {
  private windowMs = 60_000;

  constructor(
    private readonly db: Db,
    readonly prefix: string,
  ) {}

  init(options: RateLimitConfig): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const window = await incrementRateLimit(this.db, this.prefix + key, this.windowMs);
    return { totalHits: window.hits, resetTime: window.reset_at };
  }

  async decrement(key: string): Promise<void> {
    await decrementRateLimit(this.db, this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await resetRateLimit(this.db, this.prefix + key);
  }
}

/**
 * Where a limiter counts, shared by every API process: Redis (keys under REDIS_PREFIX) when
 * REDIS_URL is set, else PostgreSQL. `name` keeps limiters (and deployments) apart.
 */
export function rateLimitStore(deps: { redis: Redis | null; db: Db; redisPrefix: string }, name: string): Store {
  if (!deps.redis) return new PostgresStore(deps.db, `${name}:`);
  const redis = deps.redis;
  return new RecoveringRedisStore({
    prefix: `${deps.redisPrefix}:rate:${name}:`,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<number | string>,
  });
}

export interface RateLimitOptions {
  store: Store;
  limit: number;
  windowMs: number;
  logger: Logger;
  message: string;
  /** Count only requests answered with a status this accepts (e.g. failed authentications); default: every request. */
  countsStatus?: (status: number) => boolean;
}

/**
 * Per client IP, counted in a shared store (rateLimitStore) so every API process shares the
 * budget. Over the limit: a 429 problem with Retry-After. When the store is unreachable the
 * request is let through (and logged): turning donors away because the limiter's store is down
 * would cost more than it protects.
 */
export function sharedRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    passOnStoreError: true,
    keyGenerator: requestClientKey,
    ...(options.countsStatus && {
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => !options.countsStatus!(res.statusCode),
    }),
    // Our key already groups IPv6 by /64, and trust proxy is the operator's TRUST_PROXY setting.
    validate: { keyGeneratorIpFallback: false, trustProxy: false, xForwardedForHeader: false },
    store: options.store,
    logger: {
      error: (error: unknown, message?: string) => options.logger.warn({ err: error }, message ?? 'rate limiter error'),
      warn: (error: unknown, message?: string) => options.logger.warn({ err: error }, message ?? 'rate limiter warning'),
    },
    handler: (_req, res, next) => {
      const retryAfter = String(res.getHeader('Retry-After') ?? Math.ceil(options.windowMs / 1000));
      next(new AppError('rate_limited', options.message, [], { 'Retry-After': retryAfter }));
    },
  });
}
