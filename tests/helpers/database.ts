import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

function withDatabase(url: string, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

async function onServer<T>(templateUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh, migrated database of its own for one test service: a copy of the run's template. */
export async function cloneTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const templateUrl = inject('databaseUrl');
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  await onServer(templateUrl, async (admin) => {
    // Two clones starting at the same instant can briefly see each other on the template; retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
        return;
      } catch (error) {
        if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  return {
    url: withDatabase(templateUrl, name),
    drop: () => onServer(templateUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)).then(() => {}),
  };
}

/**
 * The pool with each query passed through `around`, which runs it with `run()` and may watch,
 * hold back or disturb it: for tests of what a statement, its answer or the loss of its answer does.
 */
export function aroundQueries<D extends Pick<pg.Pool, 'query'>>(
  db: D,
  around: (run: () => Promise<unknown>, statement: string | { name?: string; text: string; values?: unknown[] }) => Promise<unknown>,
): D {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'query') {
        return (...args: unknown[]) =>
          around(() => (target.query as (...queryArgs: unknown[]) => Promise<unknown>)(...args), args[0] as Parameters<typeof around>[1]);
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
