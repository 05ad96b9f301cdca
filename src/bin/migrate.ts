/** `npm run migrate`: create the database if needed and apply every pending migration. */
import { createLogger } from '../logger.js';
import { configOrExit, prepareDatabase } from '../runtime.js';

const config = configOrExit();
await prepareDatabase(config, createLogger(config));
process.stdout.write('migrations up to date\n');
