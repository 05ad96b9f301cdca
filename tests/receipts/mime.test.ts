import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import MimeNode from 'nodemailer/lib/mime-node';
import { mimeComposer, type OutgoingMail } from '../../src/integrations/mail.js';

const config = { RECEIPT_FROM: '"Ärzte für Kinder" <spenden@example.org>', RECEIPT_REPLY_TO: 'antwort@example.org' };

describe('a mail as Goalpost writes it', () => {
  it('reads back with every header and both parts intact, non-ASCII and long lines included', async () => {
    const text = `Vielen Dank für Ihre Spende über 25,00 €.\nZeile zwei = gleich, Punkt am Anfang folgt:\n.\n${'lang '.repeat(40)}`;
    const html = `<p>Vielen Dank für Ihre <b>Spende</b> über 25,00&nbsp;€</p>\n<p>${'lang '.repeat(40)}</p>`;
    const { message, envelope } = mimeComposer(config)({
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
    const { message } = mimeComposer({ RECEIPT_FROM: 'Goalpost <receipts@localhost>', RECEIPT_REPLY_TO: undefined })({ to: 'a@example.com', subject: 'Receipt', text: 'Thanks', html: '<p>Thanks</p>', messageId: '<r-1@localhost>' });
    const mail = await simpleParser(message);
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.replyTo).toBeUndefined();
    expect(mail.from?.value[0]).toEqual({ name: 'Goalpost', address: 'receipts@localhost' });
    expect(mail.text?.trim()).toBe('Thanks');
  });

  it('keeps a part that contains the boundary line intact (its quoted-printable form cannot hold it)', async () => {
    const text = 'before\n--=_goalpost_alternative\nafter\n--=_goalpost_alternative--\n';
    const { message } = mimeComposer(config)({ to: 'a@example.com', subject: 'Receipt', text, html: `<pre>${text}</pre>`, messageId: '<r-2@localhost>' });
    const mail = await simpleParser(message);
    expect(mail.text?.replace(/\r\n/g, '\n')).toBe(text);
    expect(String(mail.html).replace(/\r\n/g, '\n')).toBe(`<pre>${text}</pre>`);
  });

  it('writes each header and the envelope exactly as a nodemailer MimeNode of the same mail does', () => {
    /** The headers nodemailer writes for the mail, without the two it makes up (Date, and the boundary in Content-Type). */
    const byNodemailer = (sender: Parameters<typeof mimeComposer>[0], mail: OutgoingMail) => {
      const root = new MimeNode('multipart/alternative');
      root.setHeader({
        from: sender.RECEIPT_FROM,
        ...(sender.RECEIPT_REPLY_TO ? { 'reply-to': sender.RECEIPT_REPLY_TO } : {}),
        to: mail.to,
        subject: mail.subject,
        'message-id': mail.messageId,
        ...(mail.inReplyTo ? { 'in-reply-to': mail.inReplyTo, references: mail.inReplyTo } : {}),
      });
      return { headers: root.buildHeaders(), envelope: root.getEnvelope() };
    };
    const withoutMadeUp = (headers: string) =>
      headers.replace(/\r\nDate: [^\r]*/, '').replace(/\r\nContent-Type: multipart\/alternative;(?:\r\n)? boundary="[^"]*"$/, '');
    const senders = fc.constantFrom<Parameters<typeof mimeComposer>[0]>(
      config,
      { RECEIPT_FROM: 'receipts@example.org', RECEIPT_REPLY_TO: undefined },
      { RECEIPT_FROM: 'Fondation Élan <dons@élan.example>', RECEIPT_REPLY_TO: '"Support, Team" <help@example.org>' },
    );
    const local = fc.stringMatching(/^[A-Za-z0-9._%+'-]{1,20}$/);
    const domain = fc.constantFrom('example.com', 'EXAMPLE.org', 'bücher.example', 'xn--bcher-kva.example', 'mail.Co.UK');
    const recipient = fc.oneof(
      fc.tuple(local, domain).map(([user, host]) => `${user}@${host}`),
      fc.tuple(fc.string({ maxLength: 30 }), local, domain).map(([name, user, host]) => `"${name.replace(/["\\]/g, '')}" <${user}@${host}>`),
      fc.constantFrom('josé@example.com', 'a@[192.0.2.1]', 'with space@example.com'),
    );
    const mail = fc.record({
      to: recipient,
      subject: fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 60 })),
      messageId: fc.stringMatching(/^<[a-z0-9.]{1,40}@[a-z.]{1,20}>$/),
      inReplyTo: fc.option(fc.stringMatching(/^<[a-z0-9.]{1,40}@[a-z.]{1,20}>$/), { nil: undefined }),
    });
    fc.assert(
      fc.property(senders, mail, (sender, fields) => {
        const outgoing: OutgoingMail = { ...fields, text: 'Thanks', html: '<p>Thanks</p>' };
        const { message, envelope } = mimeComposer(sender)(outgoing);
        const expected = byNodemailer(sender, outgoing);
        const headers = message.slice(0, message.indexOf('\r\n\r\n'));
        expect(withoutMadeUp(headers)).toBe(withoutMadeUp(expected.headers));
        expect(envelope).toEqual({ from: expected.envelope.from, to: expected.envelope.to });
      }),
      { numRuns: 300 },
    );
  });
});
