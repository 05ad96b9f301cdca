/** The admin API's subscription reads, as the database returns them. */
export { listSubscriptions } from '../db/subscriptions.js';
