import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { mimeMessage } from '../../src/integrations/mail.js';

const config = { RECEIPT_FROM: '"Ärzte für Kinder" <spenden@example.org>', RECEIPT_REPLY_TO: 'antwort@example.org' };

describe('a mail as Goalpost writes it', () => {
  it('reads back with every header and both parts intact, non-ASCII and long lines included', async () => {
    const text = `Vielen Dank für Ihre Spende über 25,00 €.\nZeile zwei = gleich, Punkt am Anfang folgt:\n.\n${'lang '.repeat(40)}`;
    const html = `<p>Vielen Dank für Ihre <b>Spende</b> über 25,00&nbsp;€</p>\n<p>${'lang '.repeat(40)}</p>`;
    const { message, envelope } = mimeMessage(config, {
      to: 'spender@example.com',
      subject: 'Ihre Spendenquittung GP-2026-000123 – vielen Dank für Ihre großzügige Unterstützung',
      text,
      html,
      messageId: '<refund-7@example.org>',
      inReplyTo: '<receipt-6@example.org>',
    });

    expect(message).not.toMatch(/[^\r]\n/);
    expect(message.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    expect(envelope).toEqual({ from: 'spenden@example.org', to: ['spender@example.com'] });
    const mail = await simpleParser(message);
    expect(mail.from?.value).toEqual([{ name: 'Ärzte für Kinder', address: 'spenden@example.org' }]);
    expect(mail.replyTo?.value[0]?.address).toBe('antwort@example.org');
    expect(mail.subject).toBe('Ihre Spendenquittung GP-2026-000123 – vielen Dank für Ihre großzügige Unterstützung');
    expect(mail.messageId).toBe('<refund-7@example.org>');
    expect(mail.inReplyTo).toBe('<receipt-6@example.org>');
    expect(mail.references).toBe('<receipt-6@example.org>');
    expect(mail.date).toBeInstanceOf(Date);
    expect(mail.text?.replace(/\r\n/g, '\n')).toBe(text);
    expect(mail.html).toContain('<b>Spende</b> über 25,00&nbsp;€');
  });

  it('leaves out the threading headers of a first mail', async () => {
    const { message } = mimeMessage({ RECEIPT_FROM: 'Goalpost <receipts@localhost>', RECEIPT_REPLY_TO: undefined }, { to: 'a@example.com', subject: 'Receipt', text: 'Thanks', html: '<p>Thanks</p>', messageId: '<r-1@localhost>' });
    const mail = await simpleParser(message);
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.replyTo).toBeUndefined();
    expect(mail.from?.value[0]).toEqual({ name: 'Goalpost', address: 'receipts@localhost' });
    expect(mail.text?.trim()).toBe('Thanks');
  });
});
