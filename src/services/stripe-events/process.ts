import { performance } from 'node:perf_hooks';
import type { AppContext } from '../../context.js';
import { deploymentIdOf } from '../../db/deployment.js';
import { tryLockStripeIds } from '../../db/locks.js';
import { isStalePreparedStatement, isStatementError, withTransaction, type DbClient } from '../../db/pool.js';
import { recordStripeEventFailure, type StoredStripeEvent } from '../../db/stripe-events.js';
import { livemodeRefusal } from '../../domain/foreign-money.js';
import { countDonation, stripeEventsFailed, stripeEventsProcessed } from '../../metrics.js';
import { afterLedgerCommit } from '../ledger/admin-commit.js';
import { LedgerBatch, type AfterCommit } from '../ledger/apply.js';
import { BatchLedgerState, type LedgerReads } from '../ledger/batch-state.js';
import { refused, type EventEffects } from '../ledger/effects.js';
import { chargeRefunded, chargeSucceeded, disputeHandler, refundUpdated } from './charges.js';
import { checkoutSessionHandler } from './checkout-sessions.js';
import { ClaimWindow } from './claim-window.js';
import { invoicePaid, invoicePaymentPaid } from './invoices.js';
import { wakeEventWorkers } from './ingest.js';
import { invoicePaymentFailed, subscriptionSnapshotHandler } from './subscriptions.js';
import type { EventHandler, EventInput, LedgerRead } from './types.js';

/** Event type → handler. Anything else Stripe sends is stored and marked ignored. */
const HANDLERS: Readonly<Record<string, EventHandler>> = {
  'checkout.session.completed': checkoutSessionHandler('completed'),
  'checkout.session.async_payment_succeeded': checkoutSessionHandler('async_payment_succeeded'),
  'checkout.session.async_payment_failed': checkoutSessionHandler('async_payment_failed'),
  'checkout.session.expired': checkoutSessionHandler('expired'),
  'invoice.paid': invoicePaid,
  // Stripe sends both for one payment; the invoice id makes the second a no-op.
  'invoice.payment_succeeded': invoicePaid,
  'invoice_payment.paid': invoicePaymentPaid,
  'invoice.payment_failed': invoicePaymentFailed,
  'customer.subscription.created': subscriptionSnapshotHandler('created'),
  'customer.subscription.updated': subscriptionSnapshotHandler('updated'),
  'customer.subscription.deleted': subscriptionSnapshotHandler('deleted'),
  'charge.succeeded': chargeSucceeded,
  'charge.refunded': chargeRefunded,
  // One refund by id: a failed or canceled one gives its amount back.
  'refund.created': refundUpdated,
  'refund.updated': refundUpdated,
  'refund.failed': refundUpdated,
  'charge.refund.updated': refundUpdated,
  'charge.dispute.created': disputeHandler(false),
  'charge.dispute.closed': disputeHandler(true),
};

export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

function inputOf(stored: StoredStripeEvent): EventInput {
  return { id: stored.id, type: stored.type, created: stored.created, livemode: stored.livemode, object: stored.payload.data?.object };
}

function lockIdsOf(stored: StoredStripeEvent): (string | null | undefined)[] {
  const handler = HANDLERS[stored.type];
  const object = stored.payload.data?.object;
  return handler && object ? handler.lockIds(object) : [];
}

function ledgerRead(deps: ProcessDeps, state: LedgerReads): LedgerRead {
  return {
    donation: (key) => state.donation(key),
    checkout: (sessionId) => state.checkout(sessionId),
    ledgerEntries: (donationId) => state.ledgerEntries(donationId),
    subscription: (id) => state.subscription(id),
    campaign: (id) => state.campaign(id),
    deploymentId: () => deploymentIdOf(deps.db),
  };
}

/** A test-mode event never counts in a live deployment, nor a live one in a test deployment. */
function decide(deps: ProcessDeps, handler: EventHandler, read: LedgerRead, event: EventInput): Promise<EventEffects> {
  const wrongMode = livemodeRefusal(event.livemode, deps.config.stripeLivemode);
  if (wrongMode) return Promise.resolve(refused(wrongMode));
  return handler.decide(read, event);
}

/** A deadlock or serialization failure is no fault of the event: it is taken again at once. */
function isLockConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '40P01' || code === '40001';
}

/** Exponential, like a queue's retries: STRIPE_EVENT_BACKOFF_MS (1 s), then 2 s, 4 s, … after the 1st, 2nd, 3rd failed attempt. */
const retryDelayMs = (backoffMs: number, attempt: number) => backoffMs * 2 ** (attempt - 1);

export type ProcessDeps = Pick<AppContext, 'db' | 'queues' | 'changes' | 'progress' | 'config' | 'logger'>;

interface BatchResult {
  /** Events taken to an outcome (or a recorded failure) by this batch. */
  applied: number;
  /** Events claimed but left for a later batch: another batch holds a Stripe id they name, a deadlock chose them, or time ran out. */
  skipped: number;
  after: AfterCommit;
  tally: { type: string; status: string }[];
  /** When the earliest failed event may run again, if one will. */
  retryInMs: number | null;
}

