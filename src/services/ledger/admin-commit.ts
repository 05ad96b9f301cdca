import type { AppContext } from '../../context.js';
import { withTransaction, type DbClient } from '../../db/pool.js';
import { relayOutboxRows } from '../../queue/outbox-relay.js';
import { progressChanged } from '../progress.js';
import { LedgerBatch, type AfterCommit } from './apply.js';
import type { EventEffects } from './effects.js';

export type LedgerCommitDeps = Pick<AppContext, 'db' | 'queues' | 'changes' | 'progress' | 'config' | 'logger'>;

/**
 * What every ledger commit does once it is in: drops the campaigns' cached progress here and in
 * every API process, and relays the receipts and consumer events the transaction recorded
 * (whatever the queue store refuses now, the sweeper relays later).
 */
export async function afterLedgerCommit(deps: LedgerCommitDeps, after: AfterCommit, extra: readonly Promise<unknown>[] = []): Promise<void> {
  await Promise.all([
    progressChanged(deps, after.campaigns),
    relayOutboxRows(deps.db, deps.queues, after.outbox, deps.config.OUTBOX_MARK_EVERY_MS).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'outbox relay failed; the sweeper will relay'),
    ),
    ...extra,
  ]);
}

/**
 * Runs an admin's money change (an offline donation, a void, a chunk of an import) in one
 * transaction: `work` reads what it needs (and may insert the donations it records) and returns
 * the effects, which the ledger's one apply step writes like a batch of Stripe events'.
 */
export async function commitLedgerChange<T>(
  deps: LedgerCommitDeps,
  campaignId: number,
  work: (client: DbClient) => Promise<{ result: T; effects: EventEffects }>,
): Promise<T> {
  const { result, after } = await withTransaction(deps.db, async (client) => {
    const { result, effects } = await work(client);
    const batch = new LedgerBatch(client);
    await batch.applyEffects(effects, null);
    return { result, after: await batch.finish() };
  });
  after.campaigns.add(campaignId);
  await afterLedgerCommit(deps, after);
  return result;
}
