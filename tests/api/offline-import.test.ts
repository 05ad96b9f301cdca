import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

const HEADER = 'amount,currency,received_at,method,reference,name,email\n';

/** A past month as YYYY-MM, `back` months before the current one (UTC). */
function monthsAgo(back: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
}

interface ImportResponse {
  dry_run: boolean;
  results: { row: number; line: number; reference: string | null; status: string; donation_id: string | null; reason: string | null; errors: { field: string }[] }[];
  summary: { rows: number; ok: number; skipped: number; error: number; aborted: string | null };
}

/** Posts a CSV body as a stream over real HTTP and reads the whole JSON answer. */
function importCsv(slug: string, body: Readable | string, options: { dryRun?: boolean; contentType?: string } = {}) {
  return new Promise<{ status: number; type: string; body: ImportResponse & { code?: string; errors?: { field: string }[] } }>((resolve, reject) => {
    const url = new URL(`${service.url}/v1/admin/campaigns/${slug}/offline-donations/import${options.dryRun ? '?dry_run=true' : ''}`);
    const req = request(url, {
      method: 'POST',
      headers: { ...service.admin, 'Content-Type': options.contentType ?? 'text/csv' },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: JSON.parse(Buffer.concat(parts).toString('utf8')) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    (typeof body === 'string' ? Readable.from([body]) : body).pipe(req);
  });
}

async function counts(slug: string) {
  const { rows } = await service.ctx.db.query(
    `SELECT (SELECT count(*) FROM donations d JOIN campaigns c ON c.id = d.campaign_id WHERE c.slug = $1)::int AS donations,
            (SELECT count(*) FROM ledger_entries l JOIN campaigns c ON c.id = l.campaign_id WHERE c.slug = $1)::int AS entries,
            (SELECT coalesce(sum(raised), 0) FROM campaign_periods p JOIN campaigns c ON c.id = p.campaign_id WHERE c.slug = $1)::int AS raised`,
    [slug],
  );
  return rows[0] as { donations: number; entries: number; raised: number };
}

const months = async (slug: string, from: string) =>
  (await service.api.get(`/v1/admin/campaigns/${slug}/months`).query({ from }).set(service.admin)).body.data as {
    month: string;
    goal: number;
    raised: number;
    donations_count: number;
    donors_count: number;
  }[];

describe('CSV import of past donations', () => {
  const month = monthsAgo(2);
  const file =
    HEADER +
    `120000,usd,${month}-03,check,IMP-1,Grace Hopper,grace@example.org\n` +
    `5000,usd,${month}-04,bank_transfer,IMP-2,,\n` +
    `"7,50",usd,${month}-05,cash,IMP-3,Bad Amount,\n` +
    `2500,usd,${month}-06,check,IMP-1,Repeated,\n` +
    `2500,eur,${month}-06,check,IMP-4,Wrong Currency,\n` +
    `2500,usd,2999-01-01,check,IMP-5,Future,\n` +
    `2500,usd,${month}-07,"check,IMP-6\n`;

  it('reports each row in a dry run and writes nothing', async () => {
    const { slug } = await newCampaign(service);
    const before = await counts(slug);
    const response = await importCsv(slug, file, { dryRun: true });
    expect(response.status).toBe(200);
    expect(response.body.dry_run).toBe(true);
    expect(response.body.results.map((result) => [result.row, result.reference, result.status])).toEqual([
      [1, 'IMP-1', 'ok'],
      [2, 'IMP-2', 'ok'],
      [3, 'IMP-3', 'error'],
      [4, 'IMP-1', 'skipped'],
      [5, 'IMP-4', 'error'],
      [6, 'IMP-5', 'error'],
      [7, null, 'error'],
    ]);
    expect(response.body.results[2]!.errors.map((error) => error.field)).toEqual(['amount']);
    expect(response.body.results[4]!.errors.map((error) => error.field)).toEqual(['currency']);
    expect(response.body.results[5]!.reason).toContain('future');
    expect(response.body.results[6]!.reason).toContain('never closed');
    expect(response.body.summary).toEqual({ rows: 7, ok: 2, skipped: 1, error: 4, aborted: null });
    expect(await counts(slug)).toEqual(before);
  });

  it('imports the good rows into the month they were received, never part of a bad row, and skips them on a second run', async () => {
    const { slug } = await newCampaign(service);
    const first = await importCsv(slug, file);
    expect(first.status).toBe(200);
    expect(first.body.summary).toEqual({ rows: 7, ok: 2, skipped: 1, error: 4, aborted: null });
    expect(first.body.results[0]).toMatchObject({ status: 'ok', donation_id: expect.stringMatching(/^don_/) });
    expect(await counts(slug)).toEqual({ donations: 2, entries: 2, raised: 2 * 125_000 });
    const row = (await months(slug, month)).find((m) => m.month === month);
    expect(row).toMatchObject({ raised: 125_000, donations_count: 2, donors_count: 2 });

    const imported = (await service.api.get(`/v1/admin/donations/${first.body.results[0]!.donation_id}`).set(service.admin)).body;
    expect(imported).toMatchObject({ origin: 'offline', offline: { method: 'check', reference: 'IMP-1' }, receipt_number: null, month });
    expect(imported.ledger_entries).toEqual([expect.objectContaining({ kind: 'offline', amount: 120_000 })]);

    // Running the same file again changes nothing: what was imported is skipped.
    const again = await importCsv(slug, file);
    expect(again.body.summary).toEqual({ rows: 7, ok: 0, skipped: 3, error: 4, aborted: null });
    expect(again.body.results[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('already imported') });
    expect(await counts(slug)).toEqual({ donations: 2, entries: 2, raised: 2 * 125_000 });

    // Imported history sends no receipt and no donation.succeeded.
    const { rows } = await service.ctx.db.query(
      `SELECT count(*)::int AS n FROM receipts WHERE donation_id = $1 UNION ALL SELECT count(*)::int FROM webhook_events WHERE dedupe_key = $2`,
      [imported.id, `donation.succeeded:${imported.id}`],
    );
    expect(rows).toEqual([{ n: 0 }, { n: 0 }]);
  });

  it('gives an imported month the goal the campaign had configured then', async () => {
    const { slug } = await newCampaign(service, { goal: { period: 'monthly', amount: 500_000 } });
    // The campaign ran with a $3,000 goal three months ago (a month record, as the ledger keeps them).
    await service.ctx.db.query(
      `INSERT INTO campaign_periods (campaign_id, period_key, goal_amount, tiers) SELECT id, $2, 300000, '[]' FROM campaigns WHERE slug = $1`,
      [slug, monthsAgo(3)],
    );
    const response = await importCsv(slug, `${HEADER}1000,usd,${monthsAgo(2)}-10,cash,G-1,,\n`);
    expect(response.body.summary.ok).toBe(1);
    const history = await months(slug, monthsAgo(3));
    expect(history.find((m) => m.month === monthsAgo(2))).toMatchObject({ goal: 300_000, raised: 1_000 });
    expect(history.find((m) => m.month === monthsAgo(0))).toMatchObject({ goal: 500_000 });
  });

  it.each([
    ['an empty file', '', 'body'],
    ['an unknown column', 'amount,received_at,method,reference,colour\n', 'header.5'],
    ['a missing column', 'amount,received_at,method\n', 'header'],
  ])('refuses %s with 400 before importing anything', async (_name, body, field) => {
    const { slug } = await newCampaign(service);
    const response = await importCsv(slug, body);
    expect(response.status).toBe(400);
    expect(response.type).toContain('application/problem+json');
    expect(response.body.errors?.map((error) => error.field)).toContain(field);
    expect(await counts(slug)).toEqual({ donations: 0, entries: 0, raised: 0 });
  });

  it('answers 415 for a body that is not text/csv and 404 for an unknown campaign', async () => {
    const { slug } = await newCampaign(service);
    expect((await importCsv(slug, HEADER, { contentType: 'text/plain' })).status).toBe(415);
    expect((await importCsv('no-such-campaign', HEADER)).status).toBe(404);
  });

  it('streams 100,000 rows: rows are committed chunk by chunk while the file is still being sent', async () => {
    const { slug } = await newCampaign(service);
    const total = Number(process.env.IMPORT_ROWS ?? 100_000);
    const pauseAt = Math.floor(total * 0.6 / 1000) * 1000;
    const monthKeys = Array.from({ length: 12 }, (_, index) => monthsAgo(index + 1));
    let committedBeforeEnd = 0;
    async function* rows() {
      yield HEADER;
      for (let index = 0; index < total; index += 1000) {
        if (index === pauseAt) {
          // The rest of the file is held back until the server has committed most of what it got:
          // an import that buffered the body (or its results) would wait here forever.
          await expect.poll(async () => (await counts(slug)).donations, { timeout: 120_000, interval: 250 }).toBeGreaterThanOrEqual(pauseAt - 1_000);
          committedBeforeEnd = (await counts(slug)).donations;
        }
        let text = '';
        for (let i = index; i < index + 1000; i += 1) {
          text += `${100 + (i % 50)},usd,${monthKeys[i % 12]}-15,bank_transfer,BULK-${i},,${i % 3 === 0 ? `donor${i % 997}@example.org` : ''}\n`;
        }
        yield text;
      }
    }
    const response = await importCsv(slug, Readable.from(rows()));
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ rows: total, ok: total, skipped: 0, error: 0, aborted: null });
    expect(response.body.results).toHaveLength(total);
    expect(committedBeforeEnd).toBeGreaterThanOrEqual(pauseAt - 1_000);
    expect(committedBeforeEnd).toBeLessThan(total);
    const expectedRaised = Array.from({ length: total }, (_, i) => 100 + (i % 50)).reduce((sum, amount) => sum + amount, 0);
    const totals = await counts(slug);
    // Each donation counts in its month and in the all-time row.
    expect(totals).toEqual({ donations: total, entries: total, raised: 2 * expectedRaised });
    const history = await months(slug, monthKeys[11]!);
    expect(history.filter((m) => monthKeys.includes(m.month)).reduce((sum, m) => sum + m.donations_count, 0)).toBe(total);
  }, 240_000);
});
