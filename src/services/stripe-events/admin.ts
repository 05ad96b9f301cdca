/** The admin API's view of stored Stripe events and their replay, as the database keeps them. */
export { findStoredStripeEvent, listStripeEvents, resetStripeEventForReplay } from '../../db/stripe-events.js';
