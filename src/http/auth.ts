import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { ApiKeyScope } from '../db/api-keys.js';
import type { Db } from '../db/pool.js';
import { sameKey } from '../domain/api-keys.js';
import { verifyApiKey } from '../services/api-keys.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `authenticate` when the request carried a valid API key. */
      auth?: { keyId: string; name: string; scope: ApiKeyScope };
    }
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Resolves `Authorization: Bearer <key>` to a key and scope. A missing or wrong key is 401 here;
 * scope (403) is checked per route by `defineRoute`.
 */
export function authenticate(db: Db, bootstrapKey: string | undefined): RequestHandler {
  return async (req, _res, next) => {
    try {
      const match = BEARER.exec(req.headers.authorization ?? '');
      if (!match) throw new AppError('unauthorized', 'A valid API key is required (Authorization: Bearer <key>).');
      const presented = match[1]!;
      if (bootstrapKey && sameKey(presented, bootstrapKey)) {
        req.auth = { keyId: 'bootstrap', name: 'ADMIN_API_KEY', scope: 'admin' };
        return next();
      }
      const key = await verifyApiKey(db, presented);
      if (!key) throw new AppError('unauthorized', 'The API key is not valid or has been revoked.');
      req.auth = { keyId: key.id, name: key.name, scope: key.scope };
      next();
    } catch (error) {
      next(error);
    }
  };
}
