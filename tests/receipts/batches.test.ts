/**
 * A ledger batch's receipts travel as one `receipt.send` job: one claim, the mails, one record.
 * Driven by signed Stripe events through the real ledger, mailed to a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptRow } from '../../src/db/receipts.js';
import { QUEUES, type QueueName } from '../../src/queue/jobs.js';
import { startWorkers, type RunningWorkers } from '../../src/queue/worker-runtime.js';
import { MAIL_CONNECTIONS } from '../../src/integrations/mail.js';
import { sendStoredReceipts } from '../../src/services/receipt-sending.js';
import { requeueStrandedReceipts } from '../../src/services/receipts.js';
import { jobRegistry } from '../../workers/index.js';
import { eventually, relay, settled as receiptsSettled, sleep } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { OneTimePayment, deliver, ledgerCampaign, settled as eventsSettled, someDonor, type LedgerCampaign } from '../ledger/support.js';

let sink: SmtpSink;
let service: TestService;
let campaign: LedgerCampaign;

beforeAll(async () => {
  sink = await startSmtpSink();
  service = await startTestService({ SMTP_URL: sink.url, RECEIPT_BACKOFF_MS: '50' });
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
  workers: RunningWorkers;
}

/**
 * Donations whose completed events are all stored before a worker runs, so one claim takes them
 * all: one ledger batch. `queues` are the workers to run (the receipts queue's may wait).
 */
async function donationsInOneBatch(count: number, queues: QueueName[] = Object.values(QUEUES)): Promise<Batch> {
  const payments = await Promise.all(Array.from({ length: count }, () => new OneTimePayment(campaign, 2_500, 0, someDonor()).record(service)));
  const events = payments.map((payment) => payment.completed());
  await deliver(service, ...events);
  const workers = startWorkers(service.ctx, jobRegistry(), { queues });
  await eventsSettled(service, events.map((event) => event.id));
  const emails = payments.map((payment) => payment.donor.email!);
  const { rows: receipts } = await service.ctx.db.query<ReceiptRow & { outbox_id: number }>(
    `SELECT r.* FROM receipts r JOIN donations d ON d.id = r.donation_id WHERE d.donor_email = ANY($1) ORDER BY r.id`,
    [emails],
  );
  expect(receipts).toHaveLength(count);
  const outboxIds = new Set(receipts.map((receipt) => receipt.outbox_id));
  expect(outboxIds.size).toBe(1);
  return { emails, receipts, outboxId: [...outboxIds][0]!, workers };
}

const jobState = (jobId: string) => service.ctx.queues.queue('receipts').getJobState(jobId);

