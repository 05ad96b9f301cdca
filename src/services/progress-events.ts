import type { Redis } from 'ioredis';

/** Redis channel on which every API process hears that a campaign's progress changed. */
export function progressChannel(prefix: string): string {
  return `${prefix}:progress-changed`;
}

/**
 * Announces a change after its transaction committed. Best effort: if Redis is away, readers
 * still see the change when their short progress cache expires.
 */
export async function publishProgressChange(redis: Redis, prefix: string, campaignId: number): Promise<void> {
  await redis.publish(progressChannel(prefix), String(campaignId)).catch(() => 0);
}
