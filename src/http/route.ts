import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { AppError, type FieldError } from '../errors.js';
import type { ApiKeyScope } from '../db/api-keys.js';

/**
 * Routes are declared once, with the zod schemas that validate them; the same declaration feeds
 * /openapi.json, so the document cannot drift from what the server accepts.
 */
export type Access = 'public' | ApiKeyScope | 'stripe';

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express path, e.g. /v1/campaigns/:slug. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Content types accepted for the body, JSON when omitted. */
  bodyTypes?: string[];
  responses: Record<number, ResponseDoc>;
  /** Extra middleware run after access checks and before validation (rate limits, raw bodies). */
  before?: RequestHandler[];
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

type Handler<P, Q, B> = (input: RouteInput<P, Q, B>) => Promise<void> | void;

const registry: RouteSpec<z.ZodType, z.ZodType, z.ZodType>[] = [];

export function documentedRoutes(): readonly RouteSpec<z.ZodType, z.ZodType, z.ZodType>[] {
  return registry;
}

/**
 * Documents a route served by a mounted sub-application (e.g. the queue dashboard) that cannot
 * go through defineRoute, so /openapi.json still lists it.
 */
export function documentMountedRoute(spec: Omit<RouteSpec<z.ZodType, z.ZodType, z.ZodType>, 'before'>): void {
  registry.push(spec);
}

export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || (prefix ?? 'body'),
    message: issue.message,
  }));
}

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('validation_failed', `The request ${where} is not valid.`, fieldErrors(parsed.error, where === 'body' ? undefined : where));
  }
  return parsed.data;
}

function requireAccess(access: Access): RequestHandler {
  return (req, _res, next) => {
    if (access === 'public' || access === 'stripe') return next();
    const auth = req.auth;
    if (!auth) return next(new AppError('unauthorized', 'A valid API key is required (Authorization: Bearer <key>).'));
    if (access === 'admin' && auth.scope !== 'admin') {
      return next(new AppError('forbidden', 'This API key has read-only scope; this action needs an admin key.'));
    }
    next();
  };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- zod's own shape for an object schema without keys
type NoKeys = z.ZodObject<{}>;

export function defineRoute<
  P extends z.ZodType = NoKeys,
  Q extends z.ZodType = NoKeys,
  B extends z.ZodType = z.ZodUndefined,
>(router: Router, spec: RouteSpec<P, Q, B>, handler: Handler<z.infer<P>, z.infer<Q>, z.infer<B>>): void {
  registry.push(spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>);
  const run = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const params = spec.params ? parseOrThrow(spec.params, req.params, 'params') : {};
      const query = spec.query ? parseOrThrow(spec.query, req.query, 'query') : {};
      const body = spec.body ? parseOrThrow(spec.body, req.body ?? {}, 'body') : undefined;
      await handler({ params, query, body, req, res } as RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>);
    } catch (error) {
      next(error);
    }
  };
  router[spec.method](spec.path, requireAccess(spec.access), ...(spec.before ?? []), run);
}

/** Query-string schemas: `?limit=` and `?cursor=` as shared/API.md defines them. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
};

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(schema: T, cursor: string | undefined): z.infer<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the validation error below
  }
  throw new AppError('validation_failed', 'The cursor is not valid.', [{ field: 'cursor', message: 'not a cursor from this list' }]);
}

/**
 * A keyset page from `rows` fetched with LIMIT limit + 1: the first `limit` rows, presented, and
 * the cursor of the last one when the extra row shows there is more.
 */
export function keysetPage<R, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
  cursorOf: (row: R) => Record<string, string | number>,
): { data: T[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map(present), next_cursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
