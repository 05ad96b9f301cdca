import type Stripe from 'stripe';
import type pg from 'pg';
import { EmulatorCore } from '@goalpost/stripe-emulator/core';
import { createRefund } from '@goalpost/stripe-emulator/flows/adjustments';
import { createCheckoutSession } from '@goalpost/stripe-emulator/flows/checkout';
import { payCheckoutSession } from '@goalpost/stripe-emulator/flows/hosted-checkout';
import { Params } from '@goalpost/stripe-emulator/params';
import { WebhookSender } from '@goalpost/stripe-emulator/webhooks';
import { createLogger } from '../../src/logger.js';

/**
 * Donations made the way the Stripe emulator makes them — the same flows, so the same objects
 * and the same events in the same order — but in this process and without sending anything:
 * the caller decides how the events travel (duplicated, reordered, retried).
 */

export interface StreamCampaign {
  id: number;
  slug: string;
  currency: string;
}

export interface PlannedDonation {
  sessionId: string;
  amount: number;
  email: string;
  name: string;
  /** Refunded part of the donation, 0 when none. */
  refund: number;
}

export interface DonationStream {
  donations: PlannedDonation[];
  /** Every event, in the order Stripe would have emitted them. */
  events: Stripe.Event[];
  expected: ExpectedTotals;
}

export interface ExpectedTotals {
  raised: number;
  refunded: number;
  donationsCount: number;
  donorsCount: number;
  refundsCount: number;
}

/** A deterministic pseudo-random sequence (mulberry32), so a run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sessionParams(campaign: StreamCampaign, donation: Omit<PlannedDonation, 'sessionId' | 'refund'>): Params {
  const metadata = {
    goalpost_campaign_id: String(campaign.id),
    goalpost_campaign: campaign.slug,
    goalpost_frequency: 'one_time',
    goalpost_amount: String(donation.amount),
    goalpost_fee_amount: '0',
  };
  return new Params({
    mode: 'payment',
    submit_type: 'donate',
    customer_email: donation.email,
    success_url: 'https://bench.example/thanks',
    cancel_url: 'https://bench.example/',
    line_items: [{ quantity: '1', price_data: { currency: campaign.currency, unit_amount: String(donation.amount), product_data: { name: `Donation to ${campaign.slug}` } } }],
    metadata,
    payment_intent_data: { metadata },
  });
}

/**
 * `count` one-time card donations to a campaign; `refundShare` of them partly refunded
 * afterwards. Amounts and donors repeat so donors_count differs from donations_count.
 */
export function makeDonationStream(campaign: StreamCampaign, count: number, options: { refundShare: number; seed: number }): DonationStream {
  const random = seededRandom(options.seed);
  const core = new EmulatorCore(new WebhookSender({ logger: createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'production' }) }), 'http://127.0.0.1');
  const donations: PlannedDonation[] = [];
  for (let index = 0; index < count; index += 1) {
    const amount = 500 + Math.floor(random() * 40) * 125;
    const donor = Math.floor(random() * count * 0.8);
    const planned = { amount, email: `donor${donor}@bench.example`, name: `Donor ${donor}` };
    const session = createCheckoutSession(core, sessionParams(campaign, planned));
    payCheckoutSession(core, session.id, { email: planned.email, name: planned.name });
    let refund = 0;
    if (random() < options.refundShare) {
      refund = Math.max(1, Math.floor(amount * (0.2 + random() * 0.5)));
      createRefund(core, new Params({ payment_intent: session.payment_intent as string, amount: String(refund) }));
    }
    donations.push({ sessionId: session.id, ...planned, refund });
  }
  const events = core.store.list('event').reverse();
  return { donations, events, expected: expectedTotals(donations) };
}

/** What the ledger must show for these donations, by the ledger's rules (domain/ledger.ts). */
export function expectedTotals(donations: PlannedDonation[]): ExpectedTotals {
  const refunded = donations.reduce((sum, d) => sum + Math.min(d.refund, d.amount), 0);
  const counted = donations.filter((d) => d.amount - d.refund > 0);
  return {
    raised: donations.reduce((sum, d) => sum + d.amount, 0) - refunded,
    refunded,
    donationsCount: counted.length,
    donorsCount: new Set(counted.map((d) => d.email.toLowerCase())).size,
    refundsCount: donations.filter((d) => d.refund > 0).length,
  };
}

