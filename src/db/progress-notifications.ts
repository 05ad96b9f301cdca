import pg from 'pg';
import type { Logger } from '../logger.js';
import { campaignIdOf, type ProgressChangeFeed } from '../domain/progress-changes.js';
import type { Db } from './pool.js';

/** NOTIFY channel; notifications never leave their database, so one fixed name per deployment. */
const PROGRESS_NOTIFY_CHANNEL = 'goalpost_progress_changed';
/**
 * The change fan-out on PostgreSQL alone: `pg_notify` on the pool, `LISTEN` on one dedicated
 * connection per process. A dropped connection is rebuilt and reported as a resume, since
 * notifications sent meanwhile are gone. A lost LISTEN connection is rebuilt after `retryMs`
 * (PROGRESS_LISTEN_RETRY_MS), and again, until the database answers.
 */
export function postgresProgressFeed(
  db: Db,
  databaseUrl: string,
  logger: Logger,
  timing: { connectTimeoutMs: number; retryMs: number },
): ProgressChangeFeed {
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;

  return {
    async publish(campaignId) {
      await db.query('SELECT pg_notify($1, $2)', [PROGRESS_NOTIFY_CHANNEL, String(campaignId)]).catch(() => undefined);
    },
    subscribe(listener) {
      let listenedBefore = false;
      const scheduleRetry = () => {
        if (closed || retry) return;
        retry = setTimeout(() => {
          retry = null;
          connect().catch(scheduleRetry);
        }, timing.retryMs);
      };
      const lost = (lostClient: pg.Client) => {
        if (client !== lostClient) return;
        client = null;
        void lostClient.end().catch(() => {});
        scheduleRetry();
      };
      const connect = async (): Promise<void> => {
        const candidate = new pg.Client({ connectionString: databaseUrl, keepAlive: true, connectionTimeoutMillis: timing.connectTimeoutMs });
        candidate.on('notification', (message) => {
          const campaignId = message.payload ? campaignIdOf(message.payload) : null;
          if (campaignId) listener.onChange(campaignId);
        });
        candidate.on('error', (error) => {
          logger.debug({ err: error }, 'progress LISTEN connection lost');
          lost(candidate);
        });
        candidate.on('end', () => lost(candidate));
        try {
          await candidate.connect();
          await candidate.query(`LISTEN ${PROGRESS_NOTIFY_CHANNEL}`);
        } catch (error) {
          void candidate.end().catch(() => {});
          throw error;
        }
        if (closed) return void (await candidate.end());
        client = candidate;
        if (listenedBefore) listener.onResume();
        listenedBefore = true;
      };
      return connect().catch((error: unknown) => {
        logger.warn({ err: error }, 'could not listen for progress changes yet; streams fall back to the heartbeat meanwhile');
        scheduleRetry();
      });
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
