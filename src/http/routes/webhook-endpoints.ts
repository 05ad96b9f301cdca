import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { CONSUMER_EVENT_TYPES } from '../../services/consumer-events.js';
import { retryDelivery } from '../../services/webhook-delivery.js';
import {
  createEndpoint,
  endpointDeliveries,
  listEndpoints,
  patchEndpoint,
  removeEndpoint,
  requireEndpoint,
  rotateSecret,
} from '../../services/webhook-endpoints.js';
import { deliveryResource, endpointResource } from '../presenters/webhook-endpoints.js';
import { decodeCursor, defineRoute, keysetPage, pageQuery } from '../route.js';
import { listOf, problems } from '../schemas.js';

const TAGS = ['admin: webhook endpoints'];
const unsafeTarget = {
  description: 'Invalid input (validation_failed), or a URL that is not http(s) or reaches a non-public address (unsafe_webhook_target)',
  schema: problems.badRequest[400].schema,
  contentType: 'application/problem+json',
};

const urlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .refine((value) => URL.canParse(value), 'an absolute URL, e.g. "https://example.org/webhooks"')
  .describe('http(s) URL on a public address; checked again before every delivery');

const eventsSchema = z
  .array(z.enum([...CONSUMER_EVENT_TYPES, '*']))
  .min(1)
  .max(CONSUMER_EVENT_TYPES.length + 1)
  .refine((events) => !events.includes('*') || events.length === 1, '"*" subscribes to everything and stands alone')
  .describe(`event types (${CONSUMER_EVENT_TYPES.join(', ')}), or ["*"] for all`);

const endpointResourceSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabled_reason: z
    .enum(['manual', 'gone', 'failing'])
    .nullable()
    .describe('manual: an admin; gone: the receiver answered 410; failing: a delivery failed its whole retry schedule'),
  disabled_at: z.string().nullable(),
  previous_secret_expires_at: z.string().nullable().describe('until then the previous secret signs too (after a rotation)'),
  created_at: z.string(),
  updated_at: z.string(),
});
const withSecret = endpointResourceSchema.extend({
  secret: z.string().describe('whsec_... signing secret for standardwebhooks; shown only here'),
});

const attemptSchema = z.object({
  attempt: z.number().int(),
  trigger: z.enum(['schedule', 'manual']),
  attempted_at: z.string(),
  status_code: z.number().int().nullable(),
  latency_ms: z.number().int(),
  response_body: z.string().nullable().describe('the first 1 kB of the answer'),
  error: z.string().nullable().describe('timeout, connection error or refused target'),
});
const deliverySchema = z.object({
  id: z.string(),
  endpoint_id: z.string(),
  event_id: z.string().describe('also the webhook-id header'),
  event_type: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed', 'canceled']),
  attempt_count: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  attempts: z.array(attemptSchema),
});

const idParams = z.object({ id: z.string().min(1).max(100) });
const pageCursor = z.object({ created_at: z.string(), id: z.string() });

const createdAtCursor = (row: { created_at: Date; id: string }) => ({ created_at: row.created_at.toISOString(), id: row.id });

