import { describe, expect, it } from 'vitest';
import { escapeHtml, html, multiline } from '../../src/domain/html.js';
import {
  renderReceipt,
  renderRefund,
  renderStatement,
  statementTotals,
  type ReceiptContent,
  type StatementLine,
} from '../../src/domain/receipt-content.js';
import { organisationFor, receiptMessageId } from '../../src/services/receipt-mail.js';

const organisation = { name: 'Org & Co', address: '1 Main St\nTown', taxId: 'EIN 1', taxSentence: 'Deductible.' };

function receipt(overrides: Partial<ReceiptContent> = {}): ReceiptContent {
  return {
    organisation,
    receiptNumber: '2024-000007',
    donor: { name: 'Ada', email: 'ada@example.org', anonymous: false },
    campaignName: 'Fund <One>',
    frequency: 'one_time',
    donation: { amount: 2_500, currency: 'usd' },
    coveredFee: 0,
    paidAt: new Date('2024-06-01T12:00:00Z'),
    timezone: 'UTC',
    message: null,
    contact: 'help@example.org',
    copy: null,
    ...overrides,
  };
}

describe('html tag', () => {
  it('escapes interpolated text but keeps nested html as is', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${`"x'`}">${inner}${['a&', html`<br>`]}${null}${false}</p>`.source).toBe(
      '<p title="&quot;x&#39;"><b>&lt;i&gt;</b>a&amp;<br></p>',
    );
    expect(escapeHtml('&<>"\'')).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(multiline('a<\nb').source).toBe('a&lt;<br>b');
  });
});

describe('receipt template', () => {
  it('shows a single amount and no fee note when the donor covered no fees', () => {
    const { text, html: body } = renderReceipt(receipt());
    expect(text).toMatch(/Amount:\s+\$25\.00/);
    expect(text).not.toContain('Fees you covered');
    expect(body).toContain('Fund &lt;One&gt;');
    expect(body).toContain('Org &amp; Co<br>1 Main St<br>Town');
  });

  it('marks a copy as such in the subject and both parts', () => {
    const rendered = renderReceipt(receipt({ copy: { issuedAt: new Date('2025-01-05T12:00:00Z') } }));
    expect(rendered.subject).toMatch(/^COPY: /);
    expect(rendered.text).toContain('COPY of receipt 2024-000007, issued again on January 5, 2025');
    expect(rendered.html).toContain('COPY of receipt 2024-000007');
  });

  it('formats three-decimal and zero-decimal currencies with Intl', () => {
    expect(renderReceipt(receipt({ donation: { amount: 12_345, currency: 'kwd' } })).text).toContain('KWD');
    expect(renderReceipt(receipt({ donation: { amount: 12_345, currency: 'kwd' } })).text).toContain('12.345');
    expect(renderReceipt(receipt({ donation: { amount: 1_000, currency: 'krw' } })).text).toContain('₩1,000');
  });
});

describe('refund template', () => {
  it('names the receipt it reduces', () => {
    const rendered = renderRefund({
      organisation,
      receiptNumber: '2024-000007',
      donor: { name: null, email: 'x@example.org' },
      campaignName: 'Fund',
      refunded: { amount: 700, currency: 'eur' },
      charged: { amount: 2_000, currency: 'eur' },
      paidAt: new Date('2024-06-01T12:00:00Z'),
      refundedAt: new Date('2024-07-01T12:00:00Z'),
      timezone: 'Europe/Berlin',
      contact: 'help@example.org',
    });
    expect(rendered.subject).toBe('Refund of €7.00 on receipt 2024-000007');
    expect(rendered.text).toContain('reduces your contribution on receipt 2024-000007 by €7.00');
  });
});

describe('statement totals', () => {
  const line = (amount: number, currency: string): StatementLine => ({
    at: new Date('2024-03-01T12:00:00Z'),
    timezone: 'UTC',
    receiptNumber: null,
    campaignName: 'Fund',
    frequency: 'one_time',
    amount: { amount, currency },
  });

  it('sums donations and refunds per currency, alphabetically', () => {
    expect(statementTotals([line(1_000, 'usd'), line(500, 'jpy'), line(250, 'usd')], [line(100, 'usd'), line(50, 'eur')])).toEqual([
      { currency: 'eur', donated: 0, refunded: 50, net: -50 },
      { currency: 'jpy', donated: 500, refunded: 0, net: 500 },
      { currency: 'usd', donated: 1_250, refunded: 100, net: 1_150 },
    ]);
  });

  it('renders a statement without a refunds section when there were none', () => {
    const rendered = renderStatement({
      organisation,
      year: 2024,
      donor: { name: 'Ada', email: 'ada@example.org' },
      donations: [line(1_000, 'usd')],
      refunds: [],
      contact: 'help@example.org',
    });
    expect(rendered.text).not.toContain('Refunds');
    expect(rendered.text).toMatch(/USD\s+\$10\.00\s+\$0\.00\s+\$10\.00/);
  });
});

describe('organisation and Message-ID', () => {
  const config = {
    RECEIPT_FROM: 'Org <receipts@org.example>',
    RECEIPT_REPLY_TO: undefined,
    ORG_NAME: 'Org',
    ORG_ADDRESS: 'Street',
    ORG_TAX_ID: 'T1',
    RECEIPT_TAX_SENTENCE: 'Sentence.',
  };

  it('lets a campaign override each organisation field it sets', () => {
    expect(organisationFor(config, { org_name: 'Campaign Org', tax_sentence: 'Other.' })).toEqual({
      name: 'Campaign Org',
      address: 'Street',
      taxId: 'T1',
      taxSentence: 'Other.',
    });
  });

  it('derives the same Message-ID for the same row, on the sender domain, and another for another row', () => {
    const row = { id: 12, kind: 'receipt' as const, dedupe_key: 'receipt:don_1', created_at: new Date('2024-06-01T12:00:00Z') };
    const id = receiptMessageId(row, config.RECEIPT_FROM);
    expect(id).toMatch(/^<receipt\.12\.[0-9a-f]{16}@org\.example>$/);
    expect(receiptMessageId({ ...row }, config.RECEIPT_FROM)).toBe(id);
    expect(receiptMessageId({ ...row, created_at: new Date('2024-06-02T12:00:00Z') }, config.RECEIPT_FROM)).not.toBe(id);
  });
});
