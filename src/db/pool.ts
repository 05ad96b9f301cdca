import pg from 'pg';

// Money is bigint in the schema but always far below 2^53 minor units, so rows carry plain
// numbers instead of strings (see migrations: amounts are integers in minor units).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// The same for bigint[] (amount_presets, aggregated amounts): numbers, not strings.
const BIGINT_ARRAY_OID = 1016 as Parameters<typeof pg.types.getTypeParser>[0]; // _int8; the builtins list only scalar types
const parseTextArray = pg.types.getTypeParser(BIGINT_ARRAY_OID) as (value: string) => (string | null)[];
pg.types.setTypeParser(BIGINT_ARRAY_OID, (value: string) => parseTextArray(value).map((item) => (item === null ? null : Number(item))));

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;
/**
 * Anything that runs a query: the pool, or a client inside a transaction.
 *
 * Most statements every ledger batch and receipt job runs carry a `name`: node-pg prepares a named
 * statement once per connection, so PostgreSQL parses and plans it once rather than on every
 * batch (planning was ≈ 6 ms of each ledger batch; pg_stat_statements with track_planning,
 * 2 December). Named: inserts, statements on small tables, and the receipt claim (planning it
 * took 1.8 ms a call; its prepared plan ran ≈ 10 % slower). Unnamed: statements that find rows of
 * a growing table by a list of ids. A prepared plan is kept until the table is next analyzed, so
 * one made while the table was small went on scanning all of it as it grew: the batch's donation
 * lock took 11 ms instead of 2 in P3. A name also stands for one text: a statement whose text
 * varies from call to call stays unnamed.
 */
export type Queryable = Pick<pg.Pool, 'query'>;

/** Services pass DATABASE_POOL_SIZE and DATABASE_CONNECT_TIMEOUT_MS; the defaults (the same values) serve tests and tools. */
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
  let stale: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    // Its prepared statements would fail the same way in every later transaction: the pool drops it.
    if (isStalePreparedStatement(error)) stale = error as Error;
    throw error;
  } finally {
    client.off('error', onLostConnection);
    client.release(lostConnection ?? stale);
  }
}

/**
 * A named statement this connection prepared before a migration changed the type of a column it
 * returns (a rolling deploy's old processes meeting the new schema): PostgreSQL refuses to run it
 * on this connection from then on. A statement reading the table says its plan would change
 * result type; one reading the table's row through a function (the claim: claim_stripe_events
 * returns stripe_events rows) says an attribute of the row has the wrong type. Nobody's fault but
 * the connection's; a fresh one prepares it anew.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  return (
    (code === '0A000' && /cached plan must not change result type/.test(message)) ||
    (code === '42804' && /^attribute \d+ of type record has wrong type/.test(message))
  );
}

/**
 * An error PostgreSQL answered a statement with: the transaction cannot go on until it rolls
 * back (to a savepoint). Errors raised in the application leave it usable.
 */
export function isStatementError(error: unknown): boolean {
  return error instanceof pg.DatabaseError;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}

/** Connection-level failures: the database is away (down, restarting, unreachable), not the query's fault. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i;

/**
 * True when an error means PostgreSQL could not be reached or cut the connection: socket errors,
 * SQLSTATE class 08 (connection exception) and 57P0x (shutting down, starting up, cannot connect now).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('57P0'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}
