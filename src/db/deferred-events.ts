import type { Queryable } from './pool.js';

/**
 * Stripe ids that tie events about one payment together. An event that needs one of them first
 * is *deferred until* they arrive (a refund before its payment); an event that brings them says
 * they *arrived*, and every event deferred until one of them is taken back to run again.
 * (Table pending_adjustments holds the deferrals.)
 */
export interface StripeIds {
  payment_intent_id?: string | null;
  charge_id?: string | null;
  invoice_id?: string | null;
  subscription_id?: string | null;
}

/** Records what each event is deferred until (a rerun's new deferral replaces its old one). */
export async function deferEvents(db: Queryable, deferrals: readonly { eventId: string; until: StripeIds }[]): Promise<void> {
  if (!deferrals.length) return;
  const column = (field: keyof StripeIds) => deferrals.map((d) => d.until[field] ?? null);
  await db.query({
    name: 'defer-events',
    text: `INSERT INTO pending_adjustments (stripe_event_id, payment_intent_id, charge_id, invoice_id, subscription_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (stripe_event_id) DO UPDATE SET payment_intent_id = EXCLUDED.payment_intent_id,
       charge_id = EXCLUDED.charge_id, invoice_id = EXCLUDED.invoice_id, subscription_id = EXCLUDED.subscription_id`,
    values: [deferrals.map((d) => d.eventId), column('payment_intent_id'), column('charge_id'), column('invoice_id'), column('subscription_id')],
  });
}

/**
 * Takes (deletes, inside the caller's transaction) the deferrals of events waiting for any of
 * these ids, oldest first. A concurrent transaction taking the same rows waits and then finds them gone.
 */
export async function takeDeferredEvents(db: Queryable, arrived: readonly StripeIds[]): Promise<string[]> {
  const ids = (field: keyof StripeIds) => [...new Set(arrived.map((a) => a[field]).filter((id): id is string => Boolean(id)))];
  const [pi, charge, invoice, subscription] = [ids('payment_intent_id'), ids('charge_id'), ids('invoice_id'), ids('subscription_id')];
  if (!pi.length && !charge.length && !invoice.length && !subscription.length) return [];
  const { rows } = await db.query<{ stripe_event_id: string; id: number }>(
    `DELETE FROM pending_adjustments
     WHERE payment_intent_id = ANY($1::text[]) OR charge_id = ANY($2::text[])
        OR invoice_id = ANY($3::text[]) OR subscription_id = ANY($4::text[])
     RETURNING id, stripe_event_id`,
    [pi, charge, invoice, subscription],
  );
  return rows.sort((a, b) => a.id - b.id).map((row) => row.stripe_event_id);
}

/** Events that ran to an end (a replay of a deferred one, say) are no longer deferred. */
export async function forgetDeferrals(db: Queryable, stripeEventIds: readonly string[]): Promise<void> {
  if (!stripeEventIds.length) return;
  await db.query(
    `DELETE FROM pending_adjustments WHERE stripe_event_id = ANY($1::text[])`,
    [stripeEventIds],
  );
}
