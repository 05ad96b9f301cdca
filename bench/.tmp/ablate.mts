import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { pino } from 'pino';
import { randomUUID } from 'node:crypto';
const variant = process.argv[2]!;
const body = '{"campaign":"probe","period":{"type":"monthly","key":"2026-11","label":"NOVEMBER 2026","starts_at":"2026-11-01T04:00:00.000Z","ends_at":"2026-12-01T05:00:00.000Z"},"currency":"usd","goal":500000,"raised":0,"percent":0,"donations_count":0,"donors_count":0,"tiers":[{"amount":100000,"label":"a","reached":false,"reached_at":null}],"next_tier":{"amount":100000,"label":"a","remaining":100000},"updated_at":"2026-11-25T00:45:28.479Z"}';
const app = express();
app.disable('x-powered-by'); app.set('etag', false);
const v = new Set(variant.split('+'));
if (v.has('rid')) app.use((req, res, next) => { const id = randomUUID(); req.headers['x-request-id'] = id; res.setHeader('X-Request-Id', id); next(); });
if (v.has('pino')) app.use(pinoHttp({ logger: pino({ level: 'warn' }), genReqId: (req) => req.headers['x-request-id'] as string }));
if (v.has('helmet')) app.use(helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } }));
if (v.has('cors')) app.use((req, res, next) => { for (const [k, val] of [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'GET, POST, OPTIONS'], ['Access-Control-Allow-Headers', 'Content-Type, Idempotency-Key, If-None-Match'], ['Access-Control-Expose-Headers', 'ETag, X-Request-Id, Retry-After'], ['Access-Control-Max-Age', '600']]) res.setHeader(k!, val!); next(); });
if (v.has('parsers')) { app.use(express.json()); app.use(express.urlencoded({ extended: false })); }
if (v.has('routers')) for (let i = 0; i < 8; i++) { const r = express.Router(); r.get(`/other${i}/:x`, (_q, s) => s.end()); r.post(`/v1/x${i}/:y`, (_q, s) => s.end()); app.use(r); }
app.get('/v1/campaigns/:slug/progress', (req, res) => { res.setHeader('ETag', '"abc"'); res.setHeader('Cache-Control', 'public, max-age=5'); res.status(200).type('application/json').send(body); });
app.listen(Number(process.env.PORT), '127.0.0.1');
