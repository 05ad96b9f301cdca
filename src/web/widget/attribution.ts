import { ATTRIBUTION_FIELDS, MAX_ATTRIBUTION_LENGTH, type Attribution } from '../../domain/donation.js';

/**
 * What brought the donor, as the checkout takes it: `source` from the element's `source`
 * attribute, or else the page address's `?source=`; `utm_source`, `utm_medium` and
 * `utm_campaign` only from the page address (they describe the visit, which a publisher's
 * markup cannot know, so there is no attribute to set them). Values are trimmed; an empty one
 * is left out, and so is one longer than the API's 64 characters (the API would refuse the
 * whole checkout for it, and a cut tag would be a tag nobody used): attribution never stops a
 * donation.
 */
export function pageAttribution(sourceAttribute: string | null, search: string): Partial<Attribution> {
  const query = new URLSearchParams(search);
  const attribution: Partial<Attribution> = {};
  for (const field of ATTRIBUTION_FIELDS) {
    const given = field === 'source' ? (usable(sourceAttribute) ?? query.get(field)) : query.get(field);
    const value = usable(given);
    if (value !== undefined) attribution[field] = value;
  }
  return attribution;
}

/** The API counts length in UTF-16 code units (zod's max), so this does too. */
function usable(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed && trimmed.length <= MAX_ATTRIBUTION_LENGTH ? trimmed : undefined;
}
