import type { Queryable } from './pool.js';

export type ApiKeyScope = 'read' | 'admin';

export interface ApiKeyRow {
  id: string;
  name: string;
  scope: ApiKeyScope;
  key_prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, scope, key_prefix, created_at, last_used_at, revoked_at';

export async function insertApiKey(
  db: Queryable,
  key: { id: string; name: string; scope: ApiKeyScope; keyHash: string; keyPrefix: string },
): Promise<ApiKeyRow> {
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, name, scope, key_hash, key_prefix) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [key.id, key.name, key.scope, key.keyHash, key.keyPrefix],
  );
  return rows[0]!;
}

export async function findActiveKeyByHash(db: Queryable, keyHash: string): Promise<ApiKeyRow | null> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
    [keyHash],
  );
  return rows[0] ?? null;
}

export async function touchApiKey(db: Queryable, id: string): Promise<void> {
  // Once a minute is enough to show "last used" without a write on every request.
  await db.query(
    `UPDATE api_keys SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at DESC, id DESC`,
  );
  return rows;
}

export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
    [id],
  );
  return rowCount === 1;
}
