import Stripe from 'stripe';

const stripe = new Stripe('sk_test_goalpost_bench');

/** The `Stripe-Signature` header Stripe would send for these bytes, signed now. */
export function stripeSignature(payload: string, secret: string): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret });
}

/**
 * A stream of distinct signed events for the acknowledgement bench: one real-shaped event
 * serialized once, with only its id changing per request (the load generator must stay cheaper
 * than the server it measures).
 */
export function distinctEventBodies(template: Stripe.Event, runId: string): () => string {
  const marker = '__BENCH_EVENT_ID__';
  const [head, tail] = JSON.stringify({ ...template, id: marker }).split(marker) as [string, string];
  let sequence = 0;
  return () => `${head}evt_bench_${runId}_${(sequence += 1)}${tail}`;
}
