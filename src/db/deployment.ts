import type { Queryable } from './pool.js';

/** This deployment's id (migration 1796000000000), put into the metadata of every Stripe object it creates. */
export async function readDeploymentId(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM deployment');
  if (!rows[0]) throw new Error('the deployment table is empty: run the migrations');
  return rows[0].id;
}

const cached = new WeakMap<Queryable, Promise<string>>();

/** The same, read once per pool: it never changes, and checkout is on the donor's path. */
export function deploymentIdOf(db: Queryable): Promise<string> {
  let id = cached.get(db);
  if (!id) {
    id = readDeploymentId(db);
    id.catch(() => cached.delete(db));
    cached.set(db, id);
  }
  return id;
}
