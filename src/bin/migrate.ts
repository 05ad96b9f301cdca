/** `npm run migrate`: create the database if needed and apply every pending migration. */
import { createLogger } from '../logger.js';
import { configOrExit, prepareDatabase, resolveDatabase } from '../runtime.js';

const settings = configOrExit();
const logger = createLogger(settings);
const { config, database } = await resolveDatabase(settings, logger);
await prepareDatabase(config, logger);
await database?.stop();
process.stdout.write('migrations up to date\n');
