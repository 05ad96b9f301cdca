import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import MimeNode from 'nodemailer/lib/mime-node';
import { isRecipientRejected, mimeComposer, type OutgoingMail } from '../../src/integrations/mail.js';

const config = { RECEIPT_FROM: '"Ärzte für Kinder" <spenden@example.org>', RECEIPT_REPLY_TO: 'antwort@example.org' };

describe('a mail as Goalpost writes it', () => {
  it('reads back with every header and both parts intact, non-ASCII and long lines included', async () => {
    const text = `Vielen Dank für Ihre Spende über 25,00 €.\nZeile zwei = gleich, Punkt am Anfang folgt:\n.\n${'lang '.repeat(40)}\rZeile nach einem CR`;
    const html = `<p>Vielen Dank für Ihre <b>Spende</b> über 25,00&nbsp;€</p>\n<p>${'lang '.repeat(40)}</p>`;
    const { message, envelope } = mimeComposer(config)({
      to: 'spender@example.com',
      subject: 'Ihre Spendenquittung GP-2026-000123 – vielen Dank für Ihre großzügige Unterstützung',
      text,
      html,
      messageId: '<refund-7@example.org>',
      inReplyTo: '<receipt-6@example.org>',
    });

    expect(message).not.toMatch(/[^\r]\n|\r(?!\n)/);
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
    expect(mail.text?.replace(/\r\n/g, '\n')).toBe(text.replace('\r', '\n'));
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
    expect(mail.text?.replace(/\r\n/g, '\n')).toBe(text.replace('\r', '\n'));
    expect(String(mail.html).replace(/\r\n/g, '\n')).toBe(`<pre>${text}</pre>`);
  });

  it('writes each header and the envelope exactly as a nodemailer MimeNode of the same mail does', () => {
    /** The headers and the envelope nodemailer writes for the mail. */
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
    // The two values each side makes up, the Date and the boundary, stand in place, so their position still counts.
    const withoutMadeUp = (headers: string) =>
      headers.replace(/^Date: [^\r]*$/m, 'Date: <now>').replace(/^Content-Type: multipart\/alternative;(?:\r\n)? boundary="[^"]*"$/m, 'Content-Type: <boundary>');
    const senders = fc.constantFrom<Parameters<typeof mimeComposer>[0]>(
      config,
      { RECEIPT_FROM: 'receipts@example.org', RECEIPT_REPLY_TO: undefined },
      { RECEIPT_FROM: 'Fondation Élan <dons@élan.example>', RECEIPT_REPLY_TO: '"Support, Team" <help@example.org>' },
      // No address in From: the envelope's sender is Reply-To's.
      { RECEIPT_FROM: 'Goalpost', RECEIPT_REPLY_TO: 'antwort@example.org' },
    );
    const local = fc.stringMatching(/^[A-Za-z0-9._%+'-]{1,20}$/);
    const domain = fc.constantFrom('example.com', 'EXAMPLE.org', 'bücher.example', 'xn--bcher-kva.example', 'mail.Co.UK');
    const recipient = fc.oneof(
      fc.tuple(local, domain).map(([user, host]) => `${user}@${host}`),
      fc.tuple(fc.string({ maxLength: 30 }), local, domain).map(([name, user, host]) => `"${name.replace(/["\\\r\n]/g, '')}" <${user}@${host}>`),
      fc.constantFrom('josé@example.com', 'a@[192.0.2.1]', 'with space@example.com'),
    );
    // Subjects as long as a receipt's in any language, with the odd control character a template or name could carry.
    const words = fc.constantFrom('Ihre', 'Spendenquittung', 'GP-2026-000123', 'für', 'großzügige', 'Unterstützung', 'reçu', 'fiscal', 'don', 'à', 'l’association', 'Your', 'receipt', '—', '🙏', '\r\n', '\t', '=?', '?=', '  ');
    const subject = fc.oneof(
      fc.array(words, { minLength: 1, maxLength: 30 }).map((parts) => parts.join(' ')),
      fc.string({ size: 'max', maxLength: 200 }),
      fc.string({ unit: 'grapheme', size: 'max', maxLength: 80 }),
    );
    const messageId = fc.tuple(fc.stringMatching(/^[a-z0-9.]{1,40}$/), fc.constantFrom('', '\r\n', ' ', '\t', '\u0000')).map(([id, odd]) => `<${id}${odd}@example.org>`);
    const mail = fc.record({ to: recipient, subject, messageId, inReplyTo: fc.option(messageId, { nil: undefined }) });
    fc.assert(
      fc.property(senders, mail, (sender, fields) => {
        const outgoing: OutgoingMail = { ...fields, text: 'Thanks', html: '<p>Thanks</p>' };
        const { message, envelope } = mimeComposer(sender)(outgoing);
        const expected = byNodemailer(sender, outgoing);
        const headers = message.slice(0, message.indexOf('\r\n\r\n'));
        expect(withoutMadeUp(headers)).toBe(withoutMadeUp(expected.headers));
        expect(envelope).toEqual({ from: expected.envelope.from, to: expected.envelope.to });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses, for good, a recipient address with a line break in it rather than write it as another header', () => {
    const compose = mimeComposer(config);
    const refusal = (() => {
      try {
        compose({ to: 'a@example.com\r\nBcc: someone@example.net', subject: 'Receipt', text: 'Thanks', html: '<p>Thanks</p>', messageId: '<r-3@localhost>' });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(Error);
    expect(isRecipientRejected(refusal)).toBe(true);
  });
});
