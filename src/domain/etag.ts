import { createHash } from 'node:crypto';

/** A strong ETag: a hash of the exact bytes, so the same answer has the same tag in every process. */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}
