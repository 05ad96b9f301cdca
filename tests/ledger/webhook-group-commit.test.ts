import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';
import { postEvent, settled, stripeEvent, uid } from './support.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

const storedIds = async (ids: string[]) =>
  (await service.ctx.db.query<{ id: string }>('SELECT id FROM stripe_events WHERE id = ANY($1)', [ids])).rows.map((row) => row.id);

describe('webhook ingest under concurrent deliveries (group commit)', () => {
  it('stores every one of many simultaneous deliveries exactly once, and wakes a worker for them with a few jobs', async () => {
    const events = Array.from({ length: 60 }, () => stripeEvent('customer.created', { id: uid('cus'), object: 'customer' }));
    const deliveries = [...events, ...events.slice(0, 10)];
    const responses = await Promise.all(deliveries.map((event) => postEvent(service, event)));
    expect(responses.map((response) => response.status)).toEqual(deliveries.map(() => 200));
    expect((await storedIds(events.map((event) => event.id))).sort()).toEqual(events.map((event) => event.id).sort());
    // A few wake-ups, not one job per event: the worker claims the events from the table. They
    // are sent after the commits, not before the answers, so they are waited for here.
    const wakeUps = () => service.ctx.queues.queue('stripe-events').getJobCountByTypes('waiting', 'prioritized', 'active');
    await expect.poll(wakeUps).toBeGreaterThanOrEqual(1);
    expect(await wakeUps()).toBeLessThan(events.length);
    service.startWorkers();
    const statuses = await settled(service, events.map((event) => event.id));
    expect([...statuses.values()]).toEqual(events.map(() => 'ignored'));
  });

  it('wakes workers at most once per 20 ms however many deliveries are stored one after another', async () => {
    const queue = service.ctx.queues.queue('stripe-events');
    const jobCount = () => queue.getJobCountByTypes('waiting', 'prioritized', 'active', 'completed');
    const before = await jobCount();
    const events = Array.from({ length: 40 }, () => stripeEvent('customer.created', { id: uid('cus'), object: 'customer' }));
    const startedAt = Date.now();
    // One at a time: each delivery is a batch of its own, committed after the previous answer.
    for (const event of events) expect((await postEvent(service, event)).status).toBe(200);
    const elapsedMs = Date.now() - startedAt;
    // The last commit's wake-up may come after one more pause.
    await new Promise((resolve) => setTimeout(resolve, 60));
    const woken = (await jobCount()) - before;
    expect(woken).toBeGreaterThanOrEqual(1);
    expect(woken).toBeLessThanOrEqual(Math.ceil(elapsedMs / 20) + 2);
    expect(woken).toBeLessThan(events.length);
  });

  it('refuses only the delivery the database cannot store, not the ones batched with it', async () => {
    const good = Array.from({ length: 5 }, () => stripeEvent('customer.created', { id: uid('cus'), object: 'customer' }));
    // PostgreSQL's text has no NUL character: this body is signed correctly but cannot be stored.
    const bad = stripeEvent('customer.created', { id: uid('cus'), object: 'customer', name: 'nul \u0000 here' });
    const responses = await Promise.all([...good, bad].map((event) => postEvent(service, event)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 400]);
    expect(responses[5]!.body.code).toBe('validation_failed');
    expect((await storedIds([...good, bad].map((event) => event.id))).sort()).toEqual(good.map((event) => event.id).sort());
  });
});
