import { randomBytes } from 'node:crypto';
import type { ApiKeyScope } from '../db/api-keys.js';
import { findActiveAdminSession, insertAdminSession, revokeAdminSession, type AdminSessionRow } from '../db/admin-sessions.js';
import type { Queryable } from '../db/pool.js';
import { hashApiKey, sameKey } from '../domain/api-keys.js';
import { verifyApiKey } from './api-keys.js';

/** Who a request acts as: an API key presented as Bearer, or a dashboard session made from one. */
export interface Principal {
  keyId: string;
  name: string;
  scope: ApiKeyScope;
}

const BOOTSTRAP_KEY_ID = 'bootstrap';

/** An API key (the bootstrap ADMIN_API_KEY or a minted, unrevoked one); null when it is neither. */
export async function principalOfKey(db: Queryable, bootstrapKey: string | undefined, presented: string): Promise<Principal | null> {
  if (bootstrapKey && sameKey(presented, bootstrapKey)) return { keyId: BOOTSTRAP_KEY_ID, name: 'ADMIN_API_KEY', scope: 'admin' };
  const key = await verifyApiKey(db, presented);
  if (!key) return null;
  return { keyId: key.id, name: key.name, scope: key.scope };
}

export interface StartedSession {
  /** The cookie's value: never stored, only its hash. */
  sessionId: string;
  session: AdminSessionRow;
}

/** Exchanges a checked key for a session of the same name and scope, lasting `ttlMs`. */
export async function startAdminSession(db: Queryable, principal: Principal, ttlMs: number): Promise<StartedSession> {
  const sessionId = randomBytes(32).toString('base64url');
  const session = await insertAdminSession(db, {
    idHash: hashApiKey(sessionId),
    apiKeyId: principal.keyId === BOOTSTRAP_KEY_ID ? null : principal.keyId,
    keyName: principal.name,
    scope: principal.scope,
    csrfToken: randomBytes(24).toString('base64url'),
    ttlMs,
  });
  return { sessionId, session };
}

export function findAdminSession(db: Queryable, sessionId: string): Promise<AdminSessionRow | null> {
  return findActiveAdminSession(db, hashApiKey(sessionId));
}

export function endAdminSession(db: Queryable, sessionId: string): Promise<void> {
  return revokeAdminSession(db, hashApiKey(sessionId));
}

export function principalOfSession(session: AdminSessionRow): Principal {
  return { keyId: session.api_key_id ?? BOOTSTRAP_KEY_ID, name: session.key_name, scope: session.scope };
}
