/** Rate-limit windows kept in PostgreSQL (no REDIS_URL), as the database counts them. */
export { decrementRateLimit, incrementRateLimit, resetRateLimit } from '../db/rate-limits.js';
