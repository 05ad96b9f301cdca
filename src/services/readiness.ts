/** For /readyz: migrations in the folder that the database has not applied. */
export { pendingMigrations } from '../db/migrate.js';
