/**
 * The yardstick: a bare Express 5 app whose one handler answers every request with a constant
 * JSON body (the same bytes a progress read returns, when the bench passes them in).
 */
import express from 'express';

const port = Number(process.env.PORT);
const body: unknown = JSON.parse(process.env.BASELINE_BODY ?? '{"status":"ok"}');

const app = express();
app.use((_req, res) => {
  res.json(body);
});
app.listen(port, '127.0.0.1', (error?: Error) => {
  if (error) throw error;
});
