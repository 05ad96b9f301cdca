import type { ApiKeyRow } from '../../db/api-keys.js';

/** An API key as the admin API and the CLI show it: never the key itself, only its prefix. */
export function toApiKeyResource(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.key_prefix,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
  };
}
