import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTransport, type NodemailerError } from 'nodemailer';
import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode, { type MimeNodeEnvelope } from 'nodemailer/lib/mime-node';
import { encode as quotedPrintable, wrap } from 'nodemailer/lib/qp';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** One rendered mail, ready for the transport. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<...@domain>`, derived from the receipts row so a resend carries the same id. */
  messageId: string;
  /** Message-ID of an earlier mail this one follows up (a refund after its receipt), for threading. */
  inReplyTo?: string;
}

export interface MailSent {
  messageId: string;
  /** The SMTP server's final answer, or where the outbox file was written. */
  response: string;
}

export interface Mailer {
  readonly mode: 'smtp' | 'outbox';
  send(mail: OutgoingMail): Promise<MailSent>;
  close(): void;
}

/**
 * Nodemailer over SMTP_URL; without it, every message becomes an .eml file in
 * RECEIPT_OUTBOX_DIR (and a log line), so a local `npm start` needs no mail server.
 */
export function createMailer(config: Config, logger: Logger): Mailer {
  return config.SMTP_URL ? smtpMailer(config, config.SMTP_URL) : outboxMailer(config, logger);
}

/** A mail as it travels: the RFC 5322 message and the SMTP envelope its headers give. */
interface MimeMessage {
  message: string;
  envelope: { from: string; to: string[] };
}

type SenderConfig = Pick<Config, 'RECEIPT_FROM' | 'RECEIPT_REPLY_TO'>;

/** An address no mail can be written to: as final as a server's refusal of it. */
class UnusableRecipientError extends Error {}

/**
 * Not found in quoted-printable text, where '=' is always followed by two hex digits or a line
 * break, nor in the parts' own headers: one boundary serves every mail.
 */
const BOUNDARY = '=_goalpost_alternative';

/**
 * A sender's mails (RECEIPT_FROM, RECEIPT_REPLY_TO) as multipart/alternative messages, text then
 * HTML, each quoted-printable. Nodemailer encodes every header value (encoded words, punycode,
 * folding): From, Reply-To and the envelope's sender once, when the composer is made, each mail's
 * own values per mail. The message is put together here rather than by nodemailer's streaming
 * composer, which took about seven times as much CPU per receipt (≈ 0.5 ms against ≈ 0.08 ms,
 * measured); and a MimeNode per mail takes ≈ 50 µs for its headers alone (measured), most of it
 * parsing the same sender address twice and drawing random bytes for a boundary.
 */
export function mimeComposer(config: SenderConfig): (mail: OutgoingMail) => MimeMessage {
  const encoder = new MimeNode(false);
  // What nodemailer's buildHeaders writes for one header: the encoded value folded at 76, and
  // nothing for a value that encodes to blanks.
  const header = (key: string, value: string): string[] => {
    const encoded = encoder.encodeHeaderValue(key, value);
    return encoded.trim() ? [foldLines(`${key}: ${encoded}`, 76)] : [];
  };
  const sender = { from: config.RECEIPT_FROM, ...(config.RECEIPT_REPLY_TO ? { 'reply-to': config.RECEIPT_REPLY_TO } : {}) };
  const senderHeaders = [...header('From', sender.from), ...(sender['reply-to'] ? header('Reply-To', sender['reply-to']) : [])];
  // From's address, or Reply-To's when From names none, as nodemailer picks it.
  const from = envelopeOf(sender).from || '';
  // Every line ends in CRLF, as SMTP requires: a bare LF (or CR) is refused by strict servers.
  const encoded = (body: string) => wrap(quotedPrintable(body.replace(/\r\n|\r|\n/g, '\r\n')), 76);
  const part = (type: string, body: string) =>
    `--${BOUNDARY}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded(body)}\r\n`;
  return (mail) => {
    // Nodemailer would read a line break in the address as the start of another header (a Bcc).
    if (/[\r\n]/.test(mail.to)) throw new UnusableRecipientError('the recipient address holds a line break');
    const headers = [
      ...senderHeaders,
      ...header('To', mail.to),
      ...header('Subject', mail.subject),
      ...header('Message-ID', mail.messageId),
      ...(mail.inReplyTo ? [...header('In-Reply-To', mail.inReplyTo), ...header('References', mail.inReplyTo)] : []),
      `Date: ${new Date().toUTCString().replace(/GMT/, '+0000')}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative; boundary="${BOUNDARY}"`,
    ];
    const message = `${headers.join('\r\n')}\r\n\r\n${part('text/plain', mail.text)}${part('text/html', mail.html)}--${BOUNDARY}--\r\n`;
    return { message, envelope: { from, to: envelopeOf({ to: mail.to }).to } };
  };
}

/** The SMTP envelope nodemailer derives from address headers (the same parsing and punycode as the headers'). */
function envelopeOf(addresses: { from: string; 'reply-to'?: string } | { to: string }): MimeNodeEnvelope {
  // A given base boundary spares the random bytes a node draws for one it never writes here.
  const node = new MimeNode(false, { baseBoundary: BOUNDARY });
  node.setHeader(addresses);
  return node.getEnvelope();
}

/** SMTP connections the transport keeps open (nodemailer's pool): also how many mails a receipt job sends at once. */
export const MAIL_CONNECTIONS = 5;

function smtpMailer(config: Config, url: string): Mailer {
  const compose = mimeComposer(config);
  // Timeouts far below half of RECEIPT_SENDING_TIMEOUT_MS (no mail starts later in a claim): a
  // live worker always finishes (or fails) its sends before another may consider the claim
  // abandoned and send again.
  const transport = createTransport({
    url,
    pool: true,
    maxConnections: MAIL_CONNECTIONS,
    connectionTimeout: config.SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: config.SMTP_GREETING_TIMEOUT_MS,
    socketTimeout: config.SMTP_SOCKET_TIMEOUT_MS,
  });
  return {
    mode: 'smtp',
    async send(mail) {
      const { message, envelope } = compose(mail);
      const info = await transport.sendMail({ envelope, raw: message });
      return { messageId: mail.messageId, response: info.response };
    },
    close: () => transport.close(),
  };
}

function outboxMailer(config: Config, logger: Logger): Mailer {
  const dir = resolve(config.RECEIPT_OUTBOX_DIR);
  const compose = mimeComposer(config);
  return {
    mode: 'outbox',
    async send(mail) {
      const { message } = compose(mail);
      // Named after the Message-ID: a resend of the same receipt replaces its file, never adds one.
      const file = join(dir, `${mail.messageId.replace(/[<>]/g, '').replace(/[^\w.-]/g, '_')}.eml`);
      const partial = `${file}.${process.pid}.tmp`;
      // Synchronous on purpose, in this local mode (production sends over SMTP): the file only
      // reaches the page cache (nothing is fsynced), which takes microseconds, while fs/promises'
      // open, write, close and rename each make a trip through libuv's thread pool. Measured on
      // 4 kB mails: 19 µs of CPU per mail against 76.
      const write = () => writeFileSync(partial, message);
      // The directory is made when a write finds it missing (the first mail, or after someone
      // removed it), not before every mail: a syscall per mail.
      try {
        write();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        mkdirSync(dir, { recursive: true });
        write();
      }
      renameSync(partial, file);
      logger.info({ to: mail.to, subject: mail.subject, file }, 'mail written to the outbox (no SMTP_URL)');
      return { messageId: mail.messageId, response: `written to ${file}` };
    },
    close: () => {},
  };
}

/**
 * The server refused the recipient for good (a 5xx answer to RCPT TO), or no mail can be written
 * to the address: retrying for hours will not change that. Other refusals (authentication,
 * content, 4xx) and connection failures may clear up, so they are retried.
 */
export function isRecipientRejected(error: unknown): boolean {
  if (error instanceof UnusableRecipientError) return true;
  const mailError = error as NodemailerError;
  return mailError?.code === 'EENVELOPE' && mailError.permanent === true;
}
