/**
 * Drill: the mail server is away while donations come in — first nothing listens, then it
 * answers "try again later" — and then it recovers. Every receipt arrives, each exactly once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../bench/lib/children.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { startDrill, type Drill, type ServiceProcess } from './support/drill.js';
import { eventually, expectLedgerToSettle, prepareDonations } from './support/donations.js';
import { deliverLikeStripe } from './support/stripe-sender.js';

let drill: Drill;
let api: ServiceProcess;
let smtpPort: number;
let smtp: SmtpSink | undefined;

beforeAll(async () => {
  smtpPort = await freePort();
  drill = await startDrill({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, RECEIPT_BACKOFF_MS: '500', RECEIPT_ATTEMPTS: '20' });
  api = await drill.startApi();
  await drill.startWorker();
});

afterAll(async () => {
  await smtp?.close();
  await drill?.close();
});

async function receiptStates() {
  const { rows } = await drill.db.query<{ status: string; n: number; attempts: number }>(
    `SELECT status, count(*)::int AS n, sum(attempts)::int AS attempts FROM receipts GROUP BY status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, { n: row.n, attempts: row.attempts }]));
}

test('receipts held back by a mail outage are each delivered exactly once when it ends', async () => {
  const donations = await prepareDonations(drill, api, 'smtp-down-drill', 120, 505);
  const expectedMail = donations.stream.donations.length + donations.stream.expected.refundsCount;
  await deliverLikeStripe(`${api.url}/v1/webhooks/stripe`, donations.deliveries);
  await expectLedgerToSettle(drill, donations, 60_000);

  // Nothing listening: every receipt has been tried and handed back.
  await eventually('receipts tried while the mail server is down', 30_000, receiptStates, (states) =>
    Object.keys(states).every((status) => status === 'pending' || status === 'sending') && (states.pending?.attempts ?? 0) >= expectedMail,
  );
  await sleep(3_000);

  // Up, but answering 451 "try again later" for a while.
  smtp = await startSmtpSink(smtpPort);
  smtp.refuse({ code: 451, message: 'Requested action aborted: local error in processing' });
  await sleep(5_000);
  expect(smtp.messages).toHaveLength(0);
  expect((await receiptStates()).sent).toBeUndefined();

  smtp.refuse(null);
  await eventually('every receipt sent', 120_000, receiptStates, (states) => states.sent?.n === expectedMail && Object.keys(states).length === 1);
  await sleep(2_000);

  const { rows } = await drill.db.query<{ message_id: string; to_email: string }>('SELECT message_id, to_email FROM receipts');
  expect(rows).toHaveLength(expectedMail);
  expect(smtp.messages).toHaveLength(expectedMail);
  const delivered = smtp.messages.map((message) => message.messageId);
  expect(new Set(delivered).size).toBe(expectedMail);
  expect(new Set(delivered)).toEqual(new Set(rows.map((row) => row.message_id)));
});
