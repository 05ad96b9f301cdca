import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodKeyOf } from '../../src/domain/period.js';
import { EXPORT_PAGE_SIZE } from '../../src/services/donation-export.js';
import { newCampaign } from '../helpers/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** RFC 4180 as a spreadsheet reads it: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  if (field || row.length) throw new Error('the last row does not end with CRLF');
  return rows;
}

interface DonationFields {
  status?: string;
  amount?: number;
  name?: string | null;
  email?: string | null;
  message?: string | null;
  month?: string;
}

describe('GET /v1/admin/donations/export.csv', () => {
  let service: TestService;
  let readKey: string;

  const insert = async (slug: string, fields: DonationFields = {}) => {
    const id = `don_${randomBytes(8).toString('hex')}`;
    await service.ctx.db.query(
      `INSERT INTO donations (id, campaign_id, status, frequency, amount, currency, donor_name, donor_email, message, period_key, paid_at)
       SELECT $1, id, $3, 'one_time', $4, currency, $5, $6, $7, $8, CASE WHEN $3 = 'succeeded' THEN now() END
       FROM campaigns WHERE slug = $2`,
      [id, slug, fields.status ?? 'succeeded', fields.amount ?? 2_500, fields.name ?? 'Ada Lovelace', fields.email ?? 'ada@example.org', fields.message ?? null, fields.month ?? periodKeyOf(new Date(), 'America/New_York')],
    );
    return id;
  };
  const exportCsv = (query: Record<string, string>, key?: string) =>
    service.api
      .get('/v1/admin/donations/export.csv')
      .query(query)
      .set(key ? { Authorization: `Bearer ${key}` } : service.admin)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });

  beforeAll(async () => {
    service = await startTestService();
    const minted = await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'viewer', scope: 'read' });
    readKey = minted.body.key;
  });
  afterAll(async () => service?.close());

  it('answers a header row and one RFC 4180 row per donation, as an attachment', async () => {
    const { slug } = await newCampaign(service);
    const id = await insert(slug, { name: 'Lovelace, "Ada"', message: 'Thank you!\r\nKeep going.' });
    const response = await exportCsv({ campaign: slug });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="donations-${slug}.csv"`);
    const text = response.body as string;
    expect(text).toMatch(/^id,created_at,paid_at,month,campaign,status,frequency,currency,amount,fee_amount,/);
    expect(text).toContain('"Lovelace, ""Ada"""');
    const [header, row, ...rest] = parseCsv(text);
    expect(rest).toHaveLength(0);
    const record = Object.fromEntries(header!.map((name, index) => [name, row![index]]));
    expect(record).toMatchObject({ id, campaign: slug, status: 'succeeded', amount: '2500', currency: 'usd', donor_name: 'Lovelace, "Ada"', message: 'Thank you!\r\nKeep going.' });
  });

  it('neutralises donor text a spreadsheet would run as a formula', async () => {
    const { slug } = await newCampaign(service);
    const hostile = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1:A9)', '\t=1', '\r=1'];
    for (const [index, text] of hostile.entries()) {
      await insert(slug, { name: text, email: index === 0 ? '=cmd|"/c calc"!A1@example.org' : `d${index}@example.org`, message: text });
    }
    const [header, ...rows] = parseCsv((await exportCsv({ campaign: slug })).body);
    const column = (name: string) => rows.map((row) => row[header!.indexOf(name)]!);
    expect(column('donor_name').sort()).toEqual(hostile.map((text) => `'${text}`).sort());
    expect(column('message').sort()).toEqual(hostile.map((text) => `'${text}`).sort());
    expect(column('donor_email')).toContain(`'=cmd|"/c calc"!A1@example.org`);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('streams more donations than one page holds, each exactly once, newest first', async () => {
    const { slug } = await newCampaign(service);
    const total = EXPORT_PAGE_SIZE * 2 + 37;
    // Several donations share each timestamp, so the keyset has to break ties on the id.
    await service.ctx.db.query(
      `INSERT INTO donations (id, campaign_id, status, frequency, amount, currency, donor_email, period_key, paid_at, created_at)
       SELECT 'don_bulk_' || lpad(n::text, 5, '0'), c.id, 'succeeded', 'one_time', 100 + n, c.currency, 'bulk' || n || '@example.org',
              '2024-11', now(), timestamptz '2024-11-15 12:00:00Z' + (n / 3) * interval '1 second'
       FROM campaigns c, generate_series(1, $2) AS n WHERE c.slug = $1`,
      [slug, total],
    );
    const response = await exportCsv({ campaign: slug });
    expect(response.headers['transfer-encoding']).toBe('chunked');
    const [header, ...rows] = parseCsv(response.body);
    const ids = rows.map((row) => row[header!.indexOf('id')]!);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    const created = rows.map((row) => row[header!.indexOf('created_at')]!);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('filters by month and status', async () => {
    const { slug } = await newCampaign(service);
    const november = await insert(slug, { month: '2024-11' });
    await insert(slug, { month: '2024-10' });
    await insert(slug, { month: '2024-11', status: 'failed' });
    const [header, ...rows] = parseCsv((await exportCsv({ campaign: slug, month: '2024-11', status: 'succeeded' })).body);
    expect(rows.map((row) => row[header!.indexOf('id')])).toEqual([november]);
  });

  it('is readable with a read-only key and refused without one', async () => {
    const { slug } = await newCampaign(service);
    expect((await exportCsv({ campaign: slug }, readKey)).status).toBe(200);
    const anonymous = await service.api.get('/v1/admin/donations/export.csv');
    expect(anonymous.status).toBe(401);
  });

  it('rejects an unknown campaign and a malformed month as problems, before streaming', async () => {
    const unknown = await service.api.get('/v1/admin/donations/export.csv?campaign=nope-nope').set(service.admin);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    const badMonth = await service.api.get('/v1/admin/donations/export.csv?month=2024-13').set(service.admin);
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.errors[0].field).toBe('query.month');
  });
});

describe('POST /v1/admin/donations/:id/refund (checks before Stripe)', () => {
  let service: TestService;
  let readKey: string;

  beforeAll(async () => {
    service = await startTestService();
    readKey = (await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'viewer', scope: 'read' })).body.key;
  });
  afterAll(async () => service?.close());

  const donation = async (status: string, refundedGross = 0) => {
    const { slug } = await newCampaign(service);
    const id = `don_${randomBytes(8).toString('hex')}`;
    await service.ctx.db.query(
      `INSERT INTO donations (id, campaign_id, status, frequency, amount, fee_amount, currency, payment_intent_id, refunded_gross)
       SELECT $1, id, $3, 'one_time', 2500, 103, currency, 'pi_' || $1, $4 FROM campaigns WHERE slug = $2`,
      [id, slug, status, refundedGross],
    );
    return id;
  };

  it('needs an admin key', async () => {
    const id = await donation('succeeded');
    const response = await service.api.post(`/v1/admin/donations/${id}/refund`).set({ Authorization: `Bearer ${readKey}` }).send({});
    expect(response.status).toBe(403);
  });

  it('answers 404 for an unknown donation and 409 for one that did not succeed', async () => {
    expect((await service.api.post('/v1/admin/donations/don_nope/refund').set(service.admin).send({})).status).toBe(404);
    const pending = await donation('pending');
    const response = await service.api.post(`/v1/admin/donations/${pending}/refund`).set(service.admin).send({});
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/pending/);
  });

  it('refuses more than is left to refund (donation plus covered fee, less earlier refunds)', async () => {
    const id = await donation('succeeded', 1_000);
    const response = await service.api.post(`/v1/admin/donations/${id}/refund`).set(service.admin).send({ amount: 1_604 });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'amount', message: expect.stringContaining('at most 1603') }]);
    const invalid = await service.api.post(`/v1/admin/donations/${id}/refund`).set(service.admin).send({ amount: 0 });
    expect(invalid.status).toBe(400);
  });

  it('answers 409 once the donation is refunded in full', async () => {
    const id = await donation('succeeded', 2_603);
    const response = await service.api.post(`/v1/admin/donations/${id}/refund`).set(service.admin).send({});
    expect(response.status).toBe(409);
  });
});