/**
 * The order the events reach the webhook: every event once, `duplicateShare` of them a second
 * time (same id, later), `reorderShare` of them moved to another place up to `window` events
 * away (refunds before their payments among them).
 */
export function deliveryOrder(
  events: readonly Stripe.Event[],
  options: { duplicateShare: number; reorderShare: number; seed: number; window?: number },
): Stripe.Event[] {
  const random = seededRandom(options.seed);
  const window = options.window ?? 200;
  const order = [...events];
  const moves = Math.round(events.length * options.reorderShare);
  for (let move = 0; move < moves; move += 1) {
    const from = Math.floor(random() * order.length);
    const to = Math.min(order.length - 1, Math.max(0, from + Math.round((random() * 2 - 1) * window)));
    const [event] = order.splice(from, 1);
    order.splice(to, 0, event!);
  }
  const duplicates = Math.round(events.length * options.duplicateShare);
  for (let copy = 0; copy < duplicates; copy += 1) {
    const original = Math.floor(random() * order.length);
    const at = Math.min(order.length, original + 1 + Math.floor(random() * window));
    order.splice(at, 0, order[original]!);
  }
  return order;
}

/**
 * The rows Goalpost's checkout route writes when it creates each session (who the donor is,
 * as they asked), written in one statement.
 */
export async function insertCheckoutRows(db: pg.Pool, campaign: StreamCampaign, donations: PlannedDonation[]): Promise<void> {
  for (let start = 0; start < donations.length; start += 5_000) {
    const batch = donations.slice(start, start + 5_000);
    await db.query(
      `INSERT INTO checkouts (session_id, campaign_id, frequency, amount, fee_amount, currency, donor_email, donor_name,
                              anonymous, message, status, url, expires_at)
       SELECT s, $1, 'one_time', a, 0, $2, e, n, false, NULL, 'open', 'http://127.0.0.1/c/pay/' || s, now() + interval '1 day'
       FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[]) AS t(s, a, e, n)`,
      [campaign.id, campaign.currency, batch.map((d) => d.sessionId), batch.map((d) => d.amount), batch.map((d) => d.email), batch.map((d) => d.name)],
    );
  }
}

/**
 * The campaign's all-time aggregate and ledger against what its donations must add up to:
 * null when they agree exactly, else a description of the difference.
 */
export async function totalsDifference(db: pg.Pool, campaignId: number, expected: ExpectedTotals): Promise<string | null> {
  const { rows } = await db.query<{ raised: number; refunded: number; donations_count: number; donors_count: number }>(
    `SELECT raised, refunded, donations_count, donors_count FROM campaign_periods WHERE campaign_id = $1 AND period_key = 'total'`,
    [campaignId],
  );
  const { rows: ledger } = await db.query<{ net: string | null; donations: number; refunds: number }>(
    `SELECT sum(amount) AS net, count(*) FILTER (WHERE kind = 'donation')::int AS donations,
            count(*) FILTER (WHERE kind = 'refund')::int AS refunds
     FROM ledger_entries WHERE campaign_id = $1`,
    [campaignId],
  );
  const actual = {
    raised: rows[0]?.raised,
    refunded: rows[0]?.refunded,
    donationsCount: rows[0]?.donations_count,
    donorsCount: rows[0]?.donors_count,
    ledgerNet: Number(ledger[0]?.net ?? 0),
    ledgerDonationEntries: ledger[0]?.donations,
  };
  const wanted: typeof actual = {
    raised: expected.raised,
    refunded: expected.refunded,
    donationsCount: expected.donationsCount,
    donorsCount: expected.donorsCount,
    ledgerNet: expected.raised,
    ledgerDonationEntries: expected.donationsCount,
  };
  const same = (Object.keys(wanted) as (keyof typeof actual)[]).every((key) => actual[key] === wanted[key]);
  return same ? null : `expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`;
}
