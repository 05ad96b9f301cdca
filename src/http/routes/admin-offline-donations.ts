import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { OFFLINE_METHODS } from '../../domain/offline-donation.js';
import { IMPORT_COLUMNS } from '../../domain/offline-import.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { csvRecords, importOfflineDonations, readImportHeader, type ImportRowResult } from '../../services/offline-import.js';
import { adminDonationResource } from '../presenters/donations.js';
import { recordOfflineDonation, voidOfflineDonation } from '../../services/offline-donations.js';
import { defineRoute } from '../route.js';
import { drained } from '../write-stream.js';
import { positiveMinorUnits, problemSchema, problems, slugSchema } from '../schemas.js';
import { donationSchema } from './admin-donations.js';
import { requireCampaign } from '../../services/campaigns.js';

const conflictProblem = (description: string) => ({ 409: { description, schema: problemSchema, contentType: 'application/problem+json' } });

const offlineDonationBody = z
  .object({
    amount: positiveMinorUnits.describe('minor units of the campaign currency'),
    currency: z.string().regex(/^[a-z]{3}$/, 'a lowercase ISO 4217 code').optional().describe("must be the campaign's when given"),
    received_at: z
      .string()
      .max(40)
      .describe('when the money arrived: YYYY-MM-DD (that day in the campaign timezone) or an ISO 8601 date-time with an offset; it counts in that month'),
    method: z.enum(OFFLINE_METHODS),
    reference: z.string().trim().min(1).max(100).describe('cheque number, transfer reference…; unique per campaign'),
    donor: z
      .object({ name: z.string().trim().max(200).optional(), email: z.email().max(254).optional() })
      .strict()
      .optional(),
    send_receipt: z.boolean().default(false).describe('number the donation and mail the donor a receipt'),
  })
  .strict();

const importResultSchema = z.object({
  row: z.number().int().describe('the data row, from 1 (the header is not counted)'),
  line: z.number().int().describe('the line of the file the row starts on'),
  reference: z.string().nullable(),
  status: z.enum(['ok', 'skipped', 'error']),
  donation_id: z.string().nullable().describe('the donation made (not in a dry run)'),
  reason: z.string().nullable(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});

const importResponseSchema = z.object({
  dry_run: z.boolean(),
  results: z.array(importResultSchema),
  summary: z.object({
    rows: z.number().int(),
    ok: z.number().int(),
    skipped: z.number().int(),
    error: z.number().int(),
    aborted: z.string().nullable().describe('set when the import stopped early on our side; rows reported ok stay imported, and running the file again continues it'),
  }),
});

/**
 * Writes the results as one JSON document, chunk by chunk as the import commits them, so
 * neither the file nor its results are ever held whole. Headers are sent before the first row
 * is written; a failure after that ends the document with `aborted` rather than a problem.
 */
async function streamImport(res: Response, chunks: AsyncGenerator<ImportRowResult[]>, dryRun: boolean, logger: Logger): Promise<void> {
  const summary = { rows: 0, ok: 0, skipped: 0, error: 0, aborted: null as string | null };
  let started = false;
  try {
    for await (const results of chunks) {
      if (!started) {
        res.status(200).type('application/json').setHeader('Cache-Control', 'no-store');
        res.write(`{"dry_run":${dryRun},"results":[`);
      }
      const text = results.map((result) => JSON.stringify(result)).join(',\n');
      for (const result of results) summary[result.status] += 1;
      const ok = res.write(`${started ? ',\n' : '\n'}${text}`);
      started = true;
      summary.rows += results.length;
      if (!ok && !(await drained(res))) {
        await chunks.return(undefined);
        return;
      }
    }
  } catch (error) {
    // Before anything was written the error is an ordinary problem response (a bad CSV header is one).
    if (!started) throw error;
    logger.error({ err: error }, 'offline import stopped');
    summary.aborted = `stopped after row ${summary.rows} on our side; rows reported ok are imported, run the file again to continue`;
  }
  if (!started) res.status(200).type('application/json').setHeader('Cache-Control', 'no-store').write(`{"dry_run":${dryRun},"results":[`);
  res.end(`\n],"summary":${JSON.stringify(summary)}}`);
}

export type OfflineRouteDeps = Pick<AppContext, 'db' | 'queues' | 'changes' | 'progress' | 'config' | 'logger'>;

/** Money received outside Stripe: recording, importing (see admin-offline-import.ts) and voiding it. */
export function adminOfflineDonationsRouter(deps: OfflineRouteDeps): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/campaigns/:slug/offline-donations',
      summary: 'Record money received outside Stripe (cheque, bank transfer, cash); it counts in the month it was received',
      tags: ['admin: donations'],
      access: 'admin',
      params: z.object({ slug: slugSchema }),
      body: offlineDonationBody,
      responses: {
        201: { description: 'The recorded donation', schema: donationSchema },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
        ...conflictProblem('The campaign already has a donation with this reference (conflict)'),
      },
    },
    async ({ params, body, res }) => {
      const donation = await recordOfflineDonation(deps, params.slug, body);
      res.status(201).location(`/v1/admin/donations/${donation.id}`).json(adminDonationResource(donation));
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/campaigns/:slug/offline-donations/import',
      summary: 'Import past donations from a CSV file, streamed; ?dry_run=true checks every row and writes nothing',
      tags: ['admin: donations'],
      access: 'admin',
      params: z.object({ slug: slugSchema }),
      query: z.object({
        dry_run: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
      }),
      body: z
        .unknown()
        .describe(
          `CSV (RFC 4180) with a header row naming its columns: ${IMPORT_COLUMNS.join(',')} (currency, name and email may be left out). ` +
            'amount in minor units; received_at YYYY-MM-DD (campaign timezone) or ISO 8601 with an offset; method check|bank_transfer|cash|other; reference unique per campaign.',
        ),
      bodyTypes: ['text/csv'],
      responses: {
        200: {
          description:
            'Streamed as rows are committed (a row reported "ok" is in the ledger): one result per data row, then a summary. ' +
            'Rows already imported (same reference) are "skipped"; a row with any problem is an "error" with the reason and is not written.',
          schema: importResponseSchema,
        },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
        415: { description: 'Not text/csv (unsupported_media_type)', schema: problemSchema, contentType: 'application/problem+json' },
      },
    },
    async ({ params, query, req, res }) => {
      if (!req.is('text/csv')) throw new AppError('unsupported_media_type', 'Send the file as text/csv.');
      const campaign = await requireCampaign(deps.db, params.slug);
      const records = csvRecords(req)[Symbol.asyncIterator]();
      const columns = await readImportHeader(records);
      await streamImport(res, importOfflineDonations(deps, campaign, records, columns, { dryRun: query.dry_run }), query.dry_run, deps.logger);
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/v1/admin/donations/:id',
      summary: 'Void an offline donation: a reversing ledger entry takes it out of its month (nothing is deleted)',
      tags: ['admin: donations'],
      access: 'admin',
      params: z.object({ id: z.string().min(1).max(200) }),
      responses: {
        200: { description: 'The voided donation', schema: donationSchema },
        ...problems.auth,
        ...problems.notFound,
        ...conflictProblem('A Stripe donation (refund it instead) or one already voided (conflict)'),
      },
    },
    async ({ params, res }) => {
      res.json(adminDonationResource(await voidOfflineDonation(deps, params.id)));
    },
  );

  return router;
}
