import { html, multiline, type Html } from './html.js';
import { formatMoney, type Money } from './money.js';
import { formatLocalDate } from './period.js';
import { DEFAULT_LANGUAGE, formattingLocale, translator, type Language, type Translate } from './i18n/languages.js';
import { MAIL_MESSAGES, type MailMessage } from './i18n/mail-messages.js';

/**
 * The donor mails: a receipt (also sent again as a marked COPY), a refund confirmation and an
 * annual statement, each as one plain-text and one HTML template. Pure: everything a mail shows
 * comes in through its content object; money and dates are formatted here, at the edge.
 *
 * Covered fees: the whole amount charged is the donor's contribution to the organisation (it
 * pays the processor out of it), so receipts and statements count amount + covered fee, and a
 * receipt breaks it down into the donation the campaign counts and the fees the donor covered.
 *
 * Languages: receipts, refund confirmations, failed-payment and manage-link mails speak the
 * donor's language (`language`, from the checkout; English when unknown) through the mail
 * catalogue; amounts and dates are formatted by Intl in that language. Annual statements span
 * donations made in different languages and stay in English.
 */

/** The donor's language for a mail; English when the donation did not come with one. */
interface InLanguage {
  language?: Language;
}

interface MailWords {
  language: Language;
  t: Translate<MailMessage>;
  money: (money: Money) => string;
  date: (instant: Date, timeZone: string) => string;
}

function wordsFor(language: Language = DEFAULT_LANGUAGE): MailWords {
  const locale = formattingLocale(language);
  return {
    language,
    t: translator(MAIL_MESSAGES, language, locale),
    money: (money) => formatMoney(money, locale),
    date: (instant, timeZone) => formatLocalDate(instant, timeZone, locale),
  };
}

export interface Organisation {
  name: string;
  address: string;
  taxId: string;
  taxSentence: string;
}

