import { Router } from 'express';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import type { AppContext } from '../../context.js';
import type { StripeEventRow } from '../../db/stripe-events.js';
import { findStoredStripeEvent, listStripeEvents, resetStripeEventForReplay } from '../../services/stripe-events/admin.js';
import { EVENT_FLAGS } from '../../domain/foreign-money.js';
import { wakeEventWorkers } from '../../services/stripe-events/ingest.js';
import { decodeCursor, defineRoute, keysetPage, pageQuery } from '../route.js';
import { listOf, problems } from '../schemas.js';

const STATUSES = ['received', 'processing', 'processed', 'ignored', 'deferred', 'failed'] as const;

const stripeEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  created: z.string().describe('when Stripe created the event'),
  livemode: z.boolean(),
  api_version: z.string().nullable(),
  source: z.enum(['webhook', 'reconciliation']).describe('how it reached us'),
  status: z
    .enum(STATUSES)
    .describe('deferred: waiting for the payment (or subscription) it belongs to; ignored: not ours or not used'),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  note: z.string().nullable().describe('why it was ignored or is waiting'),
  flag: z
    .enum(EVENT_FLAGS)
    .nullable()
    .describe('set on ignored events an operator should look at: money in another currency, the other Stripe mode, or another deployment'),
  received_at: z.string(),
  processed_at: z.string().nullable(),
});

function stripeEventResource(row: StripeEventRow): z.infer<typeof stripeEventSchema> {
  return {
    id: row.id,
    type: row.type,
    created: row.created.toISOString(),
    livemode: row.livemode,
    api_version: row.api_version,
    source: row.source,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    note: row.note,
    flag: row.flag as (typeof EVENT_FLAGS)[number] | null,
    received_at: row.received_at.toISOString(),
    processed_at: row.processed_at?.toISOString() ?? null,
  };
}

const eventParams = z.object({ id: z.string().min(1).max(255) });
const eventCursor = z.object({ position: z.string(), id: z.string() });

export function adminStripeEventsRouter(ctx: Pick<AppContext, 'db' | 'queues'>): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/stripe-events',
      summary: 'Stored Stripe events, newest first, with their processing status and last error',
      tags: ['admin: stripe events'],
      access: 'read',
      query: z.object({
        ...pageQuery,
        status: z.enum(STATUSES).optional(),
        type: z.string().max(200).optional(),
        flag: z.enum(EVENT_FLAGS).optional().describe('only events flagged so (e.g. currency_mismatch)'),
      }),
      responses: { 200: { description: 'A page of events', schema: listOf(stripeEventSchema) }, ...problems.badRequest, ...problems.auth },
    },
    async ({ query, res }) => {
      const after = decodeCursor(eventCursor, query.cursor);
      const rows = await listStripeEvents(ctx.db, { limit: query.limit + 1, status: query.status, type: query.type, flag: query.flag, after });
      res.json(keysetPage(rows, query.limit, stripeEventResource, (last) => ({ position: last.position, id: last.id })));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/stripe-events/:id',
      summary: 'One stored Stripe event with its payload',
      tags: ['admin: stripe events'],
      access: 'read',
      params: eventParams,
      responses: {
        200: { description: 'The event', schema: stripeEventSchema.extend({ payload: z.record(z.string(), z.unknown()) }) },
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ params, res }) => {
      const event = await findStoredStripeEvent(ctx.db, params.id);
      if (!event) throw notFound(`Stripe event "${params.id}"`);
      res.json({ ...stripeEventResource(event), payload: event.payload });
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/stripe-events/:id/replay',
      summary: 'Process a stored event again (processing is idempotent: nothing is counted twice)',
      tags: ['admin: stripe events'],
      access: 'admin',
      params: eventParams,
      responses: {
        202: { description: 'Queued again', schema: stripeEventSchema },
        ...problems.auth,
        ...problems.notFound,
        503: { description: 'The queue is unavailable; the event is picked up by the sweeper later (service_unavailable)' },
      },
    },
    async ({ params, res }) => {
      const event = await resetStripeEventForReplay(ctx.db, params.id);
      if (!event) throw notFound(`Stripe event "${params.id}"`);
      const queued = await wakeEventWorkers(ctx.queues, 'replay');
      if (!queued) throw new AppError('service_unavailable', 'The queue is unavailable; the event will be processed once it is back.', [], { 'Retry-After': '10' });
      res.status(202).json(stripeEventResource(event));
    },
  );

  return router;
}
