import type { AppContext } from '../../context.js';
import { withOutboxWrites } from '../../db/outbox.js';
import { withTransaction, type DbClient } from '../../db/pool.js';
import { relayOutboxRows } from '../../queue/outbox-relay.js';

export type LedgerCommitDeps = Pick<AppContext, 'db' | 'queues' | 'changes' | 'progress' | 'config' | 'logger'>;

/**
 * Runs an admin's money change (an offline donation, a void, a chunk of an import) in one
 * transaction, then does what every ledger commit does: drops the campaign's cached progress
 * here and in every API process, and relays the receipts and consumer events the transaction
 * recorded (whatever Redis refuses now, the sweeper relays later).
 */
export async function commitLedgerChange<T>(
  deps: LedgerCommitDeps,
  campaignId: number,
  work: (client: DbClient) => Promise<T>,
): Promise<T> {
  const { result, outbox } = await withTransaction(deps.db, (client) =>
    withOutboxWrites(client, async (rows) => ({ result: await work(client), outbox: rows })),
  );
  deps.progress.invalidate(campaignId);
  await Promise.all([
    deps.changes.publish(campaignId),
    relayOutboxRows(deps.db, deps.queues, outbox).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'outbox relay failed; the sweeper will relay'),
    ),
  ]);
  return result;
}
