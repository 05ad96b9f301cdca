import express, { Router } from 'express';
import { z } from 'zod';
import type { WebhookIngest } from '../../services/stripe-events/ingest.js';
import { defineRoute } from '../route.js';
import { problemSchema } from '../schemas.js';

/** Stripe's events stay far below this; anything larger is not from Stripe. */
export const STRIPE_WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;
export const STRIPE_WEBHOOK_PATH = '/v1/webhooks/stripe';

const problem = (description: string) => ({ description, schema: problemSchema, contentType: 'application/problem+json' });

/**
 * The full path of Stripe's webhook (stripe-webhook-fast-path.ts answers most deliveries before
 * it): the one the OpenAPI document describes, and the one that answers every problem.
 */
export function stripeWebhooksRouter(webhooks: WebhookIngest): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'post',
      path: STRIPE_WEBHOOK_PATH,
      summary: 'Stripe webhook endpoint: verified, stored once, queued, answered at once',
      tags: ['stripe'],
      access: 'stripe',
      // The signature covers the exact bytes Stripe sent, so this route reads the raw body; the
      // app's JSON parser (mounted after this router) would re-serialise it and break the check.
      before: [express.raw({ type: '*/*', limit: STRIPE_WEBHOOK_BODY_LIMIT_BYTES })],
      body: z.any().describe('A Stripe event, byte for byte as Stripe signed it (Stripe-Signature header)'),
      responses: {
        200: { description: 'Stored (or already stored) as received, where the workers claim it from; answered before it is applied', schema: z.object({ received: z.literal(true), id: z.string() }) },
        400: problem('Missing, forged, tampered or stale signature, or not a Stripe event (invalid_signature)'),
        413: problem('Body larger than any Stripe event (payload_too_large)'),
        503: problem('The event store is unavailable; Stripe delivers the event again later (service_unavailable)'),
      },
    },
    async ({ req, res }) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { eventId } = await webhooks.ingest(raw, req.get('stripe-signature'));
      res.status(200).json({ received: true, id: eventId });
    },
  );

  return router;
}
