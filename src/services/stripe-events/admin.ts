/** The admin API's view of stored Stripe events and their replay, as the database keeps them. */
export { findStoredStripeEvent, listStripeEvents, rerunJobId, resetStripeEventForReplay } from '../../db/stripe-events.js';
