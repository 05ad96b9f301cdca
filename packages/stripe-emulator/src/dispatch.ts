import express, { Router, type Request, type Response } from 'express';
import type { EmulatorCore, EventOrigin } from './core.js';
import { StripeApiError } from './errors.js';
import { expandResponse } from './expand.js';
import type { FaultQueue } from './faults.js';
import { parseStripeForm, type FormObject } from './form.js';
import { API_VERSION } from './builders/common.js';
import type { IdempotencyCache } from './idempotency.js';
import type { Logger } from 'pino';
import { newRequestId } from './ids.js';
import { Params } from './params.js';
import type { RequestLog } from './requests.js';

export interface ApiCall {
  /** Form body for POST, query string for GET and DELETE. */
  params: Params;
  path: Record<string, string>;
  origin: EventOrigin;
}

export type ApiHandler = (call: ApiCall) => object;

export interface ApiRoute {
  method: 'get' | 'post' | 'delete';
  path: string;
  handler: ApiHandler;
}

export interface DispatchDeps {
  core: EmulatorCore;
  requests: RequestLog;
  faults: FaultQueue;
  idempotency: IdempotencyCache;
  logger: Logger;
}

const KEY_FORMAT = /^(sk|rk)_test_\w+$/;

/** Bearer auth with a test-mode secret key, Stripe's 401s otherwise. */
function apiKeyOf(req: Request): string {
  const header = req.get('authorization');
  if (!header) {
    throw new StripeApiError(
      401,
      'invalid_request_error',
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  if (!KEY_FORMAT.test(key)) {
    const hint = key.startsWith('sk_live_') || key.startsWith('rk_live_') ? ' The Goalpost Stripe emulator accepts test keys only.' : '';
    throw new StripeApiError(401, 'invalid_request_error', `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}.${hint}`, 'api_key_invalid');
  }
  return key;
}

function paramsOf(req: Request): FormObject {
  if (req.method === 'POST') return parseStripeForm(typeof req.body === 'string' ? req.body : '');
  const query = req.originalUrl.split('?')[1] ?? '';
  return parseStripeForm(query);
}

interface Answer {
  status: number;
  body: unknown;
  replayed: boolean;
}

function run(deps: DispatchDeps, route: ApiRoute, routeName: string, req: Request, requestId: string, raw: FormObject): Answer {
  const apiKey = apiKeyOf(req);
  const fault = deps.faults.take(routeName);
  if (fault) throw fault;
  const idempotencyKey = req.method === 'POST' ? (req.get('idempotency-key') ?? null) : null;
  if (idempotencyKey) {
    const saved = deps.idempotency.replay(apiKey, idempotencyKey, req.method, req.path, raw);
    if (saved) return { status: saved.status, body: saved.body, replayed: true };
  }
  const params = new Params(raw);
  const result = route.handler({
    params,
    path: req.params as Record<string, string>,
    origin: { id: requestId, idempotency_key: idempotencyKey },
  });
  const body = expandResponse(deps.core, structuredClone(result), params.strings('expand'));
  if (idempotencyKey) deps.idempotency.save(apiKey, idempotencyKey, req.method, req.path, raw, 200, body);
  return { status: 200, body, replayed: false };
}

function answer(deps: DispatchDeps, route: ApiRoute) {
  const routeName = `${route.method.toUpperCase()} ${route.path}`;
  return (req: Request, res: Response) => {
    const requestId = newRequestId();
    const raw = paramsOf(req);
    let result: Answer;
    try {
      result = run(deps, route, routeName, req, requestId, raw);
    } catch (error) {
      const apiError =
        error instanceof StripeApiError ? error : new StripeApiError(500, 'api_error', 'An unexpected error occurred in the Goalpost Stripe emulator.');
      if (!(error instanceof StripeApiError)) deps.logger.error({ err: error, route: routeName }, 'stripe emulator: unexpected error');
      result = { status: apiError.status, body: apiError.toJSON(), replayed: false };
    }
    deps.requests.record({
      method: req.method,
      path: req.path,
      route: routeName,
      params: raw,
      idempotency_key: req.get('idempotency-key') ?? null,
      status: result.status,
      replayed: result.replayed,
    });
    res.set({ 'Request-Id': requestId, 'Stripe-Version': req.get('stripe-version') ?? API_VERSION });
    if (req.get('idempotency-key')) res.set('Idempotency-Key', req.get('idempotency-key')!);
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(result.status).json(result.body);
  };
}

/** The Stripe REST surface: form bodies, Stripe's error JSON, idempotency keys, request counting. */
export function stripeApiRouter(deps: DispatchDeps, routes: ApiRoute[]): Router {
  const router = Router();
  router.use('/v1', express.text({ type: 'application/x-www-form-urlencoded', limit: '1mb' }));
  for (const route of routes) router[route.method](route.path, answer(deps, route));
  router.use('/v1', (req, res) => {
    const path = req.originalUrl.split('?')[0]!;
    const error = new StripeApiError(
      404,
      'invalid_request_error',
      `Unrecognized request URL (${req.method}: ${path}). The Goalpost Stripe emulator implements only the endpoints Goalpost uses.`,
    );
    deps.requests.record({ method: req.method, path, route: 'unmatched', params: {}, idempotency_key: null, status: 404, replayed: false });
    res.status(404).json(error.toJSON());
  });
  return router;
}
