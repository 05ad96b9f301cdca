/**
 * A ledger batch's receipts travel as one `receipt.send` job: one claim, the mails, one record.
 * Driven by signed Stripe events through the real ledger, mailed to a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptRow } from '../../src/db/receipts.js';
import { QUEUES } from '../../src/queue/jobs.js';
import { drainStoredEvents } from '../../src/services/stripe-events/process.js';
import { startWorkers } from '../../src/queue/worker-runtime.js';
import { MAIL_CONNECTIONS } from '../../src/integrations/mail.js';
import { sendStoredReceipts } from '../../src/services/receipt-sending.js';
import { requeueStrandedReceipts } from '../../src/services/receipts.js';
import { jobRegistry } from '../../workers/index.js';
import { aroundQueries } from '../helpers/database.js';
import { eventually, relay, settled as receiptsSettled, sleep } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { OneTimePayment, deliver, ledgerCampaign, settled as eventsSettled, someDonor, type LedgerCampaign } from '../ledger/support.js';

let sink: SmtpSink;
let service: TestService;
let campaign: LedgerCampaign;

beforeAll(async () => {
  sink = await startSmtpSink();
  // A batch stops taking events after its time budget; on a loaded machine 250 ms could split the few a test delivers.
  service = await startTestService({ SMTP_URL: sink.url, RECEIPT_BACKOFF_MS: '50', LEDGER_BATCH_TIME_BUDGET_MS: '30000' });
  campaign = await ledgerCampaign(service);
});

afterAll(async () => {
  await service.close();
  await sink.close();
});

/** Time for a stray second mail to show up if the code under test were going to send one. */
const quietPeriod = () => sleep(400);

interface Batch {
  emails: string[];
  receipts: ReceiptRow[];
  /** The outbox row (and job, `outbox-<id>`) the batch wrote for its receipts. */
  outboxId: number;
}

/**
 * Donations whose completed events are all stored before they are applied, then applied the way
 * a woken worker applies them (one drain, not the queue's two jobs at once, which could split
 * them between two claims): one claim takes them all, one ledger batch. Its receipt job is
 * relayed to the queue after the commit; a test runs the receipts worker when it needs it.
 */
async function donationsInOneBatch(count: number): Promise<Batch> {
  const payments = await Promise.all(Array.from({ length: count }, () => new OneTimePayment(campaign, 2_500, 0, someDonor()).record(service)));
  const events = payments.map((payment) => payment.completed());
  await deliver(service, ...events);
  await drainStoredEvents(service.ctx);
  await eventsSettled(service, events.map((event) => event.id));
  const emails = payments.map((payment) => payment.donor.email!);
  const { rows: receipts } = await service.ctx.db.query<ReceiptRow & { outbox_id: number }>(
    `SELECT r.* FROM receipts r JOIN donations d ON d.id = r.donation_id WHERE d.donor_email = ANY($1) ORDER BY r.id`,
    [emails],
  );
  expect(receipts).toHaveLength(count);
  const outboxIds = new Set(receipts.map((receipt) => receipt.outbox_id));
  expect(outboxIds.size).toBe(1);
  return { emails, receipts, outboxId: [...outboxIds][0]! };
}

/** Runs `body` while the receipts queue has workers: `processes` of them, as that many worker processes would. */
async function withReceiptWorkers<T>(body: () => Promise<T>, processes = 1): Promise<T> {
  const running = Array.from({ length: processes }, () => startWorkers(service.ctx, jobRegistry(), { queues: [QUEUES.receipts] }));
  try {
    return await body();
  } finally {
    await Promise.all(running.map((workers) => workers.close()));
  }
}

const jobState = (jobId: string) => service.ctx.queues.queue('receipts').getJobState(jobId);

