import { once } from 'node:events';
import type { Response } from 'express';

/** Waits until the socket takes more, or the client went away (then `false`). */
export async function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return false;
  // The listener of the event that did not happen is removed, so long streams do not pile them up.
  const controller = new AbortController();
  try {
    await Promise.race([once(res, 'drain', { signal: controller.signal }), once(res, 'close', { signal: controller.signal })]);
  } finally {
    controller.abort();
  }
  return !res.destroyed;
}
