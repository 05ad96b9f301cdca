import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteDispatchedOutbox } from '../../src/db/outbox.js';
import { OUTBOX_RETENTION, pruneDispatchedOutbox, sweepStoredWork } from '../../src/services/maintenance.js';
import { newCampaign } from '../helpers/builders.js';
import { newSucceededDonation } from '../helpers/donations.js';
import { relay } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
let campaign: string;

beforeAll(async () => {
  // No workers: receipts stay pending unless a test says otherwise.
  service = await startTestService();
  campaign = (await newCampaign(service)).slug;
});
afterAll(async () => service?.close());

async function outboxIds(ids: number[]): Promise<number[]> {
  const { rows } = await service.ctx.db.query<{ id: string }>('SELECT id FROM outbox WHERE id = ANY($1) ORDER BY id', [ids]);
  return rows.map((row) => Number(row.id));
}

/** Outbox rows written by hand three days ago, dispatched `dispatchedAgo` ago (an interval) or not at all (null). */
async function insertOutboxRows(count: number, dispatchedAgo: string | null): Promise<number[]> {
  const { rows } = await service.ctx.db.query<{ id: string }>(
    `INSERT INTO outbox (job_name, payload, created_at, dispatched_at)
     SELECT 'webhook.deliver', jsonb_build_object('deliveryId', 'whd_retention_' || n, 'attempt', 1),
            now() - interval '3 days', now() - $2::interval
     FROM generate_series(1, $1) AS n RETURNING id`,
    [count, dispatchedAgo],
  );
  return rows.map((row) => Number(row.id));
}

/** The outbox row of a donation's receipt job. */
async function receiptOutboxId(donationId: string): Promise<number> {
  const { rows } = await service.ctx.db.query<{ outbox_id: string }>('SELECT outbox_id FROM receipts WHERE donation_id = $1', [donationId]);
  return Number(rows[0]!.outbox_id);
}

describe('the maintenance sweep', () => {
  it('deletes outbox rows dispatched over a day ago, and keeps recent ones and those of receipts still to send', async () => {
    const [sent, failed, pending, sending] = await Promise.all(Array.from({ length: 4 }, () => newSucceededDonation(service, campaign)));
    await relay(service);
    const jobs = await Promise.all([sent, failed, pending, sending].map((donation) => receiptOutboxId(donation!.id)));
    for (const [donation, status] of [[sent, 'sent'], [failed, 'failed'], [sending, 'sending']] as const) {
      await service.ctx.db.query(`UPDATE receipts SET status = $2 WHERE donation_id = $1`, [donation!.id, status]);
    }
    await service.ctx.db.query(`UPDATE outbox SET dispatched_at = now() - interval '2 days' WHERE id = ANY($1)`, [jobs]);
    const [sentJob, failedJob, pendingJob, sendingJob] = jobs as [number, number, number, number];
    const old = await insertOutboxRows(3, '25 hours');
    const recent = await insertOutboxRows(2, '23 hours');

    await sweepStoredWork(service.ctx);

    expect(await outboxIds([...old, sentJob, failedJob])).toEqual([]);
    // The sweeper finds a stranded receipt's job through its row, so those rows stay.
    const kept = [pendingJob, sendingJob, ...recent];
    expect(await outboxIds(kept)).toEqual(kept.sort((a, b) => a - b));
  });

  it('never deletes a row still to relay, however old', async () => {
    const undispatched = await insertOutboxRows(1, null);
    await deleteDispatchedOutbox(service.ctx.db, 0, 5_000);
    expect(await outboxIds(undispatched)).toEqual(undispatched);
  });

  it('deletes a backlog larger than one statement takes in a single sweep', async () => {
    const old = await insertOutboxRows(12_000, '2 days');
    await sweepStoredWork(service.ctx);
    expect(await outboxIds(old)).toEqual([]);
  });

  it('stops after its statements per sweep, and the next sweep goes on from there', async () => {
    // The sweep's own limits, scaled down: 3 statements of 4 rows each, against 14 old rows.
    const limits = { ...OUTBOX_RETENTION, batch: 4, statements: 3 };
    const old = await insertOutboxRows(14, '2 days');
    expect(await pruneDispatchedOutbox(service.ctx.db, limits)).toBe(12);
    expect(await outboxIds(old)).toHaveLength(2);
    expect(await pruneDispatchedOutbox(service.ctx.db, limits)).toBe(2);
    expect(await outboxIds(old)).toEqual([]);
  });
});
