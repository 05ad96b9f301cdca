/** The supporters wall's reads and the admin's hiding of a message, as the database keeps them. */
export { listSupporters, setMessageHidden } from '../db/supporters.js';
