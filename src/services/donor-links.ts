import { randomBytes } from 'node:crypto';
import type { Language } from '../domain/i18n/languages.js';
import type { Config } from '../config.js';
import { withTransaction, type Db, type Queryable } from '../db/pool.js';
import { storedSecret } from '../db/server-secrets.js';
import { donorEmailOfMonthlyCheckout, donorHasSubscriptions } from '../db/subscriptions.js';
import { manageLinkExpiry, normaliseEmail, signManageToken, verifyManageToken } from '../domain/donor-link.js';
import { queueMail } from './receipts.js';

export type DonorLinkConfig = Pick<Config, 'DONOR_LINK_SECRET' | 'DONOR_LINK_TTL_DAYS' | 'publicBaseUrl'>;

const SECRET_NAME = 'donor_link';
/** Per database: a process may serve more than one (tests do). */
const storedSecrets = new WeakMap<Queryable, Promise<string>>();

/**
 * The key manage links are signed with: DONOR_LINK_SECRET, else a random one made once and kept
 * in the database, so the worker that mails a link and the API that checks it agree, across
 * restarts and replicas.
 */
export function donorLinkSecret(db: Queryable, config: Pick<Config, 'DONOR_LINK_SECRET'>): Promise<string> {
  if (config.DONOR_LINK_SECRET) return Promise.resolve(config.DONOR_LINK_SECRET);
  let secret = storedSecrets.get(db);
  if (!secret) {
    secret = storedSecret(db, SECRET_NAME, randomBytes(32).toString('base64url'));
    secret.catch(() => storedSecrets.delete(db));
    storedSecrets.set(db, secret);
  }
  return secret;
}

/**
 * A fresh manage link for a donor email, valid DONOR_LINK_TTL_DAYS from `now`. With a language
 * the page opens in it (`&lang=`); without, the page follows the browser's.
 */
export async function manageLink(
  db: Queryable,
  config: DonorLinkConfig,
  email: string,
  { now = new Date(), language = null }: { now?: Date; language?: Language | null } = {},
): Promise<string> {
  const token = signManageToken(await donorLinkSecret(db, config), email, manageLinkExpiry(now, config.DONOR_LINK_TTL_DAYS));
  return `${config.publicBaseUrl}/donor/manage?token=${encodeURIComponent(token)}${language ? `&lang=${language}` : ''}`;
}

/** The donor email a manage token names, or null (forged, expired, malformed: all alike). */
export async function donorOfToken(db: Queryable, config: DonorLinkConfig, token: string, now = new Date()): Promise<string | null> {
  return verifyManageToken(await donorLinkSecret(db, config), token, now);
}

/**
 * POST /v1/donor/links: mails a fresh manage link when the email has monthly donations, and
 * nothing otherwise. The caller answers the same either way, so no one learns who gives. At most
 * one mail per email in each `mailWindowMs` (DONOR_LINK_MAIL_WINDOW_MS), however often it is asked for.
 */
async function requestManageLink(db: Queryable, email: string, mailWindowMs: number, now = new Date()): Promise<void> {
  const donor = normaliseEmail(email);
  if (!(await donorHasSubscriptions(db, donor))) return;
  await queueMail(db, {
    kind: 'manage_link',
    donationId: null,
    dedupeKey: `manage_link:${donor}:${Math.floor(now.getTime() / mailWindowMs)}`,
    toEmail: donor,
  });
}

/** The thank-you page of a monthly checkout shows the donor their manage link. */
export async function manageLinkOfCheckout(
  db: Queryable,
  config: DonorLinkConfig,
  sessionId: string,
  language: Language | null = null,
): Promise<string | null> {
  const email = await donorEmailOfMonthlyCheckout(db, sessionId);
  return email ? manageLink(db, config, email, { language }) : null;
}

/** `requestManageLink` in its own transaction (the mail row and its outbox job commit together). */
export function requestManageLinkNow(db: Db, email: string, mailWindowMs: number): Promise<void> {
  return withTransaction(db, (client) => requestManageLink(client, email, mailWindowMs));
}