async function rowsByEmail(ids: number[]): Promise<Map<string, ReceiptRow>> {
  const { rows } = await service.ctx.db.query<ReceiptRow>('SELECT * FROM receipts WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((row) => [row.to_email, row]));
}

describe('a ledger batch of donations', () => {
  it('queues one receipt job for all its receipts, and that job mails each receipt once', async () => {
    const batch = await donationsInOneBatch(6);
    const ids = batch.receipts.map((receipt) => receipt.id);
    const { rows: jobs } = await service.ctx.db.query('SELECT id, job_name, payload FROM outbox WHERE id = $1', [batch.outboxId]);
    expect(jobs).toEqual([{ id: batch.outboxId, job_name: 'receipt.send', payload: { receiptIds: ids } }]);

    const rows = await withReceiptWorkers(async () => {
      const settledRows = await receiptsSettled(service, ids);
      await eventually(async () => (await jobState(`outbox-${batch.outboxId}`)) === 'completed', 5_000, 'the receipt job to complete');
      await quietPeriod();
      return settledRows;
    });
    expect(rows.map((row) => [row.status, row.attempts])).toEqual(rows.map(() => ['sent', 1]));
    for (const email of batch.emails) expect(sink.to(email)).toHaveLength(1);
    expect(new Set(rows.map((row) => row.message_id))).toEqual(new Set(batch.emails.map((email) => sink.to(email)[0]!.messageId)));
  });

  it('fails a refused recipient for good, retries a greylisted one, and sends the others once', async () => {
    const batch = await donationsInOneBatch(4);
    const ids = batch.receipts.map((receipt) => receipt.id);
    const [refused, greylisted, ...accepted] = batch.emails as [string, string, ...string[]];
    sink.refuse({ code: 550, message: 'No such mailbox' }, refused);
    sink.refuse({ code: 451, message: 'Greylisted, try again later' }, greylisted);
    try {
      await withReceiptWorkers(async () => {
        // The greylisted one has been tried again (the job's retry); the others were settled by the first run.
        const during = await eventually(async () => {
          const rows = await rowsByEmail(ids);
          return rows.get(greylisted)!.attempts >= 2 && rows;
        });
        expect(during.get(refused)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('550') });
        for (const email of accepted) expect(during.get(email)).toMatchObject({ status: 'sent', attempts: 1 });

        sink.refuse(null, greylisted);
        await receiptsSettled(service, ids);
        await quietPeriod();
      });
    } finally {
      sink.refuse(null, refused);
      sink.refuse(null, greylisted);
    }
    const after = await rowsByEmail(ids);
    expect(after.get(greylisted)).toMatchObject({ status: 'sent', last_error: null });
    expect(after.get(refused)).toMatchObject({ status: 'failed', attempts: 1 });
    for (const email of accepted) expect(after.get(email)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sink.to(refused)).toHaveLength(0);
    for (const email of [greylisted, ...accepted]) expect(sink.to(email)).toHaveLength(1);
  });

  it('ends the job failed, as evidence, when its only trouble is a recipient refused for good', async () => {
    const batch = await donationsInOneBatch(2);
    const [refused, accepted] = batch.emails as [string, string];
    const jobId = `outbox-${batch.outboxId}`;
    sink.refuse({ code: 550, message: 'No such mailbox' }, refused);
    try {
      await withReceiptWorkers(() => eventually(async () => (await jobState(jobId)) === 'failed', 10_000, 'the receipt job to fail'));
    } finally {
      sink.refuse(null, refused);
    }
    const job = await service.ctx.queues.queue('receipts').getJob(jobId);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toContain('550');
    const rows = await rowsByEmail(batch.receipts.map((receipt) => receipt.id));
    expect([rows.get(refused)?.status, rows.get(accepted)?.status]).toEqual(['failed', 'sent']);
    expect(sink.to(accepted)).toHaveLength(1);
  });

  it('sends nothing twice when duplicate jobs for the batch (whole, in part, of the old shape) race across two worker processes', async () => {
    const batch = await donationsInOneBatch(5);
    const ids = batch.receipts.map((receipt) => receipt.id);
    await Promise.all([
      ...[1, 2, 3].map((n) => service.ctx.queues.enqueue('receipt.send', { receiptIds: ids }, { jobId: `twin-${batch.outboxId}-${n}` })),
      service.ctx.queues.enqueue('receipt.send', { receiptIds: ids.slice(2) }, { jobId: `part-${batch.outboxId}` }),
      // Queued by the version before batches, one receipt each.
      ...ids.map((id) => service.ctx.db.query(`INSERT INTO outbox (job_name, payload) VALUES ('receipt.send', $1)`, [JSON.stringify({ receiptId: id })])),
    ]);
    const rows = await withReceiptWorkers(async () => {
      await relay(service);
      const settledRows = await receiptsSettled(service, ids);
      await quietPeriod();
      return settledRows;
    }, 2);
    expect(rows.map((row) => [row.status, row.attempts])).toEqual(rows.map(() => ['sent', 1]));
    for (const email of batch.emails) expect(sink.to(email)).toHaveLength(1);
  });

  it('starts no mail in the second half of its claim (a slow server): those go back untried and are sent by the next run, each once', async () => {
    const batch = await donationsInOneBatch(8);
    const ids = batch.receipts.map((receipt) => receipt.id);
    // Claims count as abandoned after 4 s, so no mail may start after 2 s; the server takes 2.5 s a mail.
    const ctx = { ...service.ctx, config: { ...service.ctx.config, RECEIPT_SENDING_TIMEOUT_MS: 4_000 } };
    sink.slowDown(2_500);
    let first;
    try {
      first = await sendStoredReceipts(ctx, ids, { last: true });
    } finally {
      sink.slowDown(0);
    }
    // Run again at once, without using an attempt; the rows not started are no failure, though this was the last attempt.
    expect(first).toEqual({ kind: 'later', retryAt: expect.closeTo(Date.now(), -4) });
    const { rows } = await service.ctx.db.query<ReceiptRow>('SELECT * FROM receipts WHERE id = ANY($1) ORDER BY id', [ids]);
    expect(rows.filter((row) => row.status === 'sent')).toHaveLength(MAIL_CONNECTIONS);
    expect(rows.filter((row) => row.status !== 'sent').map((row) => [row.status, row.attempts, row.last_error])).toEqual(
      Array.from({ length: ids.length - MAIL_CONNECTIONS }, () => ['pending', 0, null]),
    );

    expect(await sendStoredReceipts(ctx, ids, { last: false })).toEqual({ kind: 'done', sent: ids.length - MAIL_CONNECTIONS });
    for (const email of batch.emails) expect(sink.to(email)).toHaveLength(1);
  });

  it("claims again when the database went away before the claim's answer, taking back the rows that claim left 'sending': each mailed once", async () => {
    const batch = await donationsInOneBatch(3);
    const ids = batch.receipts.map((receipt) => receipt.id);
    let claims = 0;
    // The first claim commits, then its connection drops before the answer arrives (PostgreSQL stopping as it replied).
    const answerLost = aroundQueries(service.ctx.db, async (run, statement) => {
      const result = await run();
      // Jobs earlier tests left queued claim too; only this batch's claims count.
      const ofThisBatch = typeof statement !== 'string' && statement.name === 'claim-receipts' && JSON.stringify(statement.values?.[0]) === JSON.stringify(ids);
      if (ofThisBatch && claims++ === 0) throw new Error('Connection terminated unexpectedly');
      return result;
    });
    const workers = startWorkers({ ...service.ctx, db: answerLost }, jobRegistry(), { queues: [QUEUES.receipts] });
    try {
      // Well before RECEIPT_SENDING_TIMEOUT_MS (10 minutes), after which any job would take the rows over.
      const rows = await receiptsSettled(service, ids, 10_000);
      await quietPeriod();
      expect(rows.map((row) => row.status)).toEqual(ids.map(() => 'sent'));
    } finally {
      await workers.close();
    }
    expect(claims).toBe(2);
    for (const email of batch.emails) expect(sink.to(email)).toHaveLength(1);
  });

  it('finishes the mails under way and hands the rest back when its worker shuts down; the next worker sends those, each once', async () => {
    const batch = await donationsInOneBatch(12);
    const ids = batch.receipts.map((receipt) => receipt.id);
    const jobId = `outbox-${batch.outboxId}`;
    sink.slowDown(1_000);
    try {
      const workers = startWorkers(service.ctx, jobRegistry(), { queues: [QUEUES.receipts] });
      // Claimed, and the first mails under way.
      await eventually(async () => [...(await rowsByEmail(ids)).values()].every((row) => row.status === 'sending'), 10_000, 'the claim');
      await workers.close();
    } finally {
      sink.slowDown(0);
    }
    const rows = [...(await rowsByEmail(ids)).values()];
    expect(rows.filter((row) => row.status === 'sent')).toHaveLength(MAIL_CONNECTIONS);
    expect(rows.filter((row) => row.status !== 'sent').map((row) => [row.status, row.attempts])).toEqual(
      Array.from({ length: ids.length - MAIL_CONNECTIONS }, () => ['pending', 0]),
    );
    // Put back for later without using an attempt.
    expect(['delayed', 'waiting']).toContain(await jobState(jobId));
    expect((await service.ctx.queues.queue('receipts').getJob(jobId))?.attemptsMade).toBe(0);

    await withReceiptWorkers(async () => {
      await receiptsSettled(service, ids);
      await quietPeriod();
    });
    for (const email of batch.emails) expect(sink.to(email)).toHaveLength(1);
  });

  it('is queued again by the sweeper under its own job id, with only its rows still to send, when its job is lost', async () => {
    const batch = await donationsInOneBatch(4);
    const jobId = `outbox-${batch.outboxId}`;
    const [alreadySent, ...pending] = batch.receipts as [ReceiptRow, ...ReceiptRow[]];
    // Relayed after the batch's commit; then Redis lost it, after the first mail had gone out.
    await eventually(async () => (await jobState(jobId)) === 'waiting', 5_000, 'the relayed receipt job');
    await service.ctx.queues.queue('receipts').remove(jobId);
    await service.ctx.db.query(
      `UPDATE receipts SET status = 'sent', attempts = 1, sent_at = now(), message_id = '<sent.before@example.org>' WHERE id = $1`,
      [alreadySent.id],
    );
    await service.ctx.db.query(`UPDATE outbox SET dispatched_at = now() - interval '1 hour' WHERE id = $1`, [batch.outboxId]);

    expect(await requeueStrandedReceipts(service.ctx)).toBe(1);
    const job = await service.ctx.queues.queue('receipts').getJob(jobId);
    expect(job?.data).toEqual({ receiptIds: pending.map((receipt) => receipt.id) });
    // Its job is alive now: a second sweep leaves it alone.
    expect(await requeueStrandedReceipts(service.ctx)).toBe(0);

    await withReceiptWorkers(async () => {
      await receiptsSettled(service, batch.receipts.map((receipt) => receipt.id));
      await quietPeriod();
    });
    expect(sink.to(alreadySent.to_email)).toHaveLength(0);
    for (const receipt of pending) expect(sink.to(receipt.to_email)).toHaveLength(1);
    expect(await requeueStrandedReceipts(service.ctx)).toBe(0);
  });
});
