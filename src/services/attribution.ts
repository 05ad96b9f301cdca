/** Where a campaign's money came from, by attribution dimension, as the database sums it. */
export { ATTRIBUTION_DIMENSIONS, monthTotalsBy } from '../db/attribution.js';