export interface Donor {
  name: string | null;
  email: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type Frequency = 'one_time' | 'monthly';

export interface ReceiptContent extends InLanguage {
  organisation: Organisation;
  receiptNumber: string;
  donor: Donor & { anonymous: boolean };
  campaignName: string;
  frequency: Frequency;
  /** What counts toward the campaign's goal. */
  donation: Money;
  /** What the donor added to cover processing fees, in the same currency (0 when none). */
  coveredFee: number;
  paidAt: Date;
  /** The campaign's timezone: the date printed is the date there. */
  timezone: string;
  message: string | null;
  /** Where the donor writes to change or stop a monthly donation. */
  contact: string;
  /** Set when this is a copy sent again: when it was issued. */
  copy: { issuedAt: Date } | null;
  /** A monthly donation's manage link (change the amount, update the card, stop it). */
  manageUrl?: string | null;
}

/** A monthly renewal that failed (one mail per invoice, however often Stripe retries it). */
export interface FailedRenewalContent extends InLanguage {
  organisation: Organisation;
  donor: Donor;
  campaignName: string;
  amount: Money;
  manageUrl: string;
  contact: string;
}

/** The manage link a donor asked for. */
export interface ManageLinkContent extends InLanguage {
  organisation: Organisation;
  email: string;
  manageUrl: string;
  validDays: number;
  contact: string;
}

export interface RefundContent extends InLanguage {
  organisation: Organisation;
  receiptNumber: string;
  donor: Donor;
  campaignName: string;
  refunded: Money;
  /** What the original payment charged (donation plus covered fee). */
  charged: Money;
  paidAt: Date;
  refundedAt: Date;
  timezone: string;
  contact: string;
}

export interface StatementLine {
  at: Date;
  timezone: string;
  receiptNumber: string | null;
  campaignName: string;
  frequency: Frequency;
  amount: Money;
}

export interface StatementContent {
  organisation: Organisation;
  year: number;
  donor: Donor;
  /** Payments made in the year, each at what it charged. */
  donations: StatementLine[];
  /** Refunds made in the year (of donations from this or an earlier year). */
  refunds: StatementLine[];
  contact: string;
}

export interface CurrencyTotal {
  currency: string;
  donated: number;
  refunded: number;
  net: number;
}

type Row = [label: string, value: string];

const FREQUENCY_LABEL: Record<Frequency, string> = { one_time: 'One-time donation', monthly: 'Monthly donation' };

/** Statements, which stay in English. */
const ENGLISH = wordsFor(DEFAULT_LANGUAGE);

// ---------------------------------------------------------------------------------------------
// Receipt (and its copy)

export function renderReceipt(content: ReceiptContent): RenderedMail {
  const words = wordsFor(content.language);
  const subject = words.t('receipt.subject', {
    copy: content.copy ? 'yes' : 'no',
    number: content.receiptNumber,
    organisation: content.organisation.name,
  });
  return { subject, text: receiptText(content, words), html: receiptHtml(content, words, subject) };
}

function receiptRows(content: ReceiptContent, { t, money: format, date }: MailWords): Row[] {
  const money = (amount: number) => format({ amount, currency: content.donation.currency });
  const amounts: Row[] =
    content.coveredFee > 0
      ? [
          [t('row.donation'), money(content.donation.amount)],
          [t('row.fees_covered'), money(content.coveredFee)],
          [t('row.total'), money(content.donation.amount + content.coveredFee)],
        ]
      : [[t('row.amount'), money(content.donation.amount)]];
  return [
    [t('row.receipt_number'), content.receiptNumber],
    [t('row.date'), date(content.paidAt, content.timezone)],
    [t('row.donor'), content.donor.name ?? content.donor.email],
    [t('row.campaign'), content.campaignName],
    [t('row.type'), t('frequency', { frequency: content.frequency })],
    ...amounts,
  ];
}

/** The paragraphs after the figures, shared by both parts of a receipt. */
function receiptNotes(content: ReceiptContent, { t }: MailWords): string[] {
  const notes: string[] = [];
  if (content.coveredFee > 0) notes.push(t('receipt.fee_note', { campaign: content.campaignName }));
  if (content.frequency === 'monthly') {
    notes.push(t('receipt.monthly_note', { contact: content.contact }));
    if (content.manageUrl) notes.push(t('receipt.manage_note', { url: content.manageUrl }));
  }
  if (content.donor.anonymous) notes.push(t('receipt.anonymous_note'));
  return notes;
}

function copyNotice(content: ReceiptContent, { t, date }: MailWords): string | null {
  if (!content.copy) return null;
  return t('receipt.copy_notice', { number: content.receiptNumber, date: date(content.copy.issuedAt, content.timezone) });
}

function receiptText(content: ReceiptContent, words: MailWords): string {
  const { t } = words;
  return paragraphs([
    copyNotice(content, words),
    t('receipt.heading', { number: content.receiptNumber }),
    `${greeting(content.donor, words)}\n\n${t('receipt.thanks', { campaign: content.campaignName })}`,
    textRows(receiptRows(content, words)),
    content.message ? `${t('receipt.your_message')}\n${quote(content.message)}` : null,
    ...receiptNotes(content, words),
    content.organisation.taxSentence,
    organisationText(content.organisation, words),
  ]);
}

function receiptHtml(content: ReceiptContent, words: MailWords, subject: string): string {
  const { t } = words;
  const notice = copyNotice(content, words);
  return page(
    words,
    subject,
    html`${notice ? html`<p style="border:2px solid #b00;color:#b00;padding:8px;font-weight:bold">${notice}</p>` : ''}
<h1 style="font-size:20px">${t('receipt.heading', { number: content.receiptNumber })}</h1>
<p>${greeting(content.donor, words)}</p>
<p>${t('receipt.thanks', { campaign: content.campaignName })}</p>
${htmlRows(receiptRows(content, words))}
${content.message ? html`<p>${t('receipt.your_message')}</p><blockquote style="margin:0 0 16px 8px;padding-left:8px;border-left:3px solid #ccc">${multiline(content.message)}</blockquote>` : ''}
${receiptNotes(content, words).map((note) => html`<p>${note}</p>`)}
<p>${content.organisation.taxSentence}</p>
${organisationHtml(content.organisation, words)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Refund confirmation

export function renderRefund(content: RefundContent): RenderedMail {
  const words = wordsFor(content.language);
  const subject = words.t('refund.subject', { amount: words.money(content.refunded), number: content.receiptNumber });
  return { subject, text: refundText(content, words), html: refundHtml(content, words, subject) };
}

function refundRows(content: RefundContent, { t, money, date }: MailWords): Row[] {
  return [
    [t('row.refunded'), money(content.refunded)],
    [t('row.refund_date'), date(content.refundedAt, content.timezone)],
    [t('row.receipt_number'), content.receiptNumber],
    [t('row.donation_date'), date(content.paidAt, content.timezone)],
    [t('row.charged'), money(content.charged)],
    [t('row.campaign'), content.campaignName],
  ];
}

function refundNotes(content: RefundContent, { t, money }: MailWords): string[] {
  return [
    t('refund.keep_note', { number: content.receiptNumber, amount: money(content.refunded) }),
    t('refund.bank_note'),
    t('questions', { contact: content.contact }),
  ];
}

function refundBody(content: RefundContent, { t, money }: MailWords): string {
  return t('refund.body', { amount: money(content.refunded), campaign: content.campaignName });
}

function refundText(content: RefundContent, words: MailWords): string {
  return paragraphs([
    words.t('refund.heading', { number: content.receiptNumber }),
    `${greeting(content.donor, words)}\n\n${refundBody(content, words)}`,
    textRows(refundRows(content, words)),
    ...refundNotes(content, words),
    organisationText(content.organisation, words),
  ]);
}

function refundHtml(content: RefundContent, words: MailWords, subject: string): string {
  return page(
    words,
    subject,
    html`<h1 style="font-size:20px">${words.t('refund.heading', { number: content.receiptNumber })}</h1>
<p>${greeting(content.donor, words)}</p>
<p>${refundBody(content, words)}</p>
${htmlRows(refundRows(content, words))}
${refundNotes(content, words).map((note) => html`<p>${note}</p>`)}
${organisationHtml(content.organisation, words)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Failed monthly renewal and manage link

export function renderFailedRenewal(content: FailedRenewalContent): RenderedMail {
  const words = wordsFor(content.language);
  const { t } = words;
  const subject = t('failed.subject', { campaign: content.campaignName });
  const lines = [t('failed.body', { amount: words.money(content.amount), campaign: content.campaignName }), t('failed.retry')];
  const after = [t('questions', { contact: content.contact })];
  return {
    subject,
    text: paragraphs([greeting(content.donor, words), ...lines, content.manageUrl, ...after, organisationText(content.organisation, words)]),
    html: page(
      words,
      subject,
      html`<p>${greeting(content.donor, words)}</p>
${lines.map((line) => html`<p>${line}</p>`)}
<p><a href="${content.manageUrl}">${t('failed.link')}</a></p>
${after.map((line) => html`<p>${line}</p>`)}
${organisationHtml(content.organisation, words)}`,
    ),
  };
}

export function renderManageLink(content: ManageLinkContent): RenderedMail {
  const words = wordsFor(content.language);
  const { t } = words;
  const subject = t('manage.subject', { organisation: content.organisation.name });
  const lines = [t('manage.body', { email: content.email, days: content.validDays })];
  const after = [t('manage.ignore', { contact: content.contact })];
  const salutation = greeting({ name: null, email: content.email }, words);
  return {
    subject,
    text: paragraphs([salutation, ...lines, content.manageUrl, ...after, organisationText(content.organisation, words)]),
    html: page(
      words,
      subject,
      html`<p>${salutation}</p>
${lines.map((line) => html`<p>${line}</p>`)}
<p><a href="${content.manageUrl}">${t('manage.link')}</a></p>
${after.map((line) => html`<p>${line}</p>`)}
${organisationHtml(content.organisation, words)}`,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Annual statement

/** Per currency (alphabetical): donated and refunded in the year, and the difference. */
export function statementTotals(donations: readonly StatementLine[], refunds: readonly StatementLine[]): CurrencyTotal[] {
  const totals = new Map<string, CurrencyTotal>();
  const totalFor = (currency: string) => {
    let total = totals.get(currency);
    if (!total) totals.set(currency, (total = { currency, donated: 0, refunded: 0, net: 0 }));
    return total;
  };
  for (const line of donations) totalFor(line.amount.currency).donated += line.amount.amount;
  for (const line of refunds) totalFor(line.amount.currency).refunded += line.amount.amount;
  return [...totals.values()]
    .map((total) => ({ ...total, net: total.donated - total.refunded }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}

export function renderStatement(content: StatementContent): RenderedMail {
  const subject = `Your ${content.year} donation statement from ${content.organisation.name}`;
  return { subject, text: statementText(content), html: statementHtml(content, subject) };
}

function lineCells(line: StatementLine): string[] {
  return [
    formatLocalDate(line.at, line.timezone),
    line.receiptNumber ?? '',
    line.campaignName,
    FREQUENCY_LABEL[line.frequency],
    formatMoney(line.amount),
  ];
}

function totalCells(total: CurrencyTotal): string[] {
  const money = (amount: number) => formatMoney({ amount, currency: total.currency });
  return [total.currency.toUpperCase(), money(total.donated), money(total.refunded), money(total.net)];
}

const LINE_HEADINGS = ['Date', 'Receipt', 'Campaign', 'Type', 'Amount'];
const TOTAL_HEADINGS = ['Currency', 'Donated', 'Refunded', 'Net'];

function statementText(content: StatementContent): string {
  const totals = statementTotals(content.donations, content.refunds);
  return paragraphs([
    `Donation statement ${content.year}`,
    `${greeting(content.donor, ENGLISH)}\n\nHere is a summary of your donations to ${content.organisation.name} in ${content.year}.`,
    `Donations\n${textTable(LINE_HEADINGS, content.donations.map(lineCells))}`,
    content.refunds.length ? `Refunds\n${textTable(LINE_HEADINGS, content.refunds.map(lineCells))}` : null,
    `Totals\n${textTable(TOTAL_HEADINGS, totals.map(totalCells))}`,
    'Amounts are what you were charged, including any processing fees you chose to cover.',
    content.organisation.taxSentence,
    `Questions? Reply to this email or write to ${content.contact}.`,
    organisationText(content.organisation, ENGLISH),
  ]);
}

function statementHtml(content: StatementContent, subject: string): string {
  const totals = statementTotals(content.donations, content.refunds);
  return page(
    ENGLISH,
    subject,
    html`<h1 style="font-size:20px">Donation statement ${content.year}</h1>
<p>${greeting(content.donor, ENGLISH)}</p>
<p>Here is a summary of your donations to ${content.organisation.name} in ${content.year}.</p>
<h2 style="font-size:16px">Donations</h2>
${htmlTable(LINE_HEADINGS, content.donations.map(lineCells))}
${content.refunds.length ? html`<h2 style="font-size:16px">Refunds</h2>${htmlTable(LINE_HEADINGS, content.refunds.map(lineCells))}` : ''}
<h2 style="font-size:16px">Totals</h2>
${htmlTable(TOTAL_HEADINGS, totals.map(totalCells))}
<p>Amounts are what you were charged, including any processing fees you chose to cover.</p>
<p>${content.organisation.taxSentence}</p>
<p>Questions? Reply to this email or write to ${content.contact}.</p>
${organisationHtml(content.organisation, ENGLISH)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

function greeting(donor: Donor, { t }: MailWords): string {
  return t('greeting', { named: donor.name ? 'yes' : 'no', name: donor.name ?? '' });
}

function quote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}

function paragraphs(parts: (string | null)[]): string {
  return `${parts.filter((part): part is string => Boolean(part)).join('\n\n')}\n`;
}

function textRows(rows: Row[]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`).join('\n');
}

function textTable(headings: string[], rows: string[][]): string {
  const widths = headings.map((heading, column) => Math.max(heading.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(headings), ...rows.map(line)].join('\n');
}

function htmlRows(rows: Row[]): Html {
  return html`<table role="presentation" style="border-collapse:collapse;margin:16px 0">${rows.map(
    ([label, value]) => html`<tr><th align="left" style="padding:4px 16px 4px 0;font-weight:normal;color:#555">${label}</th><td style="padding:4px 0">${value}</td></tr>`,
  )}</table>`;
}

function htmlTable(headings: string[], rows: string[][]): Html {
  return html`<table style="border-collapse:collapse;margin:8px 0 16px"><thead><tr>${headings.map(
    (heading) => html`<th align="left" style="padding:4px 12px 4px 0;border-bottom:1px solid #ccc">${heading}</th>`,
  )}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((cell) => html`<td style="padding:4px 12px 4px 0">${cell}</td>`)}</tr>`,
  )}</tbody></table>`;
}

function organisationText(organisation: Organisation, { t }: MailWords): string {
  return [organisation.name, organisation.address, organisation.taxId ? t('tax_id', { id: organisation.taxId }) : '']
    .filter(Boolean)
    .join('\n');
}

function organisationHtml(organisation: Organisation, { t }: MailWords): Html {
  return html`<p style="color:#555;font-size:13px;border-top:1px solid #ddd;padding-top:12px">${organisation.name}${
    organisation.address ? html`<br>${multiline(organisation.address)}` : ''
  }${organisation.taxId ? html`<br>${t('tax_id', { id: organisation.taxId })}` : ''}</p>`;
}

function page(words: MailWords, title: string, body: Html): string {
  return html`<!doctype html>
<html lang="${words.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="font-family:Helvetica,Arial,sans-serif;color:#222;line-height:1.5;max-width:600px;margin:0 auto;padding:16px">
${body}
</body></html>
`.source;
}
