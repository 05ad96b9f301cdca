import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { PrettyStream } from 'pino-pretty';
import type { Config } from './config.js';

export type { Logger };

const require = createRequire(import.meta.url);

/**
 * Human-readable lines for someone watching a terminal; JSON lines (one object per line) for
 * everything else: log collectors, files, pipes. pino-pretty is loaded only for a terminal.
 */
function destination(): DestinationStream | undefined {
  if (!process.stdout.isTTY) return undefined;
  const pretty = require('pino-pretty') as (options: object) => PrettyStream;
  return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
}

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { service: 'goalpost' },
    redact: { paths: ['req.headers.authorization', 'req.headers["stripe-signature"]'], censor: '[redacted]' },
  };
  const stream = destination();
  return stream ? pino(options, stream) : pino(options);
}
