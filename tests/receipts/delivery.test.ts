import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/pool.js';
import { claimReceipts, findReceiptForMail } from '../../src/db/receipts.js';
import { composeReceiptMail, receiptMessageId } from '../../src/services/receipt-mail.js';
import { sendStoredReceipts } from '../../src/services/receipt-sending.js';
import { findMail, queueDonationReceipt, requeueStrandedReceipts } from '../../src/services/receipts.js';
import { aroundQueries } from '../helpers/database.js';
import { newCampaign } from '../helpers/builders.js';
import { newSucceededDonation, testEmail } from '../helpers/donations.js';
import { eventually, receiptsOf, relay, settled, sleep } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const SENDING_TIMEOUT_MS = 1_000;

let sink: SmtpSink;
let service: TestService;
let campaign: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  service = await startTestService({
    SMTP_URL: sink.url,
    RECEIPT_FROM: 'Goalpost Receipts <receipts@goalpost.example>',
    RECEIPT_BACKOFF_MS: '50',
    RECEIPT_SENDING_TIMEOUT_MS: String(SENDING_TIMEOUT_MS),
  });
  service.startWorkers();
  campaign = (await newCampaign(service)).slug;
});

afterAll(async () => {
  await service.close();
  await sink.close();
});

/** Time for a stray second mail to show up if the code under test were going to send one. */
const quietPeriod = () => sleep(400);

async function receiptOf(donationId: string) {
  const rows = await receiptsOf(service, donationId);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('receipt delivery', () => {
  it('mails one receipt per donation, numbered, from RECEIPT_FROM, and records the Message-ID', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email });
    await relay(service);
    const [row] = await settled(service, [(await receiptOf(donation.id)).id]);
    await quietPeriod();

    const mails = sink.to(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(donation.receiptNumber);
    expect(mails[0]!.from?.value[0]?.address).toBe('receipts@goalpost.example');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, message_id: mails[0]!.messageId, last_error: null });
    expect(row!.message_id).toBe(receiptMessageId(row!, service.config.RECEIPT_FROM));
  });

  it('keeps one receipt when the ledger hook runs again for the same donation (a duplicate event)', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email });
    await withTransaction(service.ctx.db, (client) => queueDonationReceipt(client, donation.id, new Date().getFullYear()));
    await relay(service);
    await settled(service, [(await receiptOf(donation.id)).id]);
    await quietPeriod();

    expect(sink.to(email)).toHaveLength(1);
    const { rows } = await service.ctx.db.query('SELECT receipt_number FROM donations WHERE id = $1', [donation.id]);
    expect(rows[0].receipt_number).toBe(donation.receiptNumber);
  });

  it('sends one mail when duplicate outbox rows and re-enqueued jobs (of both payload shapes) race for the same receipt', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email });
    const receipt = await receiptOf(donation.id);
    // Rows as this version writes them, and as the version before it wrote them (`{ receiptId }`,
    // a job queued before a deploy): both are read as a job for this receipt.
    for (const payload of [{ receiptIds: [receipt.id] }, { receiptId: receipt.id }, { receiptId: receipt.id }]) {
      await service.ctx.db.query(`INSERT INTO outbox (job_name, payload) VALUES ('receipt.send', $1)`, [JSON.stringify(payload)]);
    }
    await Promise.all([
      relay(service),
      ...[1, 2, 3, 4, 5].map((n) => service.ctx.queues.enqueue('receipt.send', { receiptIds: [receipt.id] }, { jobId: `again-${receipt.id}-${n}` })),
    ]);
    const [row] = await settled(service, [receipt.id]);
    await quietPeriod();

    expect(sink.to(email)).toHaveLength(1);
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('claims the row and reads what the mail shows in one statement, records it sent in a second: same Message-ID, sent once', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email });
    const receipt = await receiptOf(donation.id);
    const statements: string[] = [];
    const counted = aroundQueries(service.ctx.db, (run, statement) => {
      statements.push(typeof statement === 'string' ? statement : statement.text);
      return run();
    });

    expect(await sendStoredReceipts({ ...service.ctx, db: counted }, [receipt.id], { last: false })).toEqual({ kind: 'done', sent: 1 });
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/UPDATE receipts u SET status = 'sending'[\s\S]*FROM donations d/);
    // Its outbox job, relayed now, finds the row sent and sends nothing.
    await relay(service);
    await quietPeriod();
    const mails = sink.to(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(donation.receiptNumber);
    const row = await findMail(service.ctx.db, receipt.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, message_id: mails[0]!.messageId });
    expect(row!.message_id).toBe(receiptMessageId(row!, service.config.RECEIPT_FROM));
  });

  it('treats a job replayed after delivery as a no-op', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email });
    await relay(service);
    const receipt = await receiptOf(donation.id);
    await settled(service, [receipt.id]);

    const jobId = `replay-${receipt.id}`;
    await service.ctx.queues.enqueue('receipt.send', { receiptIds: [receipt.id] }, { jobId });
    await eventually(async () => (await service.ctx.queues.queue('receipts').getJobState(jobId)) === 'completed', 5_000, 'the replay');
    await quietPeriod();

    expect(sink.to(email)).toHaveLength(1);
    expect(await findMail(service.ctx.db, receipt.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('numbers a donation without an email address but sends no mail for it', async () => {
    const donation = await newSucceededDonation(service, campaign, { email: null });
    expect(donation.receiptNumber).toMatch(/^\d{4}-\d{6}$/);
    expect(await receiptsOf(service, donation.id)).toHaveLength(0);
  });
});

