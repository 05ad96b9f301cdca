import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpRefusal {
  /** SMTP reply code, e.g. 451 (try again later) or 550 (mailbox unavailable). */
  code: number;
  message: string;
}

/** A real SMTP server in the test process that keeps every message it accepts, parsed. */
export interface SmtpSink {
  port: number;
  /** SMTP_URL for the service under test. */
  url: string;
  messages: ParsedMail[];
  /** While set, every RCPT TO (or only those to `recipient`) is answered with this error. */
  refuse(refusal: SmtpRefusal | null, recipient?: string): void;
  /** While above zero, each message is answered (and kept) only after this many milliseconds: a slow server. */
  slowDown(ms: number): void;
  /** Messages for one recipient. */
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let refusal: SmtpRefusal | null = null;
  const refusalsByRecipient = new Map<string, SmtpRefusal>();
  let answerAfterMs = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    onRcptTo(address, _session, callback) {
      const refused = refusalsByRecipient.get(address.address.toLowerCase()) ?? refusal;
      if (!refused) return callback();
      callback(Object.assign(new Error(refused.message), { responseCode: refused.code }));
    },
    onData(stream, _session, callback) {
      // Recorded before the 250 answer, as a real server has the message once it says so.
      simpleParser(stream)
        .then(async (parsed) => {
          if (answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, answerAfterMs));
          messages.push(parsed);
          callback();
        })
        .catch(callback);
    },
  });
  const listening = server.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    listening.once('listening', resolve);
    listening.once('error', reject);
  });
  const bound = (listening.address() as AddressInfo).port;
  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    messages,
    refuse(next, recipient) {
      if (recipient === undefined) refusal = next;
      else if (next) refusalsByRecipient.set(recipient.toLowerCase(), next);
      else refusalsByRecipient.delete(recipient.toLowerCase());
    },
    slowDown(ms) {
      answerAfterMs = ms;
    },
    to: (address) => messages.filter((message) => recipients(message).includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function recipients(message: ParsedMail): string[] {
  const to = Array.isArray(message.to) ? message.to : message.to ? [message.to] : [];
  return to.flatMap((group) => group.value.map((address) => (address.address ?? '').toLowerCase()));
}