export function webhookEndpointsRouter(ctx: Pick<AppContext, 'config' | 'db' | 'queues' | 'logger'>): Router {
  const router = Router();
  const { db } = ctx;
  const targets = { allowPrivate: ctx.config.WEBHOOK_ALLOW_PRIVATE_TARGETS, resolveTimeoutMs: ctx.config.WEBHOOK_RESOLVE_TIMEOUT_MS };

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/webhook-endpoints',
      summary: 'Register a webhook endpoint; its signing secret is in this response only',
      tags: TAGS,
      access: 'admin',
      body: z
        .object({ url: urlSchema, events: eventsSchema, description: z.string().max(500).default('') })
        .strict(),
      responses: { 201: { description: 'Created', schema: withSecret }, 400: unsafeTarget, ...problems.auth },
    },
    async ({ body, res }) => {
      const endpoint = await createEndpoint(db, body, targets);
      res
        .status(201)
        .location(`/v1/admin/webhook-endpoints/${endpoint.id}`)
        .json({ ...endpointResource(endpoint), secret: endpoint.secret });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/webhook-endpoints',
      summary: 'List webhook endpoints, newest first',
      tags: TAGS,
      access: 'read',
      query: z.object(pageQuery),
      responses: { 200: { description: 'A page of endpoints', schema: listOf(endpointResourceSchema) }, ...problems.badRequest, ...problems.auth },
    },
    async ({ query, res }) => {
      const rows = await listEndpoints(db, { limit: query.limit + 1, after: decodeCursor(pageCursor, query.cursor) });
      res.json(keysetPage(rows, query.limit, (row) => endpointResource(row), createdAtCursor));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/webhook-endpoints/:id',
      summary: 'Read one webhook endpoint (whether it is enabled, and why not)',
      tags: TAGS,
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'The endpoint', schema: endpointResourceSchema }, ...problems.auth, ...problems.notFound },
    },
    async ({ params, res }) => {
      res.json(endpointResource(await requireEndpoint(db, params.id)));
    },
  );

  defineRoute(
    router,
    {
      method: 'patch',
      path: '/v1/admin/webhook-endpoints/:id',
      summary: 'Update a webhook endpoint; enabled: true re-enables a disabled one',
      tags: TAGS,
      access: 'admin',
      params: idParams,
      body: z
        .object({ url: urlSchema, events: eventsSchema, description: z.string().max(500), enabled: z.boolean() })
        .partial()
        .strict(),
      responses: {
        200: { description: 'The updated endpoint', schema: endpointResourceSchema },
        400: unsafeTarget,
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ params, body, res }) => {
      res.json(endpointResource(await patchEndpoint(db, params.id, body, targets)));
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/v1/admin/webhook-endpoints/:id',
      summary: 'Delete a webhook endpoint and its delivery history',
      tags: TAGS,
      access: 'admin',
      params: idParams,
      responses: { 204: { description: 'Deleted' }, ...problems.auth, ...problems.notFound },
    },
    async ({ params, res }) => {
      await removeEndpoint(db, params.id);
      res.status(204).end();
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/webhook-endpoints/:id/rotate-secret',
      summary: 'Replace the signing secret; for 24 h deliveries carry signatures by the old and the new one',
      tags: TAGS,
      access: 'admin',
      params: idParams,
      responses: { 200: { description: 'The endpoint with its new secret', schema: withSecret }, ...problems.auth, ...problems.notFound },
    },
    async ({ params, res }) => {
      const { endpoint, secret } = await rotateSecret(db, params.id, ctx.config.WEBHOOK_SECRET_OVERLAP_MS);
      res.json({ ...endpointResource(endpoint), secret });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/webhook-endpoints/:id/deliveries',
      summary: "An endpoint's deliveries, newest first, each with every attempt",
      tags: TAGS,
      access: 'read',
      params: idParams,
      query: z.object({ ...pageQuery, status: z.enum(['pending', 'succeeded', 'failed', 'canceled']).optional() }),
      responses: {
        200: { description: 'A page of deliveries', schema: listOf(deliverySchema) },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ params, query, res }) => {
      const rows = await endpointDeliveries(db, params.id, {
        limit: query.limit + 1,
        status: query.status,
        after: decodeCursor(pageCursor, query.cursor),
      });
      res.json(keysetPage(rows, query.limit, deliveryResource, createdAtCursor));
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/webhook-deliveries/:id/retry',
      summary: 'Send a delivery again now (one attempt, outside the retry schedule)',
      tags: TAGS,
      access: 'admin',
      params: idParams,
      responses: {
        202: { description: 'The attempt is queued', schema: deliverySchema },
        ...problems.auth,
        ...problems.notFound,
        409: { description: 'The delivery is still pending, or its endpoint is disabled (conflict)', schema: problems.conflict[409].schema, contentType: 'application/problem+json' },
      },
    },
    async ({ params, res }) => {
      res.status(202).json(deliveryResource(await retryDelivery(ctx, params.id)));
    },
  );

  return router;
}
