import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'goalpost' },
    redact: { paths: ['req.headers.authorization', 'req.headers["stripe-signature"]'], censor: '[redacted]' },
  });
}
