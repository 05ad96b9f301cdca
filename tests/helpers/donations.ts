import { randomBytes } from 'node:crypto';
import { withTransaction, type Queryable } from '../../src/db/pool.js';
import { periodKeyOf, yearOf } from '../../src/domain/period.js';
import { queueDonationReceipt, queueRefundConfirmation } from '../../src/services/receipts.js';
import type { TestService } from './service.js';

/**
 * Succeeded donations and refunds written straight into the tables, the way the ledger writes
 * them, each with the receipt hook the ledger calls in the same transaction.
 */
export interface DonationSpec {
  amount?: number;
  fee?: number;
  frequency?: 'one_time' | 'monthly';
  email?: string | null;
  name?: string | null;
  anonymous?: boolean;
  message?: string | null;
  paidAt?: Date;
}

export interface CampaignRef {
  id: number;
  currency: string;
  timezone: string;
}

export async function campaignRef(db: Queryable, slug: string): Promise<CampaignRef> {
  const { rows } = await db.query<CampaignRef>('SELECT id, currency, timezone FROM campaigns WHERE slug = $1', [slug]);
  if (!rows[0]) throw new Error(`no campaign ${slug}`);
  return rows[0];
}

export function testEmail(name = 'donor'): string {
  return `${name}-${randomBytes(4).toString('hex')}@example.org`;
}

/** Inserts one succeeded donation and queues its receipt, inside the caller's transaction. */
export async function insertSucceededDonation(db: Queryable, campaign: CampaignRef, spec: DonationSpec = {}): Promise<string> {
  const id = `don_${randomBytes(8).toString('hex')}`;
  const paidAt = spec.paidAt ?? new Date();
  await db.query(
    `INSERT INTO donations (id, campaign_id, status, frequency, amount, fee_amount, currency, donor_email, donor_name,
       anonymous, message, payment_intent_id, period_key, paid_at)
     VALUES ($1, $2, 'succeeded', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      id, campaign.id, spec.frequency ?? 'one_time', spec.amount ?? 2_500, spec.fee ?? 0, campaign.currency,
      spec.email === undefined ? testEmail() : spec.email, spec.name === undefined ? 'Ada Lovelace' : spec.name,
      spec.anonymous ?? false, spec.message ?? null, `pi_${id}`, periodKeyOf(paidAt, campaign.timezone), paidAt,
    ],
  );
  await queueDonationReceipt(db, id, yearOf(paidAt, campaign.timezone));
  return id;
}

export async function newSucceededDonation(
  service: TestService,
  campaignSlug: string,
  spec: DonationSpec = {},
): Promise<{ id: string; receiptNumber: string }> {
  const campaign = await campaignRef(service.ctx.db, campaignSlug);
  const id = await withTransaction(service.ctx.db, (client) => insertSucceededDonation(client, campaign, spec));
  const { rows } = await service.ctx.db.query<{ receipt_number: string }>('SELECT receipt_number FROM donations WHERE id = $1', [id]);
  return { id, receiptNumber: rows[0]!.receipt_number };
}

/** A (partial) refund as the ledger books it: a negative entry, the running total, the confirmation hook. */
export async function newRefund(service: TestService, donationId: string, amount: number, at = new Date()): Promise<string> {
  const refundId = `re_${randomBytes(8).toString('hex')}`;
  await withTransaction(service.ctx.db, async (client) => {
    await client.query(
      `INSERT INTO ledger_entries (donation_id, campaign_id, period_key, kind, amount, currency, source_id, created_at)
       SELECT id, campaign_id, period_key, 'refund', $2, currency, $3, $4 FROM donations WHERE id = $1`,
      [donationId, -amount, refundId, at],
    );
    await client.query('UPDATE donations SET refunded_amount = refunded_amount + $2 WHERE id = $1', [donationId, amount]);
    await queueRefundConfirmation(client, { donationId, refundId, amount });
  });
  return refundId;
}
