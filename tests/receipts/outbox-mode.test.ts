import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReceiptForMail } from '../../src/db/receipts.js';
import { composeReceiptMail } from '../../src/services/receipt-mail.js';
import { newCampaign } from '../helpers/builders.js';
import { newSucceededDonation, testEmail } from '../helpers/donations.js';
import { receiptsOf, relay, settled } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
let outbox: string;
let campaign: string;

beforeAll(async () => {
  outbox = await mkdtemp(join(tmpdir(), 'goalpost-outbox-'));
  service = await startTestService({ RECEIPT_OUTBOX_DIR: outbox, RECEIPT_SENDING_TIMEOUT_MS: '1000' });
  service.startWorkers();
  campaign = (await newCampaign(service)).slug;
});

afterAll(async () => {
  await service.close();
  await rm(outbox, { recursive: true, force: true });
});

describe('without SMTP_URL', () => {
  it('writes each receipt as an .eml file named after its Message-ID', async () => {
    expect(service.ctx.mailer.mode).toBe('outbox');
    const email = testEmail();
    const donation = await newSucceededDonation(service, campaign, { email, amount: 4_200 });
    await relay(service);
    const [row] = await settled(service, (await receiptsOf(service, donation.id)).map((r) => r.id));
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });

    const files = (await readdir(outbox)).filter((file) => file.includes(`receipt.${row!.id}.`));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const mail = await simpleParser(await readFile(join(outbox, files[0]!)));
    expect(mail.messageId).toBe(row!.message_id);
    expect(mail.subject).toContain(donation.receiptNumber);
    expect(mail.text).toContain('$42.00');
    expect(mail.html).toContain(donation.receiptNumber);
  });

  it('replaces the file rather than adding one when an abandoned send is taken over', async () => {
    const donation = await newSucceededDonation(service, campaign);
    const [receipt] = await receiptsOf(service, donation.id);
    await service.ctx.db.query(
      `UPDATE receipts SET status = 'sending', attempts = 1, claimed_at = now() - interval '1 minute' WHERE id = $1`,
      [receipt!.id],
    );
    // The dead worker had written the file already.
    await service.ctx.mailer.send(await composeReceiptMail(service.ctx.db, service.config, (await findReceiptForMail(service.ctx.db, receipt!.id))!));
    await relay(service);
    const [row] = await settled(service, [receipt!.id]);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await readdir(outbox)).filter((file) => file.includes(`receipt.${row!.id}.`))).toHaveLength(1);
  });

  it('makes the directory when a write finds it missing, at the first mail or after it was removed', async () => {
    const receiptIds: number[] = [];
    for (const round of [1, 2]) {
      await rm(outbox, { recursive: true, force: true });
      const donation = await newSucceededDonation(service, campaign);
      await relay(service);
      const [row] = await settled(service, (await receiptsOf(service, donation.id)).map((r) => r.id));
      expect(row, `round ${round}`).toMatchObject({ status: 'sent', attempts: 1 });
      receiptIds.push(row!.id);
    }
    expect((await readdir(outbox)).filter((file) => file.includes(`receipt.${receiptIds[1]}.`))).toHaveLength(1);
  });
});
