import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import type { Db } from '../../db/pool.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/api-keys.js';
import { toApiKeyResource } from '../presenters/api-keys.js';
import { defineRoute } from '../route.js';
import { problems } from '../schemas.js';

const apiKeyResource = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(['read', 'admin']),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});

export function apiKeysRouter(db: Db): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/api-keys',
      summary: 'Mint an API key; the key is in this response only',
      tags: ['admin: api keys'],
      access: 'admin',
      body: z.object({ name: z.string().trim().min(1).max(100), scope: z.enum(['read', 'admin']) }).strict(),
      responses: {
        201: { description: 'The new key, shown once', schema: apiKeyResource.extend({ key: z.string() }) },
        ...problems.badRequest,
        ...problems.auth,
      },
    },
    async ({ body, res }) => {
      const { row, key } = await createApiKey(db, body.name, body.scope);
      res.status(201).json({ ...toApiKeyResource(row), key });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/api-keys',
      summary: 'List active API keys (never the keys themselves)',
      tags: ['admin: api keys'],
      access: 'admin',
      responses: { 200: { description: 'Keys', schema: z.object({ data: z.array(apiKeyResource), next_cursor: z.null() }) }, ...problems.auth },
    },
    async ({ res }) => {
      res.json({ data: (await listApiKeys(db)).map(toApiKeyResource), next_cursor: null });
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/v1/admin/api-keys/:id',
      summary: 'Revoke an API key',
      tags: ['admin: api keys'],
      access: 'admin',
      params: z.object({ id: z.string().max(100) }),
      responses: { 204: { description: 'Revoked' }, ...problems.auth, ...problems.notFound },
    },
    async ({ params, res }) => {
      if (!(await revokeApiKey(db, params.id))) throw notFound(`API key "${params.id}"`);
      res.status(204).end();
    },
  );

  return router;
}
