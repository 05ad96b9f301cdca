import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { campaignIdOf, type ProgressChangeFeed } from '../domain/progress-changes.js';

export type { ProgressChangeFeed } from '../domain/progress-changes.js';

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
