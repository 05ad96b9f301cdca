/**
 * Erasing a donor's personal data from stored JSON (Stripe's event payloads, the consumer events
 * we keep): every string that contains the donor's email address, and every value of a field
 * that holds people's words (a name, a message) that is exactly one of the names or messages
 * they gave (case-insensitively), becomes ERASED. Names only match in such fields, so a donor
 * called "Usd" never erases a currency. Amounts, ids and everything else stay, so the stored
 * events still explain the ledger (and can be replayed).
 */
const WORDS_FIELDS = new Set(['name', 'message', 'donor_name', 'customer_name', 'description']);

export const ERASED = '[erased]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function scrubber(donor: { email: string; texts: readonly string[] }): (value: unknown) => { value: unknown; changed: boolean } {
  const email = new RegExp(escapeRegExp(donor.email.trim()), 'i');
  const texts = new Set(donor.texts.map((text) => text.trim().toLowerCase()).filter(Boolean));
  const matches = (text: string, key: string | null) =>
    email.test(text) || (key !== null && WORDS_FIELDS.has(key) && texts.has(text.trim().toLowerCase()));
  const scrub = (value: unknown, key: string | null = null): { value: unknown; changed: boolean } => {
    if (typeof value === 'string') return matches(value, key) ? { value: ERASED, changed: true } : { value, changed: false };
    if (Array.isArray(value)) {
      const items = value.map((item) => scrub(item, key));
      return items.some((item) => item.changed) ? { value: items.map((item) => item.value), changed: true } : { value, changed: false };
    }
    if (value && typeof value === 'object') {
      let changed = false;
      const entries = Object.entries(value).map(([field, inner]) => {
        const result = scrub(inner, field);
        changed ||= result.changed;
        return [field, result.value];
      });
      return changed ? { value: Object.fromEntries(entries), changed } : { value, changed: false };
    }
    return { value, changed: false };
  };
  return (value) => scrub(value);
}
