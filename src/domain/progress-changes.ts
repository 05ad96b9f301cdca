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
