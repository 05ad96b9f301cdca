import type { Queryable } from './pool.js';

/** The stored value of a named server key, made from `candidate` by whichever process asks first. */
export async function storedSecret(db: Queryable, name: string, candidate: string): Promise<string> {
  const { rows } = await db.query<{ value: string }>(
    `WITH made AS (INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value)
     SELECT value FROM made UNION ALL SELECT value FROM server_secrets WHERE name = $1 LIMIT 1`,
    [name, candidate],
  );
  if (rows[0]) return rows[0].value;
  // Another process made it between this statement's snapshot and its insert: read it now.
  const again = await db.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return again.rows[0]!.value;
}
