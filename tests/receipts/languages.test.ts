/**
 * The donor's language, end to end: a checkout names `locale`, Stripe Checkout gets it, the
 * donor pays on the emulator, the signed webhooks book the donation, and every mail to that
 * donor (receipt, refund, failed monthly payment, manage link) arrives over real SMTP in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { formatLocalDate } from '../../src/domain/period.js';
import { newCampaign } from '../helpers/builders.js';
import { testEmail } from '../helpers/donations.js';
import { eventually } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

let sink: SmtpSink;
let emulator: TestStripeEmulator;
let service: TestService;
let slug: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  emulator = await startStripeEmulator();
  service = await startTestService({ ...emulator.env, SMTP_URL: sink.url, ORG_NAME: 'Freie Presse e.V.', RECEIPT_BACKOFF_MS: '50' });
  emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
  service.startWorkers();
  slug = (await newCampaign(service)).slug;
});

afterAll(async () => {
  await service?.close();
  await emulator?.close();
  await sink?.close();
});

async function paidCheckout(body: Record<string, unknown>): Promise<{ sessionId: string; donation: { id: string; receipt_number: string; subscription_id: string | null } }> {
  const response = await service.api.post(`/v1/campaigns/${slug}/checkout`).send(body);
  expect(response.status, response.text).toBe(201);
  const sessionId = response.body.id as string;
  emulator.controls.pay(sessionId);
  const donation = await eventually(async () => {
    const { rows } = await service.ctx.db.query(
      'SELECT id, receipt_number, subscription_id FROM donations WHERE checkout_session_id = $1 AND receipt_number IS NOT NULL',
      [sessionId],
    );
    return rows[0];
  }, 15_000, 'the donation to be booked');
  return { sessionId, donation };
}

const mailsTo = (email: string, count: number) =>
  eventually(async () => sink.to(email).length >= count && sink.to(email), 15_000, `${count} mails to ${email}`);

describe('mails in the donor’s language', () => {
  it('sends a German receipt and a German refund confirmation for a checkout made with locale "de"', async () => {
    const email = testEmail('spender');
    const { sessionId, donation } = await paidCheckout({ amount: 2_500, email, name: 'Katrin Weber', cover_fees: true, message: 'Weiter so!', locale: 'de' });

    const [receipt] = await mailsTo(email, 1);
    const today = formatLocalDate(new Date(), 'America/New_York', 'de');
    expect(receipt!.subject).toBe(`Ihre Quittung ${donation.receipt_number} von Freie Presse e.V.`);
    expect(receipt!.text).toContain('Liebe/r Katrin Weber,');
    expect(receipt!.text).toContain('Vielen Dank für Ihre Spende an Support independent journalism.');
    expect(receipt!.text).toMatch(/Spende:\s+25,00\s\$/);
    expect(receipt!.text).toMatch(/Übernommene Gebühren:\s+1,06\s\$/);
    expect(receipt!.text).toMatch(/Gesamtbeitrag:\s+26,06\s\$/);
    expect(receipt!.text).toMatch(new RegExp(`Datum:\\s+${today}`));
    expect(receipt!.text).toMatch(/Art:\s+Einmalige Spende/);
    expect(receipt!.text).not.toMatch(/Dear|Thank you|Receipt number/);
    expect(receipt!.html).toContain('<html lang="de">');
    expect(receipt!.html).toContain('Übernommene Gebühren');
    expect(receipt!.html).toContain('Ihre Nachricht:');

    const session = await emulator.stripe.checkout.sessions.retrieve(sessionId);
    // Stripe Checkout's page was asked for German too.
    expect(session.locale).toBe('de');
    const chargeId = (await emulator.stripe.paymentIntents.retrieve(session.payment_intent as string)).latest_charge as string;
    emulator.controls.refund(chargeId, 1_000);
    const [, refund] = await mailsTo(email, 2);
    expect(refund!.subject).toBe(`Erstattung von 10,00\u00a0$ zu Quittung ${donation.receipt_number}`);
    expect(refund!.text).toContain('Wir haben 10,00\u00a0$ Ihrer Spende an Support independent journalism erstattet.');
    expect(refund!.text).toMatch(/Berechneter Betrag:\s+26,06\s\$/);
    expect(refund!.html).toContain('<html lang="de">');
  });

  it('speaks German in a monthly donation’s receipt, its failed-payment mail and the manage-link mail, with German manage links', async () => {
    const email = testEmail('monatlich');
    const { donation } = await paidCheckout({ amount: 1_000, frequency: 'monthly', email, locale: 'de' });
    const [receipt] = await mailsTo(email, 1);
    expect(receipt!.subject).toBe(`Ihre Quittung ${donation.receipt_number} von Freie Presse e.V.`);
    expect(receipt!.text).toContain('Liebe Spenderin, lieber Spender,');
    expect(receipt!.text).toContain('Dies ist eine monatliche Spende');
    expect(receipt!.text).toMatch(/\/donor\/manage\?token=[^\s]+&lang=de/);

    // The renewal fails: one mail, in German, read through the subscription's checkout.
    emulator.controls.advanceSubscription(donation.subscription_id!, { outcome: 'failed' });
    const [, failed] = await mailsTo(email, 2);
    expect(failed!.subject).toBe('Ihre monatliche Spende an Support independent journalism konnte nicht abgebucht werden');
    expect(failed!.text).toContain('Wir haben versucht, Ihre monatliche Spende von 10,00\u00a0$');
    expect(failed!.html).toContain('Meine monatliche Spende verwalten</a>');

    await service.api.post('/v1/donor/links').send({ email }).expect(202);
    const [, , link] = await mailsTo(email, 3);
    expect(link!.subject).toBe('Ihre monatlichen Spenden an Freie Presse e.V. verwalten');
    expect(link!.text).toMatch(/Er gilt \d+ Tage; bitte geben Sie ihn nicht weiter\./);
    expect(link!.text).toMatch(/\/donor\/manage\?token=[^\s]+&lang=de/);
  });

  it('keeps English for a checkout that named no language', async () => {
    const email = testEmail('english');
    const { donation } = await paidCheckout({ amount: 2_500, email, name: 'Jane Doe' });
    const [receipt] = await mailsTo(email, 1);
    expect(receipt!.subject).toBe(`Your receipt ${donation.receipt_number} from Freie Presse e.V.`);
    expect(receipt!.text).toContain('Dear Jane Doe,');
    expect(receipt!.text).toMatch(/Amount:\s+\$25\.00/);
    expect(receipt!.html).toContain('<html lang="en">');
  });
});

describe('the donor’s language on the admin donation reads', () => {
  it('shows the checkout’s locale on the donation and in the list, a renewal’s through its monthly donation, and null where none was named', async () => {
    const read = async (id: string) => (await service.api.get(`/v1/admin/donations/${id}`).set(service.admin).expect(200)).body;
    const listed = async (email: string) =>
      (await service.api.get('/v1/admin/donations').query({ q: email }).set(service.admin).expect(200)).body.data as { id: string; locale: string | null }[];

    const french = testEmail('francais');
    const { donation: oneTime } = await paidCheckout({ amount: 2_500, email: french, locale: 'fr' });
    expect((await read(oneTime.id)).locale).toBe('fr');
    expect(await listed(french)).toEqual([expect.objectContaining({ id: oneTime.id, locale: 'fr' })]);

    // A renewal has no checkout of its own: its language is its subscription's checkout's.
    const spanish = testEmail('mensual');
    const { donation: first } = await paidCheckout({ amount: 1_000, frequency: 'monthly', email: spanish, locale: 'es' });
    const invoice = emulator.controls.advanceSubscription(first.subscription_id!);
    const renewal = await eventually(async () => {
      const { rows } = await service.ctx.db.query("SELECT id FROM donations WHERE invoice_id = $1 AND status = 'succeeded'", [invoice.id]);
      return rows[0]?.id as string | undefined;
    }, 15_000, 'the renewal to be booked');
    expect((await read(renewal)).locale).toBe('es');
    expect((await listed(spanish)).map((donation) => donation.locale)).toEqual(['es', 'es']);

    const unnamed = testEmail('unnamed');
    const { donation: plain } = await paidCheckout({ amount: 2_500, email: unnamed });
    expect((await read(plain.id)).locale).toBeNull();
    expect(await listed(unnamed)).toEqual([expect.objectContaining({ id: plain.id, locale: null })]);
  });
});
