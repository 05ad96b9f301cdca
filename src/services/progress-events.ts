import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * How every process hears that a campaign's money changed, whichever process committed it:
 * Redis pub/sub when REDIS_URL is set, PostgreSQL LISTEN/NOTIFY otherwise
 * (src/db/progress-notifications.ts). Delivery is best effort on both: a reader that missed a
 * message still sees the change on its next heartbeat or when its short cache expires.
 */
export interface ProgressChangeFeed {
  /** Announces a change after its transaction committed; never throws. */
  publish(campaignId: number): Promise<void>;
  /**
   * Listens on its own connection until close(). `onResume` runs after a lost connection came
   * back, when messages may have been missed. Resolves once listening (or having failed to).
   */
  subscribe(listener: ProgressChangeListener): Promise<void>;
  close(): Promise<void>;
}

export interface ProgressChangeListener {
  onChange(campaignId: number): void;
  onResume(): void;
}

/** Parses a message: a campaign id, or null for anything else. */
export function campaignIdOf(message: string): number | null {
  const campaignId = Number(message);
  return Number.isSafeInteger(campaignId) && campaignId > 0 ? campaignId : null;
}

/** Redis channel on which every API process hears that a campaign's progress changed. */
export function progressChannel(prefix: string): string {
  return `${prefix}:progress-changed`;
}

export function redisProgressFeed(publisher: Redis, redisUrl: string, prefix: string, logger: Logger): ProgressChangeFeed {
  let subscriber: Redis | null = null;
  return {
    async publish(campaignId) {
      await publisher.publish(progressChannel(prefix), String(campaignId)).catch(() => 0);
    },
    subscribe(listener) {
      // A subscribed connection can run no other command, so it is never the shared one.
      subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
      let connectedBefore = false;
      subscriber.on('error', (error) => logger.debug({ err: error }, 'progress subscriber connection error'));
      subscriber.on('ready', () => {
        // After a reconnect (ioredis re-subscribes by itself) changes may have been missed.
        if (connectedBefore) listener.onResume();
        connectedBefore = true;
      });
      subscriber.on('message', (_channel: string, message: string) => {
        const campaignId = campaignIdOf(message);
        if (campaignId) listener.onChange(campaignId);
      });
      return subscriber.subscribe(progressChannel(prefix)).then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error }, 'could not subscribe to progress changes; streams fall back to the heartbeat'),
      );
    },
    async close() {
      subscriber?.disconnect();
      subscriber = null;
    },
  };
}
