import { randomBytes } from 'node:crypto';
import { buildCheckoutSession } from '@goalpost/stripe-emulator/builders/checkout-session';
import { buildEvent } from '@goalpost/stripe-emulator/builders/event';
import { WEBHOOK_SECRET, type Bench, type BenchCampaign } from '../lib/bench.js';
import { sampleDatabaseWaits } from '../lib/db-waits.js';
import { alternateRounds, measure, pairedRatio, typicalRound } from '../lib/load.js';
import { distinctEventBodies, stripeSignature } from '../lib/stripe-events.js';

/** A completed one-time donation session, as the emulator (and Stripe) would send it. */
function completedSessionEvent(campaign: BenchCampaign) {
  const now = Math.floor(Date.now() / 1000);
  const session = buildCheckoutSession({
    id: `cs_test_bench_${randomBytes(8).toString('hex')}`,
    url: 'https://checkout.stripe.com/c/pay/bench',
    created: now,
    expiresAt: now + 86_400,
    mode: 'payment',
    submitType: 'donate',
    currency: campaign.currency,
    amountTotal: 2_500,
    successUrl: 'https://bench.example/thanks',
    cancelUrl: 'https://bench.example/',
    customerEmail: 'donor@bench.example',
    clientReferenceId: null,
    metadata: {
      goalpost_campaign_id: String(campaign.id),
      goalpost_campaign: campaign.slug,
      goalpost_frequency: 'one_time',
      goalpost_amount: '2500',
      goalpost_fee_amount: '0',
    },
  });
  session.status = 'complete';
  session.payment_status = 'paid';
  session.payment_intent = `pi_bench_${randomBytes(8).toString('hex')}`;
  return buildEvent({
    id: 'evt_template',
    type: 'checkout.session.completed',
    created: now,
    object: session,
    request: { id: null, idempotency_key: null },
    pendingWebhooks: 1,
  });
}

/**
 * Verify + store + enqueue, acknowledged: signed events POSTed at the webhook route (no
 * workers running, so only the acknowledgement is measured), beside the bare handler
 * receiving the same bytes.
 */
export async function benchWebhookAck(bench: Bench, campaign: BenchCampaign): Promise<void> {
  const { settings, api } = bench;
  const nextBody = distinctEventBodies(completedSessionEvent(campaign), randomBytes(4).toString('hex'));
  const sample = nextBody();
  const signedRequest = (url: string) => ({
    url,
    connections: settings.connections,
    duration: settings.duration,
    method: 'POST',
    requests: [
      {
        method: 'POST',
        setupRequest: (request: { headers?: Record<string, string> }) => {
          const body = nextBody();
          return { ...request, method: 'POST', body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': stripeSignature(body, WEBHOOK_SECRET) } };
        },
      },
    ],
  });
  let waited = '';
  const rounds = await alternateRounds(
    settings.rounds,
    {
      baseline: (warmup) => measure(signedRequest(`${bench.baselineUrl}/v1/webhooks/stripe`), warmup),
      webhook: async (warmup) => {
        const waits = sampleDatabaseWaits(bench.db);
        const summary = await measure(signedRequest(`${api.url}/v1/webhooks/stripe`), warmup);
        waited = await waits.stop();
        return summary;
      },
    },
    settings.warmup,
  );
  const results = { baseline: typicalRound(rounds.baseline), webhook: typicalRound(rounds.webhook) };
  const scenario = 'P2 webhook ack';
  bench.record({ scenario, metric: 'bare Express handler (same POSTs)', unit: 'req/s', value: results.baseline.rps, note: `body ${sample.length} bytes` });
  bench.record({
    scenario,
    metric: 'POST /v1/webhooks/stripe (verify + store + enqueue)',
    unit: 'req/s',
    value: results.webhook.rps,
    baseline: results.baseline.rps,
    ratio: pairedRatio(rounds.webhook, rounds.baseline),
    baselineLabel: 'bare',
    target: { compare: 'ratio_at_least', limit: 0.5 },
    note: waited,
  });
  bench.record({
    scenario,
    metric: `webhook ack p99 at ${settings.connections} connections`,
    unit: 'ms',
    value: results.webhook.p99Ms,
    target: { compare: 'value_at_most', limit: 25 },
    note: `p50 ${results.webhook.p50Ms} ms`,
  });
  const { rows } = await bench.db.query<{ stored: number }>(`SELECT count(*)::int AS stored FROM stripe_events WHERE id LIKE 'evt_bench_%'`);
  const acknowledged = rounds.webhook.reduce((sum, round) => sum + (round.statusCodes['200'] ?? 0), 0);
  if (rows[0]!.stored < acknowledged) {
    throw new Error(`${acknowledged} events were acknowledged but only ${rows[0]!.stored} are stored`);
  }
}
