/**
 * Drill: PostgreSQL stays down longer than the jobs' whole retry schedule, with events
 * acknowledged just before and receipts waiting in the queue. Jobs that meet the outage must
 * neither use up their attempts nor be left failed with their work undone: once the database is
 * back, every event is applied and every receipt is sent, exactly once.
 *
 * The retry schedule is shortened through configuration (2 attempts, 1 s / 0.5 s backoff; with a
 * connection timeout of 5 s per attempt at worst about 11 s in all) so a 30 s outage outlasts it
 * and the drill stays near two minutes; the production defaults (8 attempts, about 4 minutes;
 * receipts about 6 hours) fail the same way against a longer outage.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { totalsDifference } from '../../bench/lib/donation-stream.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { startDrill, type Drill, type ServiceProcess } from './support/drill.js';
import { eventually, prepareDonations, type DrillDonations } from './support/donations.js';
import { deliverLikeStripe } from './support/stripe-sender.js';

const OUTAGE_MS = 30_000;
const SWEEP_EVERY_MS = 5_000;

let drill: Drill;
let api: ServiceProcess;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  drill = await startDrill({
    SMTP_URL: smtp.url,
    STRIPE_EVENT_ATTEMPTS: '2',
    RECEIPT_ATTEMPTS: '2',
    RECEIPT_BACKOFF_MS: '500',
    SWEEP_EVERY_MS: String(SWEEP_EVERY_MS),
  });
  api = await drill.startApi();
});

afterAll(async () => {
  await drill?.close();
  await smtp?.close();
});

async function eventCounts(): Promise<{ stored: number; finished: number; statuses: Record<string, number> }> {
  const { rows } = await drill.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM stripe_events GROUP BY status');
  const statuses = Object.fromEntries(rows.map((row) => [row.status, row.n]));
  const stored = rows.reduce((sum, row) => sum + row.n, 0);
  return { stored, finished: (statuses.processed ?? 0) + (statuses.ignored ?? 0), statuses };
}

function expectedMail(...batches: DrillDonations[]): number {
  return batches.reduce((sum, batch) => sum + batch.stream.donations.length + batch.stream.expected.refundsCount, 0);
}

test('after a PostgreSQL outage longer than the retry window, every acknowledged event is applied and every receipt sent exactly once', async () => {
  // 1. Donations whose events are applied, while a slow mail server keeps their receipts queued.
  smtp.slowDown(2_000);
  let worker = await drill.startWorker();
  const early = await prepareDonations(drill, api, 'pg-outage-early', 30, 707);
  await deliverLikeStripe(`${api.url}/v1/webhooks/stripe`, early.deliveries);
  await eventually('the first donations applied', 60_000, eventCounts, (counts) => counts.finished === early.stream.events.length);
  await worker.stop();

  // 2. More events, acknowledged (stored and queued) with no worker taking them yet.
  const late = await prepareDonations(drill, api, 'pg-outage-late', 60, 808);
  const report = await deliverLikeStripe(`${api.url}/v1/webhooks/stripe`, late.deliveries);
  expect(Object.keys(report.statuses)).toEqual(['200']);
  const allEvents = early.stream.events.length + late.stream.events.length;
  expect((await eventCounts()).stored).toBe(allEvents);

  // 3. A worker starts on that backlog and PostgreSQL goes away under it, for longer than the retries last.
  worker = await drill.startWorker();
  await sleep(500);
  await drill.postgres.stop();
  await sleep(OUTAGE_MS);
  smtp.slowDown(0);
  await drill.postgres.start();
  const backAt = Date.now();

  // 4. Within a minute of the next sweep: every event applied, every receipt sent.
  const within = SWEEP_EVERY_MS + 60_000;
  await eventually('every event applied', within, eventCounts, (counts) => counts.finished === allEvents);
  for (const batch of [early, late]) {
    expect(await totalsDifference(drill.db, batch.campaign.id, batch.stream.expected)).toBeNull();
  }
  const mail = expectedMail(early, late);
  await eventually(
    'every receipt sent',
    Math.max(1_000, within - (Date.now() - backAt)),
    async () => (await drill.db.query(`SELECT status, count(*)::int AS n FROM receipts GROUP BY status ORDER BY status`)).rows,
    (rows) => rows.length === 1 && rows[0].status === 'sent' && rows[0].n === mail,
  );
  expect(worker.child.process.exitCode, worker.child.outputTail()).toBeNull();

  // Exactly once: one message per receipt row, each with that row's Message-ID.
  await sleep(2_000);
  const { rows } = await drill.db.query<{ message_id: string }>('SELECT message_id FROM receipts');
  const delivered = smtp.messages.map((message) => message.messageId);
  expect(delivered).toHaveLength(mail);
  expect(new Set(delivered)).toEqual(new Set(rows.map((row) => row.message_id)));
}, 180_000);
