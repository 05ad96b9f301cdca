import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, withTransaction, type Db } from '../../src/db/pool.js';
import { newCampaign } from '../helpers/builders.js';
import { campaignRef, insertSucceededDonation, newSucceededDonation, testEmail, type CampaignRef } from '../helpers/donations.js';

import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
let pool: Db;
let campaign: CampaignRef;
let slug: string;

beforeAll(async () => {
  service = await startTestService();
  // Its own pool, wide enough that many donation transactions really are open at once; the
  // rest wait their turn for a connection, which on a loaded CI machine can take a while.
  pool = createPool(service.config.DATABASE_URL, 40, 60_000);
  slug = (await newCampaign(service)).slug;
  campaign = await campaignRef(service.ctx.db, slug);
});

afterAll(async () => {
  await pool.end();
  await service.close();
});

const numbered = (year: number, n: number) => `${year}-${String(n).padStart(6, '0')}`;

describe('receipt numbers', () => {
  it('are unique and gap-free across 200 concurrent donations, rolled-back ones giving theirs back', async () => {
    const year = 2011;
    const paidAt = new Date(Date.UTC(year, 5, 15, 12));
    const withoutEmail = (i: number) => i % 4 === 0;
    const rolledBack = (i: number) => i % 10 === 3;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        withTransaction(pool, async (client) => {
          const id = await insertSucceededDonation(client, campaign, { paidAt, email: withoutEmail(i) ? null : testEmail() });
          // Every tenth ledger transaction fails after taking its number.
          if (rolledBack(i)) throw new Error('rolled back');
          return id;
        }),
      ),
    );
    const committed = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(committed).toHaveLength(180);

    const { rows } = await service.ctx.db.query<{ receipt_number: string }>(
      `SELECT receipt_number FROM donations WHERE receipt_number LIKE $1 ORDER BY receipt_number`,
      [`${year}-%`],
    );
    expect(rows.map((row) => row.receipt_number)).toEqual(Array.from({ length: 180 }, (_, i) => numbered(year, i + 1)));

    const receipts = await service.ctx.db.query<{ n: number; jobs: number }>(
      `SELECT count(*)::int AS n, count(o.id)::int AS jobs FROM receipts r
       JOIN donations d ON d.id = r.donation_id
       LEFT JOIN outbox o ON o.id = r.outbox_id AND o.job_name = 'receipt.send' AND o.payload->'receiptIds' @> to_jsonb(r.id)
       WHERE d.receipt_number LIKE $1`,
      [`${year}-%`],
    );
    const withEmail = Array.from({ length: 200 }, (_, i) => i).filter((i) => !rolledBack(i) && !withoutEmail(i)).length;
    expect(receipts.rows[0]).toEqual({ n: withEmail, jobs: withEmail });
  });

  it('start again at 000001 in each calendar year', async () => {
    const first = await newSucceededDonation(service, slug, { paidAt: new Date(Date.UTC(2013, 11, 31, 12)) });
    const second = await newSucceededDonation(service, slug, { paidAt: new Date(Date.UTC(2014, 0, 1, 12)) });
    const third = await newSucceededDonation(service, slug, { paidAt: new Date(Date.UTC(2014, 0, 2, 12)) });
    expect([first.receiptNumber, second.receiptNumber, third.receiptNumber]).toEqual([
      numbered(2013, 1),
      numbered(2014, 1),
      numbered(2014, 2),
    ]);
  });
});