describe('a worker that died while sending', () => {
  it('leaves a receipt another worker is sending alone until that claim counts as abandoned', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email });
    const receipt = await receiptOf(donation.id);
    // Another run's claim (it is sending the mail, or died doing so); the job relayed next is a run of its own.
    await claimReceipts(service.ctx.db, [receipt.id], { claimant: 'another-run', abandonedAfterMs: SENDING_TIMEOUT_MS });
    await relay(service);

    await sleep(SENDING_TIMEOUT_MS / 2);
    expect(sink.to(email)).toHaveLength(0);
    expect(await findMail(service.ctx.db, receipt.id)).toMatchObject({ status: 'sending', attempts: 1 });

    const [row] = await settled(service, [receipt.id], 10_000);
    await quietPeriod();
    expect(sink.to(email)).toHaveLength(1);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('resends after a crash between the SMTP answer and the commit with the same Message-ID (the window left)', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email });
    const receipt = await receiptOf(donation.id);
    // What the dead worker did: claimed the row, and the server accepted the mail; "sent" was never recorded.
    await service.ctx.db.query(
      `UPDATE receipts SET status = 'sending', attempts = 1, claimed_at = now() - interval '1 minute' WHERE id = $1`,
      [receipt.id],
    );
    await service.ctx.mailer.send(await composeReceiptMail(service.ctx.db, service.config, (await findReceiptForMail(service.ctx.db, receipt.id))!));
    await relay(service);

    const [row] = await settled(service, [receipt.id]);
    await quietPeriod();
    const mails = sink.to(email);
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((mail) => mail.messageId))).toEqual(new Set([row!.message_id]));
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('puts a pending receipt whose queued job Redis lost back on the queue, and mails it once', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email });
    const receipt = await receiptOf(donation.id);
    // The relay handed the job to Redis an hour ago and Redis has since lost it.
    await service.ctx.db.query(
      `UPDATE outbox SET dispatched_at = now() - interval '1 hour' WHERE id = (SELECT outbox_id FROM receipts WHERE id = $1)`,
      [receipt.id],
    );
    expect(await requeueStrandedReceipts(service.ctx)).toBe(1);
    await settled(service, [receipt.id]);
    expect(await requeueStrandedReceipts(service.ctx)).toBe(0);
    await quietPeriod();
    expect(sink.to(email)).toHaveLength(1);
  });
});
