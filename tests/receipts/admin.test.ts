import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { newRefund, newSucceededDonation, testEmail } from '../helpers/donations.js';
import { eventually, receiptsOf, relay, settled, sleep } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

let sink: SmtpSink;
let service: TestService;
let usd: string;
let jpy: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  service = await startTestService({ SMTP_URL: sink.url, RECEIPT_BACKOFF_MS: '50', ORG_NAME: 'Newsroom Foundation' });
  service.startWorkers();
  usd = (await newCampaign(service, { name: 'Local news fund', currency: 'usd', timezone: 'America/New_York' })).slug;
  jpy = (await newCampaign(service, { name: 'Tokyo bureau', currency: 'jpy', timezone: 'Asia/Tokyo' })).slug;
});

afterAll(async () => {
  await service.close();
  await sink.close();
});

async function deliveredReceipt(email = testEmail()) {
  const donation = await newSucceededDonation(service, usd, { email });
  await relay(service);
  await settled(service, (await receiptsOf(service, donation.id)).map((row) => row.id));
  return { ...donation, email };
}

/** Waits for every statement row not yet sent or failed. */
async function statementsSettled() {
  await eventually(async () => {
    const { rows } = await service.ctx.db.query(`SELECT 1 FROM receipts WHERE kind = 'statement' AND status IN ('pending', 'sending')`);
    return rows.length === 0;
  });
}

describe('POST /v1/admin/donations/:id/receipt', () => {
  it('sends a copy marked COPY each time it is asked, and lists it with the original', async () => {
    const donation = await deliveredReceipt();

    const first = await service.api.post(`/v1/admin/donations/${donation.id}/receipt`).set(service.admin);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      kind: 'copy',
      donation_id: donation.id,
      receipt_number: donation.receiptNumber,
      to_email: donation.email,
      status: expect.stringMatching(/^(pending|sending|sent)$/),
    });
    const second = await service.api.post(`/v1/admin/donations/${donation.id}/receipt`).set(service.admin);
    expect(second.status).toBe(202);
    await settled(service, [first.body.id, second.body.id]);

    const mails = sink.to(donation.email);
    expect(mails.map((mail) => mail.subject)).toEqual([
      `Your receipt ${donation.receiptNumber} from Newsroom Foundation`,
      `COPY: Your receipt ${donation.receiptNumber} from Newsroom Foundation`,
      `COPY: Your receipt ${donation.receiptNumber} from Newsroom Foundation`,
    ]);
    expect(mails[1]!.text).toContain(`COPY of receipt ${donation.receiptNumber}`);
    expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(3);

    const listed = await service.api.get(`/v1/admin/donations/${donation.id}/receipts`).set(service.admin);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((row: { kind: string; status: string }) => [row.kind, row.status])).toEqual([
      ['copy', 'sent'],
      ['copy', 'sent'],
      ['receipt', 'sent'],
    ]);
  });

  it('pages a donation’s receipts with a cursor', async () => {
    const donation = await deliveredReceipt();
    await service.api.post(`/v1/admin/donations/${donation.id}/receipt`).set(service.admin);
    const page1 = await service.api.get(`/v1/admin/donations/${donation.id}/receipts?limit=1`).set(service.admin);
    expect(page1.body.data).toHaveLength(1);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await service.api
      .get(`/v1/admin/donations/${donation.id}/receipts?limit=1&cursor=${page1.body.next_cursor}`)
      .set(service.admin);
    expect(page2.body).toMatchObject({ data: [{ kind: 'receipt' }], next_cursor: null });
  });

  it('answers 404 for an unknown donation and 409 for one without an email address', async () => {
    const unknown = await service.api.post('/v1/admin/donations/don_missing/receipt').set(service.admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    const unknownList = await service.api.get('/v1/admin/donations/don_missing/receipts').set(service.admin);
    expect(unknownList.status).toBe(404);

    const noEmail = await newSucceededDonation(service, usd, { email: null });
    const response = await service.api.post(`/v1/admin/donations/${noEmail.id}/receipt`).set(service.admin);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('conflict');
    expect(await receiptsOf(service, noEmail.id)).toHaveLength(0);
  });

  it('needs an admin key: none is 401, a read-only key is 403 and may still list', async () => {
    const donation = await deliveredReceipt();
    const minted = await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'viewer', scope: 'read' });
    const readOnly = { Authorization: `Bearer ${minted.body.key}` };

    expect((await service.api.post(`/v1/admin/donations/${donation.id}/receipt`)).status).toBe(401);
    expect((await service.api.post(`/v1/admin/donations/${donation.id}/receipt`).set(readOnly)).status).toBe(403);
    expect((await service.api.post('/v1/admin/statements').set(readOnly).send({ year: 2019 })).status).toBe(403);
    expect((await service.api.get(`/v1/admin/donations/${donation.id}/receipts`).set(readOnly)).status).toBe(200);
    expect((await service.api.get('/v1/admin/receipts').set(readOnly)).status).toBe(200);
    expect(await receiptsOf(service, donation.id)).toHaveLength(1);
  });
});

