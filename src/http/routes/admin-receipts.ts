import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Db } from '../../db/pool.js';
import type { ReceiptListRow } from '../../db/receipts.js';
import { relayOutbox } from '../../queue/outbox-relay.js';
import type { Queues } from '../../queue/queues.js';
import { findMail, listDonationMails, listMails, sendReceiptCopy } from '../../services/receipts.js';
import { queueStatements } from '../../services/statements.js';
import { decodeCursor, defineRoute, keysetPage, pageQuery } from '../route.js';
import { listOf, problems } from '../schemas.js';

const KINDS = ['receipt', 'copy', 'refund', 'statement', 'payment_failed', 'manage_link'] as const;
const STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

const receiptResource = z.object({
  id: z.number().int(),
  kind: z.enum(KINDS).describe('receipt, copy (sent again by an admin), refund (confirmation), statement (annual), payment_failed (a monthly renewal failed) or manage_link (a donor asked for their manage link)'),
  donation_id: z.string().nullable(),
  receipt_number: z.string().nullable().describe("the donation's receipt number; null for statements"),
  to_email: z.string(),
  status: z.enum(STATUSES),
  attempts: z.number().int(),
  last_error: z.string().nullable().describe('why the latest attempt failed'),
  message_id: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
});

function toReceiptResource(row: ReceiptListRow): z.infer<typeof receiptResource> {
  return {
    id: row.id,
    kind: row.kind,
    donation_id: row.donation_id,
    receipt_number: row.receipt_number,
    to_email: row.to_email,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    message_id: row.message_id,
    created_at: row.created_at.toISOString(),
    sent_at: row.sent_at?.toISOString() ?? null,
  };
}

const donationParams = z.object({ id: z.string().min(1).max(200) });
const receiptCursor = z.object({ id: z.number().int() });

function page(rows: ReceiptListRow[], limit: number) {
  return keysetPage(rows, limit, toReceiptResource, (last) => ({ id: last.id }));
}

/** An admin may retry a statements request safely by sending the same Idempotency-Key. */
function requestKey(req: Request): string {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return randomUUID();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError('validation_failed', 'The Idempotency-Key header is not valid.', [
      { field: 'Idempotency-Key', message: '1 to 255 visible ASCII characters' },
    ]);
  }
  return key;
}

/** Receipts: their delivery state, sending one again, and annual statements. */
export function adminReceiptsRouter(db: Db, queues: Queues): Router {
  const router = Router();

  // The rows are committed; if Redis is away the sweeper moves them into the queue later.
  const relay = (req: Request) =>
    relayOutbox(db, queues).catch((error) => req.log.warn({ err: error }, 'receipt jobs left for the sweeper'));

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/donations/:id/receipt',
      summary: 'Send the receipt again, as a copy marked COPY (a new mail every call)',
      tags: ['admin: receipts'],
      access: 'admin',
      params: donationParams,
      responses: {
        202: { description: 'The copy is queued', schema: receiptResource },
        ...problems.auth,
        ...problems.notFound,
        409: { ...problems.conflict[409], description: 'The donation has not succeeded or has no donor email (conflict)' },
      },
    },
    async ({ params, req, res }) => {
      const receiptId = await sendReceiptCopy(db, params.id);
      await relay(req);
      res.status(202).json(toReceiptResource((await findMail(db, receiptId))!));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/donations/:id/receipts',
      summary: "A donation's mails (receipt, copies, refund confirmations) with their delivery state, newest first",
      tags: ['admin: receipts'],
      access: 'read',
      params: donationParams,
      query: z.object(pageQuery),
      responses: {
        200: { description: 'A page of receipts', schema: listOf(receiptResource) },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ params, query, res }) => {
      const after = decodeCursor(receiptCursor, query.cursor);
      res.json(page(await listDonationMails(db, params.id, { beforeId: after?.id, limit: query.limit + 1 }), query.limit));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/receipts',
      summary: 'All mails, newest first; ?status=failed lists those that exhausted their attempts, with the error',
      tags: ['admin: receipts'],
      access: 'read',
      query: z.object({ ...pageQuery, status: z.enum(STATUSES).optional(), kind: z.enum(KINDS).optional() }),
      responses: {
        200: { description: 'A page of receipts', schema: listOf(receiptResource) },
        ...problems.badRequest,
        ...problems.auth,
      },
    },
    async ({ query, res }) => {
      const after = decodeCursor(receiptCursor, query.cursor);
      const rows = await listMails(db, { status: query.status, kind: query.kind, beforeId: after?.id, limit: query.limit + 1 });
      res.json(page(rows, query.limit));
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/statements',
      summary:
        "Send each donor (or one) a summary of the year's donations and refunds with totals per currency. " +
        'Every call sends again; a retry with the same Idempotency-Key queues nothing new.',
      tags: ['admin: receipts'],
      access: 'admin',
      body: z
        .object({
          year: z
            .number()
            .int()
            .min(2000)
            .refine((year) => year <= new Date().getUTCFullYear(), 'must not be in the future'),
          email: z.email().optional(),
        })
        .strict(),
      responses: {
        202: {
          description: 'Statements queued: one per donor with donations or refunds in the year',
          schema: z.object({ year: z.number().int(), queued: z.number().int() }),
        },
        ...problems.badRequest,
        ...problems.auth,
      },
    },
    async ({ body, req, res }) => {
      const queued = await queueStatements(db, { year: body.year, email: body.email, requestKey: requestKey(req) });
      if (queued) await relay(req);
      res.status(202).json({ year: body.year, queued });
    },
  );

  return router;
}
