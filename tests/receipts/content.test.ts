import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { newRefund, newSucceededDonation, testEmail, type DonationSpec } from '../helpers/donations.js';
import { receiptsOf, relay, settled } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

let sink: SmtpSink;
let service: TestService;
let usdNewYork: string;
let jpyTokyo: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  service = await startTestService({
    SMTP_URL: sink.url,
    RECEIPT_FROM: 'Newsroom <no-reply@newsroom.example>',
    RECEIPT_REPLY_TO: 'donations@newsroom.example',
    ORG_NAME: 'Newsroom Foundation',
    ORG_ADDRESS: '1 Main Street\nSpringfield, IL 62701',
    ORG_TAX_ID: 'EIN 12-3456789',
    RECEIPT_TAX_SENTENCE: 'Newsroom Foundation is a 501(c)(3) organisation; no goods or services were provided.',
    RECEIPT_BACKOFF_MS: '50',
  });
  service.startWorkers();
  usdNewYork = (await newCampaign(service, { name: 'Local news fund', currency: 'usd', timezone: 'America/New_York' })).slug;
  jpyTokyo = (
    await newCampaign(service, {
      name: 'Tokyo bureau',
      currency: 'jpy',
      timezone: 'Asia/Tokyo',
      min_amount: 100,
      receipt_settings: { org_name: 'Newsroom Japan', org_tax_id: 'T1234567890123', tax_sentence: 'Japanese tax note.' },
    })
  ).slug;
});

afterAll(async () => {
  await service.close();
  await sink.close();
});

/** 03:00 UTC on 1 December 2024: still 30 November in New York, already 1 December in Tokyo. */
const AROUND_MIDNIGHT = new Date('2024-12-01T03:00:00Z');

async function receiptMail(campaign: string, spec: DonationSpec): Promise<{ mail: ParsedMail; receiptNumber: string; donationId: string }> {
  const email = testEmail();
  const donation = await newSucceededDonation(service, campaign, { email, ...spec });
  await relay(service);
  await settled(service, (await receiptsOf(service, donation.id)).map((row) => row.id));
  const mails = sink.to(email);
  expect(mails).toHaveLength(1);
  return { mail: mails[0]!, receiptNumber: donation.receiptNumber, donationId: donation.id };
}

const htmlOf = (mail: ParsedMail) => (typeof mail.html === 'string' ? mail.html : '');

describe('receipt content', () => {
  it('shows a USD donation with covered fees, the New York date and the organisation from config', async () => {
    const { mail, receiptNumber } = await receiptMail(usdNewYork, {
      name: 'Grace Hopper',
      amount: 2_500,
      fee: 105,
      paidAt: AROUND_MIDNIGHT,
    });
    expect(mail.subject).toBe(`Your receipt ${receiptNumber} from Newsroom Foundation`);
    expect(mail.replyTo?.value[0]?.address).toBe('donations@newsroom.example');
    for (const part of [mail.text!, htmlOf(mail)]) {
      expect(part).toContain(receiptNumber);
      expect(part).toContain('November 30, 2024');
      expect(part).toContain('Grace Hopper');
      expect(part).toContain('Local news fund');
      expect(part).toContain('One-time donation');
      expect(part).toContain('$25.00');
      expect(part).toContain('$1.05');
      expect(part).toContain('$26.05');
      expect(part).toContain('Newsroom Foundation is a 501(c)(3) organisation');
      expect(part).toContain('EIN 12-3456789');
      expect(part).toContain('Springfield, IL 62701');
    }
    expect(mail.text).toMatch(/Total contribution:\s+\$26\.05/);
  });

  it('shows a JPY monthly donation without decimals, the Tokyo date, how to stop it and the campaign overrides', async () => {
    const { mail, receiptNumber } = await receiptMail(jpyTokyo, {
      name: 'Yukihiro Matsumoto',
      amount: 3_000,
      frequency: 'monthly',
      paidAt: AROUND_MIDNIGHT,
    });
    expect(mail.subject).toBe(`Your receipt ${receiptNumber} from Newsroom Japan`);
    for (const part of [mail.text!, htmlOf(mail)]) {
      expect(part).toContain('¥3,000');
      expect(part).not.toContain('¥3,000.00');
      expect(part).toContain('December 1, 2024');
      expect(part).toContain('Monthly donation');
      expect(part).toContain('To change or stop it, reply to this email or write to donations@newsroom.example');
      expect(part).toContain('T1234567890123');
      expect(part).toContain('Japanese tax note.');
    }
    expect(mail.text).not.toContain('Newsroom Foundation');
  });

  it("escapes the donor's name and message in the HTML part and quotes the message in the text part", async () => {
    const { mail } = await receiptMail(usdNewYork, {
      name: '<b>Bobby</b> & "Tables"',
      message: 'Keep going!\n<script>alert(1)</script>',
    });
    const html = htmlOf(mail);
    expect(html).toContain('&lt;b&gt;Bobby&lt;/b&gt; &amp; &quot;Tables&quot;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Bobby');
    expect(mail.text).toContain('> Keep going!\n> <script>alert(1)</script>');
  });

  it('still sends an anonymous donor their own receipt, with their name', async () => {
    const { mail } = await receiptMail(usdNewYork, { name: 'Quiet Giver', anonymous: true });
    expect(mail.text).toContain('Dear Quiet Giver,');
    expect(mail.text).toContain('You chose to give anonymously');
  });

  it('greets a donor who gave no name as "Dear donor"', async () => {
    const { mail } = await receiptMail(usdNewYork, { name: null });
    expect(mail.text).toContain('Dear donor,');
  });
});

describe('refund confirmation', () => {
  it('references the receipt number, threads under the receipt and shows the refunded amount', async () => {
    const email = testEmail();
    const donation = await newSucceededDonation(service, usdNewYork, { email, amount: 5_000, fee: 175, paidAt: AROUND_MIDNIGHT });
    await relay(service);
    const [receipt] = await settled(service, (await receiptsOf(service, donation.id)).map((row) => row.id));

    await newRefund(service, donation.id, 1_500, new Date('2024-12-10T15:00:00Z'));
    await newRefund(service, donation.id, 1_500);
    await relay(service);
    const rows = await receiptsOf(service, donation.id);
    expect(rows.map((row) => row.kind)).toEqual(['receipt', 'refund', 'refund']);
    await settled(service, rows.map((row) => row.id));

    const refunds = sink.to(email).filter((mail) => mail.subject?.startsWith('Refund'));
    expect(refunds).toHaveLength(2);
    const [first] = refunds;
    expect(first!.subject).toBe(`Refund of $15.00 on receipt ${donation.receiptNumber}`);
    expect(first!.inReplyTo).toBe(receipt!.message_id);
    for (const part of [first!.text!, htmlOf(first!)]) {
      expect(part).toContain(donation.receiptNumber);
      expect(part).toContain('$15.00');
      expect(part).toContain('$51.75');
      expect(part).toContain('November 30, 2024');
    }
  });
});