describe('POST /v1/admin/statements', () => {
  const YEAR = 2019;
  const donorA = testEmail('statement-a');
  const donorB = testEmail('statement-b');
  const donorC = testEmail('statement-c');

  beforeAll(async () => {
    // Donor A: USD and JPY, including payments that are in 2019 only in their campaign's timezone.
    const usdWithFee = await newSucceededDonation(service, usd, {
      email: donorA, name: 'Ada', amount: 2_500, fee: 105, paidAt: new Date('2019-03-01T15:00:00Z'),
    });
    const newYearsEve = await newSucceededDonation(service, usd, {
      email: donorA, name: 'Ada', amount: 1_000, paidAt: new Date('2020-01-01T04:30:00Z'), // 23:30 on 31 Dec in New York
    });
    await newSucceededDonation(service, jpy, { email: donorA, amount: 3_000, paidAt: new Date('2019-06-01T03:00:00Z') });
    const tokyoNewYear = await newSucceededDonation(service, jpy, {
      email: donorA, amount: 500, frequency: 'monthly', paidAt: new Date('2018-12-31T15:30:00Z'), // 00:30 on 1 Jan in Tokyo
    });
    await newSucceededDonation(service, usd, { email: donorA, amount: 9_900, paidAt: new Date('2019-01-01T04:00:00Z') }); // 2018 in New York
    await newRefund(service, usdWithFee.id, 500, new Date('2019-04-01T12:00:00Z'));
    await newRefund(service, tokyoNewYear.id, 200, new Date('2019-05-01T12:00:00Z'));
    await newRefund(service, newYearsEve.id, 1_000, new Date('2020-02-01T12:00:00Z')); // refunded in 2020
    // Donor B: one USD donation. Donor C: nothing in 2019.
    await newSucceededDonation(service, usd, { email: donorB, name: 'Bo', amount: 5_000, paidAt: new Date('2019-08-08T12:00:00Z') });
    await newSucceededDonation(service, usd, { email: donorC, amount: 700, paidAt: new Date('2018-08-08T12:00:00Z') });
    await relay(service);
    await eventually(async () => {
      const { rows } = await service.ctx.db.query(`SELECT 1 FROM receipts WHERE status IN ('pending', 'sending')`);
      return rows.length === 0;
    });
  });

  const statementsTo = (email: string) => sink.to(email).filter((mail) => mail.subject?.includes('donation statement'));

  it('sends each donor with donations or refunds in the year one statement with totals per currency', async () => {
    const response = await service.api.post('/v1/admin/statements').set(service.admin).send({ year: YEAR });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ year: YEAR, queued: 2 });
    await statementsSettled();

    const [statement] = statementsTo(donorA);
    expect(statementsTo(donorA)).toHaveLength(1);
    expect(statement!.subject).toBe(`Your ${YEAR} donation statement from Newsroom Foundation`);
    const text = statement!.text!;
    expect(text).toContain('Dear Ada,');
    expect(text).toMatch(/USD\s+\$36\.05\s+\$5\.00\s+\$31\.05/);
    expect(text).toMatch(/JPY\s+¥3,500\s+¥200\s+¥3,300/);
    expect(text).toContain('December 31, 2019');
    expect(text).toContain('January 1, 2019');
    expect(text).not.toContain('$99.00');
    const refundsSection = text.slice(text.indexOf('Refunds'), text.indexOf('Totals'));
    expect(refundsSection).toContain('$5.00');
    expect(refundsSection).not.toContain('$10.00');
    expect(statement!.html).toContain('$31.05');

    expect(statementsTo(donorB)).toHaveLength(1);
    expect(statementsTo(donorB)[0]!.text).toMatch(/USD\s+\$50\.00\s+\$0\.00\s+\$50\.00/);
    expect(statementsTo(donorC)).toHaveLength(0);
  });

  it('sends one donor theirs again when asked again, and nothing new for a retried Idempotency-Key', async () => {
    const before = statementsTo(donorB).length;
    const again = await service.api.post('/v1/admin/statements').set(service.admin).send({ year: YEAR, email: donorB.toUpperCase() });
    expect(again.body).toEqual({ year: YEAR, queued: 1 });

    const keyed = () =>
      service.api.post('/v1/admin/statements').set(service.admin).set('Idempotency-Key', `statements-${donorB}`).send({ year: YEAR, email: donorB });
    expect((await keyed()).body).toEqual({ year: YEAR, queued: 1 });
    expect((await keyed()).body).toEqual({ year: YEAR, queued: 0 });
    await statementsSettled();
    await sleep(300);

    expect(statementsTo(donorB)).toHaveLength(before + 2);
    expect(statementsTo(donorA)).toHaveLength(1);
  });

  it('queues nothing for a donor without donations that year', async () => {
    const response = await service.api.post('/v1/admin/statements').set(service.admin).send({ year: YEAR, email: donorC });
    expect(response.body).toEqual({ year: YEAR, queued: 0 });
  });

  it.each([
    ['a future year', { year: new Date().getUTCFullYear() + 1 }, 'year'],
    ['a fractional year', { year: 2019.5 }, 'year'],
    ['a malformed email', { year: 2019, email: 'not-an-email' }, 'email'],
    ['an unknown field', { year: 2019, campaign: 'x' }, ''],
  ])('rejects %s with 400 and queues nothing', async (_name, body, field) => {
    const { rows: before } = await service.ctx.db.query(`SELECT count(*)::int AS n FROM receipts`);
    const response = await service.api.post('/v1/admin/statements').set(service.admin).send(body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    if (field) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const { rows: after } = await service.ctx.db.query(`SELECT count(*)::int AS n FROM receipts`);
    expect(after[0].n).toBe(before[0].n);
  });
});
