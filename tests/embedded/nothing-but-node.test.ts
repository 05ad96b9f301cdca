/**
 * Nothing to install but Node: the real entry points with neither DATABASE_URL nor REDIS_URL,
 * on an empty data directory. They run an embedded PostgreSQL, put the queues on it, book a
 * donation through the built-in Stripe emulator, and never connect to the PostgreSQL (5432) or
 * Redis (6379) that do answer on this machine.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../../bench/lib/children.js';
import { killHard, killLeavingServer, processTree, runEntryPoint, stopGracefully, watchConnections, type EntryPoint } from './processes.js';

const ADMIN = { Authorization: 'Bearer nothing-but-node-admin-key' };
const SYSTEM_POSTGRES = 5432;
const SYSTEM_REDIS = 6379;

let dataDir: string;
let outbox: string;
let env: Record<string, string>;
let base: string;
const started: EntryPoint[] = [];

function launch(script: 'start' | 'api' | 'worker', extra: Record<string, string> = {}): EntryPoint {
  const entry = runEntryPoint(script, { ...env, ...extra });
  started.push(entry);
  return entry;
}

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { redirect: 'manual', ...init });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : { text } };
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function raised(slug: string): Promise<number> {
  return (await api(`/v1/campaigns/${slug}/progress`)).body.raised as number;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(200);
  }
}

const receipts = () => (existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith('.eml')) : []);
const postmasterPid = () => join(dataDir, 'postgres', 'postmaster.pid');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'goalpost-data-'));
  // Like a folder made by mkdir (mkdtemp's is private): run as root, the server runs as the
  // user postgres, who must be able to enter it.
  chmodSync(dataDir, 0o755);
  outbox = mkdtempSync(join(tmpdir(), 'goalpost-outbox-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    STRIPE_EMULATOR_PORT: String(await freePort()),
    ADMIN_API_KEY: ADMIN.Authorization.slice('Bearer '.length),
    GOALPOST_DATA_DIR: dataDir,
    RECEIPT_OUTBOX_DIR: outbox,
  };
});

afterAll(async () => {
  for (const entry of started) if (entry.child.exitCode === null) await killHard(entry);
  // A server orphaned by a failed assertion is stopped by its pid file before the folder goes.
  if (existsSync(postmasterPid())) {
    const pid = Number(readFileSync(postmasterPid(), 'utf8').split('\n')[0]);
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
    await sleep(2_000);
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outbox, { recursive: true, force: true });
});

describe('with neither DATABASE_URL nor REDIS_URL', () => {
  const slug = 'support';

  test('npm start on an empty data directory books a donation through the emulator, and never touches 5432 or 6379', async () => {
    const start = launch('start');
    const watch = watchConnections(() => [start]);
    const announced = await start.logged('embedded PostgreSQL running');
    const embeddedUrl = new URL(JSON.parse(announced).url as string);
    await start.logged('Goalpost API listening');

    const campaign = await api('/v1/admin/campaigns', json({
      slug, name: 'Support independent journalism', currency: 'usd', timezone: 'America/New_York',
      goal: { period: 'monthly', amount: 500_000 },
      tiers: [{ amount: 100_000, label: 'Keep the lights on' }],
      amount_presets: [500, 1000, 2500, 5000],
    }));
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const checkout = await api(`/v1/campaigns/${slug}/checkout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 2_500, frequency: 'one_time', email: 'jane@example.org', name: 'Jane Doe' }),
    });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    const pay = await fetch(checkout.body.url as string, { method: 'POST', body: new URLSearchParams({ action: 'pay' }), redirect: 'manual' });
    expect([302, 303]).toContain(pay.status);

    await until('the donation is booked', async () => (await raised(slug)) === 2_500);
    await until('the receipt is written', async () => receipts().length === 1);
    const ready = await api('/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    const board = await api('/admin/queues/api/queues', { headers: ADMIN });
    expect(board.status).toBe(200);

    const ports = await watch.stop();
    // The watcher does see the service's own connections: to the embedded server's port.
    expect(ports).toContain(Number(embeddedUrl.port));
    expect(ports).not.toContain(SYSTEM_POSTGRES);
    expect(ports).not.toContain(SYSTEM_REDIS);

    expect(await stopGracefully(start)).toBe(0);
    // Stopped cleanly: PostgreSQL removes its lock file on a clean shutdown.
    expect(existsSync(postmasterPid())).toBe(false);
  }, 240_000);

  test('npm run worker and npm run api as separate processes share the embedded server, with the data of the last run', async () => {
    const worker = launch('worker');
    await worker.logged('Goalpost workers running');
    const apiProcess = launch('api');
    await apiProcess.logged('using the embedded PostgreSQL another Goalpost process started');
    await apiProcess.logged('Goalpost API listening');
    const watch = watchConnections(() => [worker, apiProcess]);

    expect(await raised(slug)).toBe(2_500);
    // A job through the worker: the admin asks for the receipt again; a copy is mailed.
    const { rows } = { rows: (await api('/v1/admin/donations', { headers: ADMIN })).body.data as { id: string }[] };
    const resend = await api(`/v1/admin/donations/${rows[0]!.id}/receipt`, { method: 'POST', headers: ADMIN });
    expect(resend.status).toBe(202);
    await until('the copy is mailed by the worker', async () => receipts().length === 2);

    const ports = await watch.stop();
    expect(ports).not.toContain(SYSTEM_POSTGRES);
    expect(ports).not.toContain(SYSTEM_REDIS);

    // Both die without a chance to clean up; the server the worker started is left running.
    const serverPid = Number(readFileSync(postmasterPid(), 'utf8').split('\n')[0]);
    expect(processTree(worker.child.pid!)).toContain(serverPid);
    await killHard(apiProcess);
    await killLeavingServer(worker, serverPid);
    expect(() => process.kill(serverPid, 0)).not.toThrow();
  }, 240_000);

  test('the next npm start stops the server a killed run left behind, and recovers a stale lock file, keeping the data', async () => {
    const afterKill = launch('start');
    await afterKill.logged('stopping the embedded PostgreSQL a killed run left behind');
    await afterKill.logged('Goalpost API listening');
    expect(await raised(slug)).toBe(2_500);
    expect(await stopGracefully(afterKill)).toBe(0);

    // A lock file naming a process that no longer exists, as after a power cut.
    writeFileSync(postmasterPid(), `999999\n${join(dataDir, 'postgres')}\n`);
    const afterCrash = launch('start');
    await afterCrash.logged('removing a stale lock (postmaster.pid)');
    await afterCrash.logged('Goalpost API listening');
    expect(await raised(slug)).toBe(2_500);
    expect(await stopGracefully(afterCrash)).toBe(0);
  }, 240_000);
});
