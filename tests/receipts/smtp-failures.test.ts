import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptRow } from '../../src/db/receipts.js';
import { newCampaign } from '../helpers/builders.js';
import { newSucceededDonation, testEmail } from '../helpers/donations.js';
import { eventually, receiptsOf, relay, settled, sleep } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { freePort } from '../../bench/lib/children.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

describe('an SMTP server that is down, then comes up', () => {
  let service: TestService;
  let sink: SmtpSink | undefined;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    service = await startTestService({ SMTP_URL: `smtp://127.0.0.1:${port}`, RECEIPT_BACKOFF_MS: '100' });
    service.startWorkers();
  });

  afterAll(async () => {
    await service.close();
    await sink?.close();
  });

  it('gets every receipt delivered exactly once after the retries', async () => {
    const slug = (await newCampaign(service)).slug;
    const emails = Array.from({ length: 10 }, () => testEmail());
    const donations = await Promise.all(emails.map((email) => newSucceededDonation(service, slug, { email })));
    await relay(service);
    const ids = (await Promise.all(donations.map((donation) => receiptsOf(service, donation.id)))).flat().map((row) => row.id);

    // Every receipt has failed at least once against the closed port and waits for its retry.
    const failing = await eventually(async () => {
      const { rows } = await service.ctx.db.query<ReceiptRow>('SELECT * FROM receipts WHERE id = ANY($1)', [ids]);
      return rows.every((row) => row.attempts >= 2 && row.status !== 'sent') && rows;
    });
    expect(failing.map((row) => row.last_error)).toEqual(ids.map(() => expect.stringContaining('ECONNREFUSED')));

    sink = await startSmtpSink(port);
    const rows = await settled(service, ids, 20_000);
    await sleep(400);

    expect(rows.every((row) => row.status === 'sent' && row.last_error === null)).toBe(true);
    for (const email of emails) expect(sink.to(email)).toHaveLength(1);
    expect(sink.messages).toHaveLength(emails.length);
  });
});

describe('a receipt that cannot be delivered', () => {
  let service: TestService;
  let sink: SmtpSink;
  let slug: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    service = await startTestService({ SMTP_URL: sink.url, RECEIPT_BACKOFF_MS: '50', RECEIPT_ATTEMPTS: '3' });
    service.startWorkers();
    slug = (await newCampaign(service)).slug;
  });

  afterAll(async () => {
    await service.close();
    await sink.close();
  });

  it('is failed after RECEIPT_ATTEMPTS temporary refusals, with the error in the admin API', async () => {
    sink.refuse({ code: 451, message: 'Greylisted, try again later' });
    const donation = await newSucceededDonation(service, slug);
    await relay(service);
    const [row] = await settled(service, (await receiptsOf(service, donation.id)).map((r) => r.id));
    sink.refuse(null);

    expect(row).toMatchObject({ status: 'failed', attempts: 3, sent_at: null });
    expect(sink.messages).toHaveLength(0);

    const failed = await service.api.get('/v1/admin/receipts?status=failed').set(service.admin);
    expect(failed.status).toBe(200);
    const listed = failed.body.data.find((receipt: { id: number }) => receipt.id === row!.id);
    expect(listed).toMatchObject({
      kind: 'receipt',
      donation_id: donation.id,
      receipt_number: donation.receiptNumber,
      status: 'failed',
      attempts: 3,
      last_error: expect.stringContaining('451'),
    });

    const ofDonation = await service.api.get(`/v1/admin/donations/${donation.id}/receipts`).set(service.admin);
    expect(ofDonation.status).toBe(200);
    expect(ofDonation.body).toMatchObject({ data: [{ id: row!.id, status: 'failed' }], next_cursor: null });
  });

  it('is failed at once when the server refuses the recipient for good (550)', async () => {
    sink.refuse({ code: 550, message: 'No such mailbox' });
    const donation = await newSucceededDonation(service, slug);
    await relay(service);
    const [row] = await settled(service, (await receiptsOf(service, donation.id)).map((r) => r.id));
    sink.refuse(null);

    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.last_error).toContain('550');
  });

  it('is sent again as a copy when an admin asks, and the copy arrives', async () => {
    sink.refuse({ code: 451, message: 'Greylisted, try again later' });
    const email = testEmail();
    const donation = await newSucceededDonation(service, slug, { email });
    await relay(service);
    await settled(service, (await receiptsOf(service, donation.id)).map((r) => r.id));
    sink.refuse(null);

    const response = await service.api.post(`/v1/admin/donations/${donation.id}/receipt`).set(service.admin);
    expect(response.status).toBe(202);
    await settled(service, [response.body.id]);
    const mails = sink.to(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^COPY: /);
  });
});
