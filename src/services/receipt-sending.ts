import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/pool.js';
import {
  claimReceipts,
  markReceiptsSent,
  receiptStates,
  releaseReceipts,
  type ReceiptForMail,
  type ReceiptRelease,
} from '../db/receipts.js';
import { MAIL_CONNECTIONS, isRecipientRejected } from '../integrations/mail.js';
import { countReceipt } from '../metrics.js';
import { composeReceiptMail } from './receipt-mail.js';

/** What became of one run of a job's receipts; the job runner turns it into the end, a retry or a delay. */
export type SendOutcome =
  /** Every row is sent or failed for good (`sent` of them by this run; none for a duplicate job or a replay). */
  | { kind: 'done'; sent: number }
  /**
   * Rows left for later, and nothing to retry: another worker is sending them (look again when
   * its claim would count as abandoned), or this run started no mail for them (its claim's first
   * half was over, or the worker is shutting down). Run again at `retryAt` (ms since epoch),
   * without using up one of the job's attempts.
   */
  | { kind: 'later'; retryAt: number }
  /**
   * Rows not sent: retried with backoff unless `final` (the last attempt, or recipients the
   * server refuses for good). The job's other rows are recorded either way.
   */
  | { kind: 'failed'; error: Error; final: boolean };

/**
 * Sends a job's receipts rows (receipts, copies, refund confirmations, statements), each at
 * most once as far as this side can tell:
 *
 * 1. Claim: pending → sending, attempts + 1, every claimable row in one statement committed
 *    before any SMTP traffic. Rows already sent or failed are left out (a duplicate job, a
 *    replay, a retry after some were sent), and so are rows another run is sending. Should
 *    the database go away as the claim commits, its answer is lost: the claim is tried again
 *    within this run (see claimOwnRows), which takes back the rows it had claimed.
 * 2. Send each (MAIL_CONNECTIONS at once, the SMTP pool's size) with a Message-ID derived from
 *    the row, then record every delivered one in one statement.
 * 3. SMTP failures are handed back in one statement: as pending, and the job throws so BullMQ
 *    retries it with backoff; on the last attempt, or for a recipient the server refuses for
 *    good, as failed with the error. One row's failure never holds back another's send. Rows
 *    whose mail was not started (see `startBefore`, `shutdown`) go back untried, attempt returned.
 *
 * The window left: a worker killed after the server accepted a message and before step 2's
 * commit leaves the row 'sending'. After RECEIPT_SENDING_TIMEOUT_MS (far above any live send)
 * another attempt takes it over and sends again with the same Message-ID. We prefer a possible
 * duplicate, recognisable as such, to a receipt that silently never arrives.
 *
 * `shutdown` aborts when the worker shuts down: mails under way finish and are recorded, the rest
 * go back untried, so a deploy never leaves a batch 'sending' until its claim expires.
 */
export async function sendStoredReceipts(
  ctx: AppContext,
  receiptIds: readonly number[],
  attempt: { last: boolean },
  shutdown?: AbortSignal,
): Promise<SendOutcome> {
  // No mail starts in the second half of the claim's lifetime, so a live worker always ends its
  // sends (SMTP timeouts are far shorter) before any other may count the claim abandoned.
  const startBefore = Date.now() + ctx.config.RECEIPT_SENDING_TIMEOUT_MS / 2;
  // One statement claims the rows and reads what their mails show; marking them sent is the other.
  const claimed = await claimOwnRows(ctx, receiptIds, startBefore, shutdown);
  const results = await sendEach(ctx, claimed, () => Date.now() < startBefore && !shutdown?.aborted);
  const sent = results.filter((result) => result.kind === 'sent');
  // Recorded before the failures: failing to record a delivered mail must never mark it for resending.
  await recordSent(ctx, sent);
  const releases = results.filter((result) => result.kind !== 'sent').map((result) => releaseOf(result, attempt.last));
  await releaseReceipts(ctx.db, releases);
  for (const release of releases) logRelease(ctx, release);
  if (sent.length) ctx.logger.info({ receiptIds: sent.map((result) => result.receipt.id) }, 'receipts sent');

  const failures = releases.filter((release) => release.error !== null);
  const retryable = failures.filter((failure) => failure.status === 'pending');
  if (retryable.length) return { kind: 'failed', error: new Error(summary(retryable)), final: false };
  const claimedIds = new Set(claimed.map((receipt) => receipt.id));
  const unclaimed = receiptIds.filter((id) => !claimedIds.has(id));
  const others = unclaimed.length ? await unclaimedRows(ctx, unclaimed) : { handedBack: 0, busyUntil: null };
  if (others.handedBack) return { kind: 'failed', error: new Error(`${others.handedBack} receipt(s) handed back while claiming; retrying`), final: false };
  if (releases.length > failures.length) return { kind: 'later', retryAt: Date.now() };
  if (others.busyUntil !== null) return { kind: 'later', retryAt: others.busyUntil };
  if (failures.length) return { kind: 'failed', error: new Error(summary(failures)), final: true };
  return { kind: 'done', sent: sent.length };
}

type SendResult =
  | { kind: 'sent'; receipt: ReceiptForMail; messageId: string }
  | { kind: 'error'; receipt: ReceiptForMail; error: unknown }
  | { kind: 'not started'; receipt: ReceiptForMail };

/**
 * Composes and sends each claimed row, at most MAIL_CONNECTIONS at once, while `mayStart` allows
 * another mail; never throws for one mail.
 */
