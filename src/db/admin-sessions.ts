import type { ApiKeyScope } from './api-keys.js';
import type { Queryable } from './pool.js';

export interface AdminSessionRow {
  api_key_id: string | null;
  key_name: string;
  scope: ApiKeyScope;
  csrf_token: string;
  expires_at: Date;
}

const COLUMNS = 'api_key_id, key_name, scope, csrf_token, expires_at';

/** Stores a new session (by the hash of its id) and forgets sessions that ended a day ago. */
export async function insertAdminSession(
  db: Queryable,
  session: { idHash: string; apiKeyId: string | null; keyName: string; scope: ApiKeyScope; csrfToken: string; ttlMs: number },
): Promise<AdminSessionRow> {
  await db.query(`DELETE FROM admin_sessions WHERE expires_at < now() - interval '1 day'`);
  const { rows } = await db.query<AdminSessionRow>(
    `INSERT INTO admin_sessions (id_hash, api_key_id, key_name, scope, csrf_token, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::float8 / 1000))
     RETURNING ${COLUMNS}`,
    [session.idHash, session.apiKeyId, session.keyName, session.scope, session.csrfToken, session.ttlMs],
  );
  return rows[0]!;
}

/** A session that has not expired or been revoked, and whose API key (if any) is still active. */
export async function findActiveAdminSession(db: Queryable, idHash: string): Promise<AdminSessionRow | null> {
  const { rows } = await db.query<AdminSessionRow>(
    `SELECT s.api_key_id, s.key_name, s.scope, s.csrf_token, s.expires_at
     FROM admin_sessions s LEFT JOIN api_keys k ON k.id = s.api_key_id
     WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
       AND (s.api_key_id IS NULL OR k.revoked_at IS NULL)`,
    [idHash],
  );
  return rows[0] ?? null;
}

export async function revokeAdminSession(db: Queryable, idHash: string): Promise<void> {
  await db.query(`UPDATE admin_sessions SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL`, [idHash]);
}