describe('a ledger batch of donations', () => {
  it('queues one receipt job for all its receipts, and that job mails each receipt once', async () => {
    const batch = await donationsInOneBatch(6);
    try {
      const { rows: jobs } = await service.ctx.db.query('SELECT id, job_name, payload FROM outbox WHERE id = $1', [batch.outboxId]);
      expect(jobs).toEqual([{ id: batch.outboxId, job_name: 'receipt.send', payload: { receiptIds: batch.receipts.map((receipt) => receipt.id) } }]);

      const rows = await receiptsSettled(service, batch.receipts.map((receipt) => receipt.id));
      await quietPeriod();
      expect(rows.map((row) => [row.status, row.attempts])).toEqual(rows.map(() => ['sent', 1]));
      for (const email of batch.emails) expect(sink.to(email)).toHaveLength(1);
      expect(new Set(rows.map((row) => row.message_id))).toEqual(new Set(batch.emails.map((email) => sink.to(email)[0]!.messageId)));
      await eventually(async () => (await jobState(`outbox-${batch.outboxId}`)) === 'completed', 5_000, 'the receipt job to complete');
    } finally {
      await batch.workers.close();
    }
  });

  it('fails a refused recipient for good, retries a greylisted one, and sends the others once', async () => {
    const batch = await donationsInOneBatch(4, [QUEUES.stripeEvents]);
    const [refused, greylisted, ...accepted] = batch.emails;
    sink.refuse({ code: 550, message: 'No such mailbox' }, refused);
    sink.refuse({ code: 451, message: 'Greylisted, try again later' }, greylisted);
    const receiptWorkers = startWorkers(service.ctx, jobRegistry(), { queues: [QUEUES.receipts] });
    try {
      const byEmail = async () => {
        const { rows } = await service.ctx.db.query<ReceiptRow>('SELECT * FROM receipts WHERE id = ANY($1)', [batch.receipts.map((r) => r.id)]);
        return new Map(rows.map((row) => [row.to_email, row]));
      };
      // The greylisted one has been tried again (a retry of the job) while the rest were settled the first time.
      const during = await eventually(async () => {
        const rows = await byEmail();
        return (rows.get(greylisted!)?.attempts ?? 0) >= 2 && rows;
      });
      expect(during.get(refused!)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('550') });
      for (const email of accepted) expect(during.get(email)).toMatchObject({ status: 'sent', attempts: 1 });

      sink.refuse(null, greylisted);
      const rows = await receiptsSettled(service, batch.receipts.map((receipt) => receipt.id));
      await quietPeriod();
      const after = new Map(rows.map((row) => [row.to_email, row]));
      expect(after.get(greylisted!)).toMatchObject({ status: 'sent', last_error: null });
      expect(after.get(refused!)).toMatchObject({ status: 'failed', attempts: 1 });
      for (const email of accepted) expect(after.get(email)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(sink.to(refused!)).toHaveLength(0);
      for (const email of [greylisted!, ...accepted]) expect(sink.to(email)).toHaveLength(1);
    } finally {
      sink.refuse(null, refused);
      sink.refuse(null, greylisted);
      await receiptWorkers.close();
      await batch.workers.close();
    }
  });

  it('ends the job failed, as evidence, when its only trouble is a recipient refused for good', async () => {
    const batch = await donationsInOneBatch(2, [QUEUES.stripeEvents]);
    const [refused, accepted] = batch.emails;
    sink.refuse({ code: 550, message: 'No such mailbox' }, refused);
    const receiptWorkers = startWorkers(service.ctx, jobRegistry(), { queues: [QUEUES.receipts] });
    try {
      const jobId = `outbox-${batch.outboxId}`;
      await eventually(async () => (await jobState(jobId)) === 'failed', 10_000, 'the receipt job to fail');
      const job = await service.ctx.queues.queue('receipts').getJob(jobId);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toContain('550');
      const rows = await receiptsSettled(service, batch.receipts.map((receipt) => receipt.id));
      expect(new Map(rows.map((row) => [row.to_email, row.status]))).toEqual(new Map([[refused, 'failed'], [accepted, 'sent']]));
      expect(sink.to(accepted!)).toHaveLength(1);
    } finally {
      sink.refuse(null, refused);
      await receiptWorkers.close();
      await batch.workers.close();
    }
  });

  it('sends nothing twice when duplicate jobs for the batch (whole, in part, of the old shape) race across two worker processes', async () => {
    const batch = await donationsInOneBatch(5, [QUEUES.stripeEvents]);
    const ids = batch.receipts.map((receipt) => receipt.id);
    await Promise.all([
      ...[1, 2, 3].map((n) => service.ctx.queues.enqueue('receipt.send', { receiptIds: ids }, { jobId: `twin-${batch.outboxId}-${n}` })),
      service.ctx.queues.enqueue('receipt.send', { receiptIds: ids.slice(2) }, { jobId: `part-${batch.outboxId}` }),
      // Queued by the version before batches, one receipt each.
      ...ids.map((id) => service.ctx.db.query(`INSERT INTO outbox (job_name, payload) VALUES ('receipt.send', $1)`, [JSON.stringify({ receiptId: id })])),
    ]);
    const processes = [1, 2].map(() => startWorkers(service.ctx, jobRegistry(), { queues: [QUEUES.receipts] }));
    try {
      await relay(service);
      const rows = await receiptsSettled(service, ids);
      await quietPeriod();
      expect(rows.map((row) => [row.status, row.attempts])).toEqual(rows.map(() => ['sent', 1]));
      for (const email of batch.emails) expect(sink.to(email)).toHaveLength(1);
    } finally {
      await Promise.all(processes.map((workers) => workers.close()));
      await batch.workers.close();
    }
  });

  it('starts no mail in the second half of its claim (a slow server): those wait for the retry, and each is sent once', async () => {
    const batch = await donationsInOneBatch(8, [QUEUES.stripeEvents]);
    const ids = batch.receipts.map((receipt) => receipt.id);
    // Claims count as abandoned after 4 s, so no mail may start after 2 s; the server takes 2.5 s a mail.
    const ctx = { ...service.ctx, config: { ...service.ctx.config, RECEIPT_SENDING_TIMEOUT_MS: 4_000 } };
    try {
      sink.slowDown(2_500);
      const first = await sendStoredReceipts(ctx, ids, { last: true });
      sink.slowDown(0);
      expect(first).toMatchObject({ kind: 'failed', final: false, error: expect.objectContaining({ message: expect.stringContaining('not started') }) });
      const { rows } = await service.ctx.db.query<ReceiptRow>('SELECT * FROM receipts WHERE id = ANY($1) ORDER BY id', [ids]);
      // The first MAIL_CONNECTIONS went out at once; the rest are handed back, not failed, though this was the last attempt.
      expect(rows.filter((row) => row.status === 'sent')).toHaveLength(MAIL_CONNECTIONS);
      expect(rows.filter((row) => row.status === 'pending').map((row) => row.last_error)).toEqual(
        Array.from({ length: ids.length - MAIL_CONNECTIONS }, () => expect.stringContaining('not started')),
      );

      expect(await sendStoredReceipts(ctx, ids, { last: false })).toEqual({ kind: 'done', sent: ids.length - MAIL_CONNECTIONS });
      for (const email of batch.emails) expect(sink.to(email)).toHaveLength(1);
    } finally {
      sink.slowDown(0);
      await batch.workers.close();
    }
  });

  it('is queued again by the sweeper under its own job id, with only its rows still to send, when its job is lost', async () => {
    const batch = await donationsInOneBatch(4, [QUEUES.stripeEvents]);
    const jobId = `outbox-${batch.outboxId}`;
    const [alreadySent, ...pending] = batch.receipts;
    try {
      // Relayed after the batch's commit; then Redis lost it, after the first mail had gone out.
      await eventually(async () => (await jobState(jobId)) === 'waiting', 5_000, 'the relayed receipt job');
      await service.ctx.queues.queue('receipts').remove(jobId);
      await service.ctx.db.query(
        `UPDATE receipts SET status = 'sent', attempts = 1, sent_at = now(), message_id = '<sent.before@example.org>' WHERE id = $1`,
        [alreadySent!.id],
      );
      await service.ctx.db.query(`UPDATE outbox SET dispatched_at = now() - interval '1 hour' WHERE id = $1`, [batch.outboxId]);

      expect(await requeueStrandedReceipts(service.ctx)).toBe(1);
      const job = await service.ctx.queues.queue('receipts').getJob(jobId);
      expect(job?.data).toEqual({ receiptIds: pending.map((receipt) => receipt.id) });
      // Its job is alive now: a second sweep leaves it alone.
      expect(await requeueStrandedReceipts(service.ctx)).toBe(0);

      const receiptWorkers = startWorkers(service.ctx, jobRegistry(), { queues: [QUEUES.receipts] });
      try {
        await receiptsSettled(service, batch.receipts.map((receipt) => receipt.id));
        await quietPeriod();
      } finally {
        await receiptWorkers.close();
      }
      expect(sink.to(alreadySent!.to_email)).toHaveLength(0);
      for (const receipt of pending) expect(sink.to(receipt.to_email)).toHaveLength(1);
      expect(await requeueStrandedReceipts(service.ctx)).toBe(0);
    } finally {
      await batch.workers.close();
    }
  });
});