const IGNORED_TYPE = { status: 'ignored', note: 'Goalpost does not use this event type' } as const;

/** One pass of a batch's events through a LedgerBatch: what it tallied so far. */
class BatchRun {
  readonly tally: BatchResult['tally'] = [];
  retryInMs: number | null = null;
  readonly read: LedgerRead;
  private readonly startedAt = performance.now();

  constructor(
    private readonly deps: ProcessDeps,
    private readonly client: DbClient,
    readonly batch: LedgerBatch,
  ) {
    this.read = ledgerRead(deps, batch.state);
  }

  /** A batch stops taking events after LEDGER_BATCH_TIME_BUDGET_MS (having taken at least one). */
  outOfTime(): boolean {
    return this.tally.length > 0 && performance.now() - this.startedAt > this.deps.config.LEDGER_BATCH_TIME_BUDGET_MS;
  }

  /** An event whose type Goalpost does not use: true when it was recorded so. */
  skippedUnused(stored: StoredStripeEvent): boolean {
    if (HANDLERS[stored.type]) return false;
    this.batch.skip(stored.id, IGNORED_TYPE);
    this.tally.push({ type: stored.type, status: 'ignored' });
    return true;
  }

  decide(stored: StoredStripeEvent): Promise<EventEffects> {
    return decide(this.deps, HANDLERS[stored.type]!, this.read, inputOf(stored));
  }

  async apply(stored: StoredStripeEvent, fx: EventEffects): Promise<void> {
    await this.batch.applyEffects(fx, { id: stored.id, wasDeferred: stored.reruns > 0 });
    this.tally.push({ type: stored.type, status: fx.outcome.status });
  }

  /**
   * After what the event did was rolled back: a lock conflict leaves it for the next claim, a
   * stale prepared statement ends the whole batch (withTransaction drops the connection; its
   * events wait for the next claim, no attempt used), anything else is recorded.
   */
  async failed(stored: StoredStripeEvent, error: unknown): Promise<void> {
    if (isStalePreparedStatement(error)) throw error;
    if (isLockConflict(error)) return;
    const delay = await recordFailure(this.deps, this.client, stored, error);
    if (delay !== null) this.retryInMs = Math.min(this.retryInMs ?? delay, delay);
    this.tally.push({ type: stored.type, status: 'failed' });
  }
}

/**
 * The batch's events applied together: their donations, checkouts and ledger entries read at
 * once (BatchLedgerState), each event decided against what the events before it left, and
 * their donation and ledger writes flushed in a few statements. Deciding only reads, so an
 * event whose decide throws leaves nothing behind and fails alone; its monthly donation's
 * writes have a savepoint of their own. When PostgreSQL refuses a statement (a flushed write
 * breaks a constraint, a read meets a deadlock), the transaction rolls back to `stripe_batch`
 * and this returns null: the caller applies the events one by one.
 */
