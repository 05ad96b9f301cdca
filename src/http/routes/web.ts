import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { AppError } from '../../errors.js';
import { notModified, WIDGET_CACHE_CONTROL } from '../public-cache.js';
import { defineRoute } from '../route.js';
import { problems, slugSchema } from '../schemas.js';
import { webBundles, type WebAsset, type WebBundles } from '../web-bundles.js';

/**
 * The dashboard runs its own bundled script and stylesheet and talks to this origin only, so
 * its policy is stricter than the API's default: no inline code or styles, no framing.
 */
const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function send(req: Request, res: Response, asset: WebAsset, cacheControl: string): void {
  res.setHeader('Content-Type', asset.contentType);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', asset.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (notModified(req, asset.etag)) {
    res.status(304).end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.status(200).end(gzip ? asset.gzipped : asset.body);
}

/** Purged after a deploy that changed the widget, if a CDN should not wait out its max-age. */
const WIDGET_SURROGATE_KEY = 'goalpost-widget';

const demoPage = (slug: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Goalpost widget preview: ${slug}</title>
<script src="/widget.js" async></script>
</head>
<body style="max-width:40rem;margin:2rem auto;padding:0 1rem;font-family:system-ui,sans-serif">
<h1>Widget preview</h1>
<p>This is how <code>&lt;goalpost-progress campaign="${slug}"&gt;</code> looks on a publisher's page.</p>
<goalpost-progress campaign="${slug}"></goalpost-progress>
</body>
</html>
`;

export function webRouter(logger: Logger): Router {
  const router = Router();
  // Loaded now so the first visitor does not wait (read from dist/web, or bundled under tsx/vitest).
  webBundles().catch((error: unknown) => logger.error({ err: error }, 'could not load the widget and dashboard bundles'));

  const bundle = async (): Promise<WebBundles> => {
    try {
      return await webBundles();
    } catch {
      throw new AppError('service_unavailable', 'The front-end bundles could not be loaded; see the server log.');
    }
  };

  defineRoute(
    router,
    {
      method: 'get',
      path: '/widget.js',
      summary: 'The embeddable progress bar and donate form: <goalpost-progress campaign="slug">',
      tags: ['web'],
      access: 'public',
      responses: { 200: { description: 'JavaScript defining the custom element', contentType: 'text/javascript', schema: z.string() } },
    },
    async ({ req, res }) => {
      res.setHeader('Surrogate-Key', WIDGET_SURROGATE_KEY);
      res.setHeader('Cache-Tag', WIDGET_SURROGATE_KEY);
      send(req, res, (await bundle()).widget, WIDGET_CACHE_CONTROL);
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/widget/demo',
      summary: 'A page showing the widget for one campaign, as a publisher would embed it',
      tags: ['web'],
      access: 'public',
      query: z.object({ campaign: slugSchema }),
      responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: z.string() }, ...problems.badRequest },
    },
    ({ query, res }) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(demoPage(query.campaign));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/admin',
      summary: 'The progress dashboard (sign in with an API key)',
      tags: ['web'],
      access: 'public',
      responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: z.string() } },
    },
    async ({ req, res }) => {
      res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
      send(req, res, (await bundle()).dashboardPage, 'no-cache');
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/admin/dashboard.js',
      summary: "The dashboard's script",
      tags: ['web'],
      access: 'public',
      responses: { 200: { description: 'JavaScript', contentType: 'text/javascript', schema: z.string() } },
    },
    async ({ req, res }) => {
      send(req, res, (await bundle()).dashboardScript, 'no-cache');
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/admin/dashboard.css',
      summary: "The dashboard's stylesheet",
      tags: ['web'],
      access: 'public',
      responses: { 200: { description: 'CSS', contentType: 'text/css', schema: z.string() } },
    },
    async ({ req, res }) => {
      send(req, res, (await bundle()).dashboardStyles, 'no-cache');
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/donor/manage',
      summary: "A monthly donor's manage page (the link in receipts: ?token=…)",
      tags: ['web', 'donor'],
      access: 'public',
      responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: z.string() } },
    },
    async ({ req, res }) => {
      // The same strict policy as the dashboard; the token in the URL never leaves in a Referer.
      res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
      res.setHeader('Referrer-Policy', 'no-referrer');
      send(req, res, (await bundle()).donorPage, 'no-store');
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/donor/manage.js',
      summary: "The manage page's script",
      tags: ['web', 'donor'],
      access: 'public',
      responses: { 200: { description: 'JavaScript', contentType: 'text/javascript', schema: z.string() } },
    },
    async ({ req, res }) => {
      send(req, res, (await bundle()).donorScript, 'no-cache');
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/donor/manage.css',
      summary: "The manage page's stylesheet",
      tags: ['web', 'donor'],
      access: 'public',
      responses: { 200: { description: 'CSS', contentType: 'text/css', schema: z.string() } },
    },
    async ({ req, res }) => {
      send(req, res, (await bundle()).donorStyles, 'no-cache');
    },
  );

  return router;
}
