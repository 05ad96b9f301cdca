import { findActiveKeyByHash, insertApiKey, touchApiKey, type ApiKeyRow, type ApiKeyScope } from '../db/api-keys.js';
import type { Db, Queryable } from '../db/pool.js';
import { hashApiKey, mintApiKey } from '../domain/api-keys.js';

export { listApiKeys, revokeApiKey } from '../db/api-keys.js';

/** Mints a key; the plain key is returned once, only its hash is stored. */
export async function createApiKey(db: Db, name: string, scope: ApiKeyScope): Promise<{ row: ApiKeyRow; key: string }> {
  const minted = mintApiKey();
  const row = await insertApiKey(db, { id: minted.id, name, scope, keyHash: minted.keyHash, keyPrefix: minted.keyPrefix });
  return { row, key: minted.key };
}

/** The active key a presented secret belongs to, or null; its last use is recorded in the background. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<ApiKeyRow | null> {
  const key = await findActiveKeyByHash(db, hashApiKey(presented));
  if (key) touchApiKey(db, key.id).catch(() => {});
  return key;
}
