import type { Queryable } from './pool.js';

/** The Stripe ids an event is waiting for; any one of them landing lets it run again. */
export interface WaitingFor {
  payment_intent_id?: string | null;
  charge_id?: string | null;
  invoice_id?: string | null;
  subscription_id?: string | null;
}

export async function deferEvent(db: Queryable, stripeEventId: string, waitingFor: WaitingFor): Promise<void> {
  await db.query(
    `INSERT INTO pending_adjustments (stripe_event_id, payment_intent_id, charge_id, invoice_id, subscription_id)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (stripe_event_id) DO UPDATE SET payment_intent_id = EXCLUDED.payment_intent_id,
       charge_id = EXCLUDED.charge_id, invoice_id = EXCLUDED.invoice_id, subscription_id = EXCLUDED.subscription_id`,
    [
      stripeEventId, waitingFor.payment_intent_id ?? null, waitingFor.charge_id ?? null,
      waitingFor.invoice_id ?? null, waitingFor.subscription_id ?? null,
    ],
  );
}

/**
 * Takes (deletes, inside the caller's transaction) the events waiting for any of these ids,
 * oldest first. A concurrent transaction taking the same rows waits and then finds them gone.
 */
export async function takeWaitingEvents(db: Queryable, landed: WaitingFor): Promise<string[]> {
  const ids = (value: string | null | undefined) => (value ? [value] : []);
  const { rows } = await db.query<{ stripe_event_id: string; id: number }>(
    `DELETE FROM pending_adjustments
     WHERE payment_intent_id = ANY($1::text[]) OR charge_id = ANY($2::text[])
        OR invoice_id = ANY($3::text[]) OR subscription_id = ANY($4::text[])
     RETURNING id, stripe_event_id`,
    [ids(landed.payment_intent_id), ids(landed.charge_id), ids(landed.invoice_id), ids(landed.subscription_id)],
  );
  return rows.sort((a, b) => a.id - b.id).map((row) => row.stripe_event_id);
}

/** An event that ran to an end (a replay of a deferred one, say) no longer waits for anything. */
export async function forgetWaitingEvent(db: Queryable, stripeEventId: string): Promise<void> {
  await db.query(`DELETE FROM pending_adjustments WHERE stripe_event_id = $1`, [stripeEventId]);
}
