import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options as RateLimitConfig } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
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
export function requestClientKey(req: Request): string {
  return clientKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

export interface RateLimitOptions {
  redis: Redis;
  /** Redis key prefix, e.g. `${REDIS_PREFIX}:rate:checkout:`; keeps deployments (and test runs) apart. */
  prefix: string;
  limit: number;
  windowMs: number;
  logger: Logger;
  message: string;
  /** Count only requests answered with a status this accepts (e.g. failed authentications); default: every request. */
  countsStatus?: (status: number) => boolean;
}

/**
 * Per client IP, counted in Redis so every API process shares the budget. Over the limit: a 429
 * problem with Retry-After. When Redis is unreachable the request is let through (and logged):
 * turning donors away because the limiter's store is down would cost more than it protects.
 */
export function redisRateLimit(options: RateLimitOptions): RequestHandler {
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
    store: new RecoveringRedisStore({
      prefix: options.prefix,
      sendCommand: (command: string, ...args: string[]) => options.redis.call(command, ...args) as Promise<number | string>,
    }),
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