async function sendEach(ctx: AppContext, claimed: readonly ReceiptForMail[], mayStart: () => boolean): Promise<SendResult[]> {
  const results: SendResult[] = [];
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      const receipt = claimed[next++]!;
      if (!mayStart()) {
        results.push({ kind: 'not started', receipt });
        continue;
      }
      try {
        const mail = await composeReceiptMail(ctx.db, ctx.config, receipt);
        await ctx.mailer.send(mail);
        results.push({ kind: 'sent', receipt, messageId: mail.messageId });
      } catch (error) {
        results.push({ kind: 'error', receipt, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAIL_CONNECTIONS, claimed.length) }, lane));
  return results;
}

/** How often a claim, or delivered mails' record, is tried again while the database is away. */
const DATABASE_RETRY_MS = 1_000;

/**
 * Claims the rows under a name of this run's own. A claim that committed as the database went
 * away leaves its rows 'sending' with its answer lost; claiming again under the same name (while
 * no mail could start anyway, until `startBefore`) takes them back, where a later run would find
 * them claimed and wait RECEIPT_SENDING_TIMEOUT_MS. The name is this run's, not the job's: a job
 * BullMQ runs again while this run still goes (a stalled lock) must not take over rows this run
 * is sending.
 */
function claimOwnRows(ctx: AppContext, receiptIds: readonly number[], startBefore: number, shutdown?: AbortSignal): Promise<ReceiptForMail[]> {
  const claim = { claimant: randomUUID(), abandonedAfterMs: ctx.config.RECEIPT_SENDING_TIMEOUT_MS };
  return whileDatabaseAway(ctx, () => claimReceipts(ctx.db, receiptIds, claim), {
    giveUpAt: startBefore,
    shutdown,
    waiting: 'database away while claiming receipts; claiming again shortly',
  });
}

/**
 * Records delivered mails, waiting out a database outage (up to the claim's own lifetime, and
 * through a shutdown) rather than giving up: a receipt whose delivery went unrecorded would be
 * taken over and sent twice.
 */
async function recordSent(ctx: AppContext, sent: readonly Extract<SendResult, { kind: 'sent' }>[]): Promise<void> {
  if (!sent.length) return;
  await whileDatabaseAway(ctx, () => markReceiptsSent(ctx.db, sent.map(({ receipt, messageId }) => ({ id: receipt.id, messageId }))), {
    giveUpAt: Date.now() + ctx.config.RECEIPT_SENDING_TIMEOUT_MS,
    waiting: 'receipts sent but the database is away; recording them again shortly',
  });
  for (const { receipt } of sent) countReceipt(receipt.kind, 'sent');
}

/**
 * Runs `work`, again every DATABASE_RETRY_MS while the database is away, until `giveUpAt` or the
 * worker shuts down; then the outage's error goes to the caller (and the job is postponed).
 */
async function whileDatabaseAway<T>(
  ctx: AppContext,
  work: () => Promise<T>,
  until: { giveUpAt: number; shutdown?: AbortSignal; waiting: string },
): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || until.shutdown?.aborted || Date.now() + DATABASE_RETRY_MS >= until.giveUpAt) throw error;
      ctx.logger.debug(until.waiting);
      await sleep(DATABASE_RETRY_MS);
    }
  }
}

interface Release extends ReceiptRelease {
  receipt: ReceiptForMail;
  cause: unknown;
}

/**
 * A failed send is retried unless this was the job's last attempt or the server refuses the
 * recipient for good. A mail not started goes back untried (no error: its attempt is returned).
 */
function releaseOf(result: Exclude<SendResult, { kind: 'sent' }>, lastAttempt: boolean): Release {
  const { receipt } = result;
  if (result.kind === 'not started') return { id: receipt.id, attempt: receipt.attempts, status: 'pending', error: null, receipt, cause: null };
  const reason = result.error instanceof Error ? result.error.message : String(result.error);
  const final = lastAttempt || isRecipientRejected(result.error);
  return { id: receipt.id, attempt: receipt.attempts, status: final ? 'failed' : 'pending', error: reason.slice(0, 2_000), receipt, cause: result.error };
}

function logRelease(ctx: AppContext, release: Release): void {
  const { id: receiptId, receipt, attempt } = release;
  if (release.error === null) {
    ctx.logger.debug({ receiptId }, 'receipt not started (claim half over, or shutting down); left for the next run');
    return;
  }
  const final = release.status === 'failed';
  countReceipt(receipt.kind, 'failed');
  ctx.logger.warn(
    { err: release.cause, receiptId, kind: receipt.kind, attempt, final },
    final ? 'receipt failed for good' : 'receipt not sent; will retry',
  );
}

function summary(failures: readonly Release[]): string {
  const [first] = failures;
  return `${failures.length} receipt(s) not sent (receipt ${first!.id}: ${first!.error})`;
}

/**
 * Rows this job could not claim. One another worker is sending is looked at again when that
 * claim would count as abandoned (`busyUntil`, the earliest): by then it is sent, or its worker
 * died and this job takes over. A row found pending was handed back between the claim and this
 * read (`handedBack`): the job retries. Rows sent or failed for good need nothing more.
 */
async function unclaimedRows(ctx: AppContext, receiptIds: readonly number[]): Promise<{ handedBack: number; busyUntil: number | null }> {
  const states = await receiptStates(ctx.db, receiptIds);
  const handedBack = states.filter((row) => row.status === 'pending').length;
  const abandonedAt = states
    .filter((row) => row.status === 'sending' && row.claimed_at)
    .map((row) => row.claimed_at!.getTime() + ctx.config.RECEIPT_SENDING_TIMEOUT_MS + 1_000);
  const busyUntil = abandonedAt.length ? Math.min(...abandonedAt) : null;
  if (busyUntil !== null) ctx.logger.debug({ receiptIds, until: new Date(busyUntil) }, 'receipts being sent by another worker; checking later');
  else if (!handedBack) ctx.logger.debug({ receiptIds }, 'receipts already handled; nothing to send');
  return { handedBack, busyUntil };
}