async function applyTogether(deps: ProcessDeps, client: DbClient, events: readonly StoredStripeEvent[]): Promise<BatchRun | null> {
  const state = new BatchLedgerState(client);
  const run = new BatchRun(deps, client, new LedgerBatch(client, state));
  try {
    await state.load(events.flatMap(lockIdsOf));
    for (const stored of events) {
      if (run.outOfTime()) break;
      if (run.skippedUnused(stored)) continue;
      let fx: EventEffects;
      try {
        fx = await run.decide(stored);
      } catch (error) {
        if (isStatementError(error)) throw error;
        await run.failed(stored, error);
        continue;
      }
      // What fails here (an oversized consumer payload, a subscription write) rolled back already.
      await run.apply(stored, fx).catch((error: unknown) => run.failed(stored, error));
    }
    await run.batch.flushWrites();
    return run;
  } catch (error) {
    // Applying one by one would meet the same connection's stale statements: the batch ends here.
    if (isStalePreparedStatement(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT stripe_batch');
    deps.logger.warn({ err: error }, 'a batch of Stripe events failed as a whole; applying its events one by one');
    return null;
  }
}

/**
 * The batch's events one by one, each in its own savepoint, reading and writing straight from
 * and to the database: a failing event rolls back alone and is recorded, the others apply.
 */
async function applyOneByOne(deps: ProcessDeps, client: DbClient, events: readonly StoredStripeEvent[]): Promise<BatchRun> {
  const run = new BatchRun(deps, client, new LedgerBatch(client));
  let savepoint = false;
  for (const stored of events) {
    if (run.outOfTime()) break;
    if (run.skippedUnused(stored)) continue;
    // One round trip: the previous event's savepoint is released as this one's is set.
    await client.query(savepoint ? 'RELEASE SAVEPOINT stripe_event; SAVEPOINT stripe_event' : 'SAVEPOINT stripe_event');
    savepoint = true;
    try {
      await run.apply(stored, await run.decide(stored));
    } catch (error) {
      // Should the rollback itself fail (the connection is gone), the whole batch fails.
      await client.query('ROLLBACK TO SAVEPOINT stripe_event');
      await run.failed(stored, error);
    }
  }
  return run;
}

/**
 * Applies one batch of stored events in one transaction: claims up to `limit` due events (other
 * workers skip them; where the claim starts: claim-window.ts), takes the locks of the Stripe
 * ids they name — an event whose ids another batch holds is left for a later batch, so no batch
 * ever waits on another's payment — then applies them together (applyTogether): a batch costs
 * a handful of statements however many events it holds. Should that fail as a whole, the events
 * are applied again one by one, each in its own savepoint, so a failing event rolls back alone
 * and is recorded (retried after a backoff, or 'failed' after its last attempt). The
 * campaign-wide parts are written once for the batch (ledger/apply.ts) before the one commit. A
 * batch stops taking events after LEDGER_BATCH_TIME_BUDGET_MS and commits, so the progress bar
 * moves within a second of the money however busy the machine is; events claimed but not
 * reached are taken by the next claim.
 */
async function applyEventBatch(deps: ProcessDeps, limit: number): Promise<Omit<BatchResult, 'after' | 'tally' | 'retryInMs'>> {
  const result = await withTransaction(deps.db, async (client): Promise<BatchResult | null> => {
    const claimed = await claimWindowOf(deps).claim(client, limit);
    if (!claimed.length) return null;
    const held = await tryLockStripeIds(client, claimed.flatMap(lockIdsOf));
    const events = claimed.filter((stored) => !lockIdsOf(stored).some((id) => id && held.has(id)));
    await client.query('SAVEPOINT stripe_batch');
    const run = (await applyTogether(deps, client, events)) ?? (await applyOneByOne(deps, client, events));
    const after = await run.batch.finish();
    const { tally, retryInMs } = run;
    return { applied: tally.length, skipped: claimed.length - tally.length, after, tally, retryInMs };
  });
  if (!result) return { applied: 0, skipped: 0 };
  for (const { type, status } of result.tally) {
    if (status === 'failed') stripeEventsFailed.inc({ type });
    else stripeEventsProcessed.inc({ type, outcome: status });
  }
  await afterCommit(deps, result);
  return { applied: result.applied, skipped: result.skipped };
}

/** A worker process's batches share one claim window: one per pool, as one per process. */
const claimWindows = new WeakMap<ProcessDeps['db'], ClaimWindow>();

function claimWindowOf(deps: ProcessDeps): ClaimWindow {
  let window = claimWindows.get(deps.db);
  if (!window) claimWindows.set(deps.db, (window = new ClaimWindow(deps.config.LEDGER_CLAIM_WINDOW_MS)));
  return window;
}

/** Records a failed attempt (after its savepoint rolled back); returns the retry's delay, or null after the last. */
async function recordFailure(deps: ProcessDeps, client: DbClient, stored: StoredStripeEvent, error: unknown): Promise<number | null> {
  const attempt = stored.attempts + 1;
  const delay = attempt >= deps.config.STRIPE_EVENT_ATTEMPTS ? null : retryDelayMs(deps.config.STRIPE_EVENT_BACKOFF_MS, attempt);
  const message = error instanceof Error ? error.message : String(error);
  await recordStripeEventFailure(client, stored.id, { error: message, retryAt: delay === null ? null : new Date(Date.now() + delay) });
  deps.logger.warn({ err: error, eventId: stored.id, type: stored.type, attempt, final: delay === null }, 'Stripe event failed');
  return delay;
}

/**
 * How long to wait before claiming again when a whole batch was left to another one: a poll step
 * (the other batch commits within LEDGER_BATCH_TIME_BUDGET_MS), not a setting.
 */
const HELD_PAUSE_MS = 20;

/**
 * Applies batches until nothing is due: what a worker does each time it is woken. Events another
 * batch holds are claimed again once it had time to commit.
 */
export async function drainStoredEvents(deps: ProcessDeps): Promise<number> {
  let total = 0;
  for (;;) {
    const { applied, skipped } = await applyEventBatch(deps, deps.config.LEDGER_BATCH_SIZE);
    if (!applied && !skipped) return total;
    total += applied;
    if (!applied) await new Promise((resolve) => setTimeout(resolve, HELD_PAUSE_MS));
  }
}

/**
 * After the commit: cached progress is dropped here and in every API process, the receipts and
 * consumer events the batch recorded reach the queue, and a wake-up is scheduled for the
 * earliest retry. Whatever the queue store refuses now, the sweeper redoes later.
 */
async function afterCommit(deps: ProcessDeps, { after, retryInMs }: BatchResult): Promise<void> {
  for (const donation of after.succeeded) countDonation(donation);
  await afterLedgerCommit(deps, after, retryInMs === null ? [] : [wakeEventWorkers(deps.queues, 'retry', retryInMs)]);
}
