/**
 * `npm run cli -- api-keys create --name dashboard --scope read`
 * `npm run cli -- api-keys list` · `npm run cli -- api-keys revoke <id>`
 */
import { parseArgs } from 'node:util';
import { createPool } from '../db/pool.js';
import { toApiKeyResource } from '../http/presenters/api-keys.js';
import { createLogger } from '../logger.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.js';
import { configOrExit, prepareDatabase, resolveDatabase } from '../runtime.js';

const USAGE = `usage:
  npm run cli -- api-keys create --name <name> --scope read|admin
  npm run cli -- api-keys list
  npm run cli -- api-keys revoke <id>`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, scope: { type: 'string' } },
});
const [resource, action, id] = positionals;
const settings = configOrExit();
const logger = createLogger({ ...settings, LOG_LEVEL: 'warn' });
const { config, database } = await resolveDatabase(settings, logger);
// An embedded server started just for this command may be new: give it its tables first.
if (database?.owned) await prepareDatabase(config, logger);
const db = createPool(config.DATABASE_URL, 1, config.DATABASE_CONNECT_TIMEOUT_MS);

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

try {
  if (resource !== 'api-keys') fail(`unknown command: ${positionals.join(' ')}`);
  if (action === 'create') {
    if (!values.name) fail('--name is required');
    if (values.scope !== 'read' && values.scope !== 'admin') fail('--scope must be read or admin');
    const { row, key } = await createApiKey(db, values.name, values.scope);
    process.stdout.write(`${JSON.stringify({ ...toApiKeyResource(row), key }, null, 2)}\n\nStore the key now: it is not shown again.\n`);
  } else if (action === 'list') {
    process.stdout.write(`${JSON.stringify((await listApiKeys(db)).map(toApiKeyResource), null, 2)}\n`);
  } else if (action === 'revoke' && id) {
    if (!(await revokeApiKey(db, id))) fail(`no active key ${id}`);
    process.stdout.write(`revoked ${id}\n`);
  } else {
    fail('unknown action');
  }
} finally {
  await db.end();
  await database?.stop();
}
