import { html, multiline, type Html } from './html.js';
import { formatMoney, type Money } from './money.js';
import { formatLocalDate } from './period.js';

/**
 * The donor mails: a receipt (also sent again as a marked COPY), a refund confirmation and an
 * annual statement, each as one plain-text and one HTML template. Pure: everything a mail shows
 * comes in through its content object; money and dates are formatted here, at the edge.
 *
 * Covered fees: the whole amount charged is the donor's contribution to the organisation (it
 * pays the processor out of it), so receipts and statements count amount + covered fee, and a
 * receipt breaks it down into the donation the campaign counts and the fees the donor covered.
 */

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

export interface ReceiptContent {
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
export interface FailedRenewalContent {
  organisation: Organisation;
  donor: Donor;
  campaignName: string;
  amount: Money;
  manageUrl: string;
  contact: string;
}

/** The manage link a donor asked for. */
export interface ManageLinkContent {
  organisation: Organisation;
  email: string;
  manageUrl: string;
  validDays: number;
  contact: string;
}

export interface RefundContent {
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

// ---------------------------------------------------------------------------------------------
// Receipt (and its copy)

export function renderReceipt(content: ReceiptContent): RenderedMail {
  const subject = `${content.copy ? 'COPY: ' : ''}Your receipt ${content.receiptNumber} from ${content.organisation.name}`;
  return { subject, text: receiptText(content), html: receiptHtml(content, subject) };
}

function receiptRows(content: ReceiptContent): Row[] {
  const money = (amount: number) => formatMoney({ amount, currency: content.donation.currency });
  const amounts: Row[] =
    content.coveredFee > 0
      ? [
          ['Donation', money(content.donation.amount)],
          ['Fees you covered', money(content.coveredFee)],
          ['Total contribution', money(content.donation.amount + content.coveredFee)],
        ]
      : [['Amount', money(content.donation.amount)]];
  return [
    ['Receipt number', content.receiptNumber],
    ['Date', formatLocalDate(content.paidAt, content.timezone)],
    ['Donor', content.donor.name ?? content.donor.email],
    ['Campaign', content.campaignName],
    ['Type', FREQUENCY_LABEL[content.frequency]],
    ...amounts,
  ];
}

/** The paragraphs after the figures, shared by both parts of a receipt. */
function receiptNotes(content: ReceiptContent): string[] {
  const notes: string[] = [];
  if (content.coveredFee > 0) {
    notes.push(
      `The total contribution is what you were charged. The fees you covered pay for card processing, so ${content.campaignName} receives your full donation.`,
    );
  }
  if (content.frequency === 'monthly') {
    notes.push(
      'This is a monthly donation: it is charged every month, with a receipt for each payment, until you stop it. ' +
        `To change or stop it, reply to this email or write to ${content.contact}.`,
    );
    if (content.manageUrl) notes.push(`You can also change the amount, update your card or stop it yourself here: ${content.manageUrl}`);
  }
  if (content.donor.anonymous) {
    notes.push('You chose to give anonymously: your name is not shown publicly. This receipt is for your own records.');
  }
  return notes;
}

function copyNotice(content: ReceiptContent): string | null {
  if (!content.copy) return null;
  return `COPY of receipt ${content.receiptNumber}, issued again on ${formatLocalDate(content.copy.issuedAt, content.timezone)}. It does not record a new donation.`;
}

function receiptText(content: ReceiptContent): string {
  return paragraphs([
    copyNotice(content),
    `Receipt ${content.receiptNumber}`,
    `${greeting(content.donor)}\n\nThank you for your donation to ${content.campaignName}.`,
    textRows(receiptRows(content)),
    content.message ? `Your message:\n${quote(content.message)}` : null,
    ...receiptNotes(content),
    content.organisation.taxSentence,
    organisationText(content.organisation),
  ]);
}

function receiptHtml(content: ReceiptContent, subject: string): string {
  const notice = copyNotice(content);
  return page(
    subject,
    html`${notice ? html`<p style="border:2px solid #b00;color:#b00;padding:8px;font-weight:bold">${notice}</p>` : ''}
<h1 style="font-size:20px">Receipt ${content.receiptNumber}</h1>
<p>${greeting(content.donor)}</p>
<p>Thank you for your donation to ${content.campaignName}.</p>
${htmlRows(receiptRows(content))}
${content.message ? html`<p>Your message:</p><blockquote style="margin:0 0 16px 8px;padding-left:8px;border-left:3px solid #ccc">${multiline(content.message)}</blockquote>` : ''}
${receiptNotes(content).map((note) => html`<p>${note}</p>`)}
<p>${content.organisation.taxSentence}</p>
${organisationHtml(content.organisation)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Refund confirmation

export function renderRefund(content: RefundContent): RenderedMail {
  const subject = `Refund of ${formatMoney(content.refunded)} on receipt ${content.receiptNumber}`;
  return { subject, text: refundText(content), html: refundHtml(content, subject) };
}

function refundRows(content: RefundContent): Row[] {
  return [
    ['Refunded', formatMoney(content.refunded)],
    ['Refund date', formatLocalDate(content.refundedAt, content.timezone)],
    ['Receipt number', content.receiptNumber],
    ['Donation date', formatLocalDate(content.paidAt, content.timezone)],
    ['Amount charged', formatMoney(content.charged)],
    ['Campaign', content.campaignName],
  ];
}

function refundNotes(content: RefundContent): string[] {
  return [
    `This refund reduces your contribution on receipt ${content.receiptNumber} by ${formatMoney(content.refunded)}; please keep this confirmation with that receipt.`,
    'Depending on your bank, the refund can take several days to appear on your statement.',
    `Questions? Reply to this email or write to ${content.contact}.`,
  ];
}

function refundText(content: RefundContent): string {
  return paragraphs([
    `Refund on receipt ${content.receiptNumber}`,
    `${greeting(content.donor)}\n\nWe have refunded ${formatMoney(content.refunded)} of your donation to ${content.campaignName}.`,
    textRows(refundRows(content)),
    ...refundNotes(content),
    organisationText(content.organisation),
  ]);
}

function refundHtml(content: RefundContent, subject: string): string {
  return page(
    subject,
    html`<h1 style="font-size:20px">Refund on receipt ${content.receiptNumber}</h1>
<p>${greeting(content.donor)}</p>
<p>We have refunded ${formatMoney(content.refunded)} of your donation to ${content.campaignName}.</p>
${htmlRows(refundRows(content))}
${refundNotes(content).map((note) => html`<p>${note}</p>`)}
${organisationHtml(content.organisation)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Failed monthly renewal and manage link

export function renderFailedRenewal(content: FailedRenewalContent): RenderedMail {
  const subject = `Your monthly donation to ${content.campaignName} could not be charged`;
  const lines = [
    `We tried to charge your monthly donation of ${formatMoney(content.amount)} to ${content.campaignName}, but the payment did not go through. Nothing was charged.`,
    'We will try again in a few days. If your card has expired or changed, you can update it, change the amount or stop the donation here:',
  ];
  const after = [`Questions? Reply to this email or write to ${content.contact}.`];
  return {
    subject,
    text: paragraphs([greeting(content.donor), ...lines, content.manageUrl, ...after, organisationText(content.organisation)]),
    html: page(
      subject,
      html`<p>${greeting(content.donor)}</p>
${lines.map((line) => html`<p>${line}</p>`)}
<p><a href="${content.manageUrl}">Manage my monthly donation</a></p>
${after.map((line) => html`<p>${line}</p>`)}
${organisationHtml(content.organisation)}`,
    ),
  };
}

export function renderManageLink(content: ManageLinkContent): RenderedMail {
  const subject = `Manage your monthly donations to ${content.organisation.name}`;
  const lines = [
    `Here is the link to see, change or stop the monthly donations made with ${content.email}. It works for ${content.validDays} days; do not share it.`,
  ];
  const after = [`If you did not ask for this link, you can ignore this email. Questions? Write to ${content.contact}.`];
  return {
    subject,
    text: paragraphs(['Dear donor,', ...lines, content.manageUrl, ...after, organisationText(content.organisation)]),
    html: page(
      subject,
      html`<p>Dear donor,</p>
${lines.map((line) => html`<p>${line}</p>`)}
<p><a href="${content.manageUrl}">Manage my monthly donations</a></p>
${after.map((line) => html`<p>${line}</p>`)}
${organisationHtml(content.organisation)}`,
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
    `${greeting(content.donor)}\n\nHere is a summary of your donations to ${content.organisation.name} in ${content.year}.`,
    `Donations\n${textTable(LINE_HEADINGS, content.donations.map(lineCells))}`,
    content.refunds.length ? `Refunds\n${textTable(LINE_HEADINGS, content.refunds.map(lineCells))}` : null,
    `Totals\n${textTable(TOTAL_HEADINGS, totals.map(totalCells))}`,
    'Amounts are what you were charged, including any processing fees you chose to cover.',
    content.organisation.taxSentence,
    `Questions? Reply to this email or write to ${content.contact}.`,
    organisationText(content.organisation),
  ]);
}

function statementHtml(content: StatementContent, subject: string): string {
  const totals = statementTotals(content.donations, content.refunds);
  return page(
    subject,
    html`<h1 style="font-size:20px">Donation statement ${content.year}</h1>
<p>${greeting(content.donor)}</p>
<p>Here is a summary of your donations to ${content.organisation.name} in ${content.year}.</p>
<h2 style="font-size:16px">Donations</h2>
${htmlTable(LINE_HEADINGS, content.donations.map(lineCells))}
${content.refunds.length ? html`<h2 style="font-size:16px">Refunds</h2>${htmlTable(LINE_HEADINGS, content.refunds.map(lineCells))}` : ''}
<h2 style="font-size:16px">Totals</h2>
${htmlTable(TOTAL_HEADINGS, totals.map(totalCells))}
<p>Amounts are what you were charged, including any processing fees you chose to cover.</p>
<p>${content.organisation.taxSentence}</p>
<p>Questions? Reply to this email or write to ${content.contact}.</p>
${organisationHtml(content.organisation)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

function greeting(donor: Donor): string {
  return donor.name ? `Dear ${donor.name},` : 'Dear donor,';
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

function organisationText(organisation: Organisation): string {
  return [organisation.name, organisation.address, organisation.taxId ? `Tax ID: ${organisation.taxId}` : '']
    .filter(Boolean)
    .join('\n');
}

function organisationHtml(organisation: Organisation): Html {
  return html`<p style="color:#555;font-size:13px;border-top:1px solid #ddd;padding-top:12px">${organisation.name}${
    organisation.address ? html`<br>${multiline(organisation.address)}` : ''
  }${organisation.taxId ? html`<br>Tax ID: ${organisation.taxId}` : ''}</p>`;
}

function page(title: string, body: Html): string {
  return html`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="font-family:Helvetica,Arial,sans-serif;color:#222;line-height:1.5;max-width:600px;margin:0 auto;padding:16px">
${body}
</body></html>
`.source;
}
