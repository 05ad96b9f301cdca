import pg from 'pg';

// Money is bigint in the schema but always far below 2^53 minor units, so rows carry plain
// numbers instead of strings (see migrations: amounts are integers in minor units).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export function createPool(databaseUrl: string, max = 10, connectionTimeoutMillis = 5_000): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

export async function withTransaction<T>(pool: Db, work: (client: DbClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection lost mid-transaction (database restart) is emitted on the client; unheard, it
  // would crash the process. The failing query rejects as well, which is what callers act on;
  // the broken client is then destroyed rather than handed back to the pool.
  let lostConnection: Error | undefined;
  const onLostConnection = (error: Error) => {
    lostConnection = error;
  };
  client.on('error', onLostConnection);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onLostConnection);
    client.release(lostConnection);
  }
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}
