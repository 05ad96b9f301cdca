import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { addToThisMonth, openStream, progressOf, type ProgressStream, type StreamOptions } from '../helpers/progress-stream.js';
import { startTestService, testRedisPrefix, type TestService } from '../helpers/service.js';

describe('live progress over Server-Sent Events', () => {
  let first: TestService;
  let second: TestService;
  const streams: ProgressStream[] = [];
  const open = async (service: TestService, slug: string, options?: StreamOptions) => {
    const stream = await openStream(`${service.url}/v1/campaigns/${slug}/progress/stream`, options);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    // Two API processes sharing one Redis prefix, as two replicas behind a load balancer.
    const prefix = testRedisPrefix();
    // Heartbeats (which also re-read progress) are far apart, so only the change channel can push.
    first = await startTestService({ REDIS_PREFIX: prefix, SSE_MAX_CONNECTIONS_PER_CLIENT: '3', SSE_HEARTBEAT_MS: '60000' });
    second = await startTestService({ DATABASE_URL: first.config.DATABASE_URL, REDIS_PREFIX: prefix, SSE_MAX_CONNECTIONS_PER_CLIENT: '3', SSE_HEARTBEAT_MS: '60000' });
    await Promise.all([first.ctx.progressHub.start(), second.ctx.progressHub.start()]);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await first?.close();
    await second?.close();
  });

  it('sends the current progress at connect, with the same body as the progress read', async () => {
    const { slug } = await newCampaign(first);
    await addToThisMonth(first, slug, 12_300);
    const stream = await open(first, slug);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.response.headers['cache-control']).toContain('no-cache');
    // Opened by the fast path (the campaign was cached), with the headers the full stack would set.
    expect(stream.response.headers['access-control-allow-origin']).toBe('*');
    expect(stream.response.headers['x-content-type-options']).toBe('nosniff');
    const event = await stream.next((candidate) => candidate.event === 'progress');
    const read = await first.api.get(`/v1/campaigns/${slug}/progress`);
    expect(JSON.parse(event.data)).toEqual(read.body);
    expect(progressOf(event).raised).toBe(12_300);
    stream.close();
  });

  it('opens a stream for a campaign this process has not read yet through the full stack, with its headers, then pushes changes', async () => {
    // Created through the first process: the second has never read it, so the fast path passes it on.
    const { slug } = await newCampaign(first);
    const stream = await open(second, slug, { headers: { 'X-Request-Id': 'stream-through-the-stack' } });
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.response.headers['x-request-id']).toBe('stream-through-the-stack');
    expect(stream.response.headers['access-control-allow-origin']).toBe('*');
    expect(stream.response.headers['content-security-policy']).toBeDefined();
    await stream.next((event) => event.event === 'progress' && progressOf(event).raised === 0);
    await addToThisMonth(first, slug, 7_700);
    await stream.next((event) => event.event === 'progress' && progressOf(event).raised === 7_700);
    stream.close();
    await expect.poll(() => second.ctx.progressHub.size).toBe(0);
  });

  it('answers HEAD with the stream headers and holds no stream for it', async () => {
    const { slug } = await newCampaign(first);
    const response = await first.api.head(`/v1/campaigns/${slug}/progress/stream`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(first.ctx.progressHub.size).toBe(0);
  });

  it('pushes a change committed through one API process to streams held by another', async () => {
    const { slug } = await newCampaign(first);
    // The second process caches the figures before the change…
    expect((await second.api.get(`/v1/campaigns/${slug}/progress`)).body.raised).toBe(0);
    const onSecond = await open(second, slug);
    const onFirst = await open(first, slug);
    await onSecond.next((event) => event.event === 'progress' && progressOf(event).raised === 0);

    await addToThisMonth(first, slug, 150_000);

    const pushed = await onSecond.next((event) => event.event === 'progress' && progressOf(event).raised === 150_000, 1_000);
    expect(progressOf(pushed).next_tier?.remaining).toBe(100_000);
    await onFirst.next((event) => event.event === 'progress' && progressOf(event).raised === 150_000);
    // …and the change message dropped that cache too: its plain read is fresh at once.
    expect((await second.api.get(`/v1/campaigns/${slug}/progress`)).body.raised).toBe(150_000);
    onSecond.close();
    onFirst.close();
  });

  it('keeps quiet streams open with heartbeat comments and sends nothing when nothing changed', async () => {
    const service = await startTestService({ SSE_HEARTBEAT_MS: '200' });
    try {
      const { slug } = await newCampaign(service);
      const stream = await open(service, slug);
      await stream.next((event) => event.event === ':', 2_000);
      await stream.next((event) => event.event === ':' && stream.events.filter((e) => e.event === ':').length >= 3, 2_000);
      expect(stream.events.filter((event) => event.event === 'progress')).toHaveLength(1);
      stream.close();
    } finally {
      await service.close();
    }
  });

  it('refuses more streams per client than configured with 429, and frees the slot on disconnect', async () => {
    const { slug } = await newCampaign(first);
    const held = await Promise.all([open(first, slug), open(first, slug), open(first, slug)]);
    for (const stream of held) expect(stream.response.status).toBe(200);

    const refused = await first.api.get(`/v1/campaigns/${slug}/progress/stream`);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('rate_limited');
    expect(refused.headers['retry-after']).toBeDefined();

    // Another address is another client, with slots of its own.
    const elsewhere = await open(first, slug, { localAddress: '127.0.0.2' });
    expect(elsewhere.response.status).toBe(200);

    held[0]!.close();
    await expect.poll(() => first.ctx.progressHub.size).toBe(3);
    const again = await open(first, slug);
    expect(again.response.status).toBe(200);
    for (const stream of [...held, again, elsewhere]) stream.close();
  });

  it('marks each event with its version, and a reconnect with Last-Event-ID gets nothing it already has', async () => {
    const { slug } = await newCampaign(first);
    const before = await open(first, slug);
    const shown = await before.next((event) => event.event === 'progress');
    expect(shown.id).toMatch(/^[\w-]{10,}$/);
    before.close();

    // The reader comes back holding the current version: no progress event until something changes.
    const resumed = await open(second, slug, { headers: { 'Last-Event-ID': shown.id! } });
    await resumed.next((event) => event.event === 'retry');
    await addToThisMonth(first, slug, 4_200);
    const change = await resumed.next((event) => event.event === 'progress');
    expect(progressOf(change).raised).toBe(4_200);
    expect(resumed.events.filter((event) => event.event === 'progress')).toHaveLength(1);
    expect(change.id).not.toBe(shown.id);

    // A reader that missed the change gets the current figures at once.
    const behind = await open(first, slug, { headers: { 'Last-Event-ID': shown.id! } });
    const caughtUp = await behind.next((event) => event.event === 'progress');
    expect(caughtUp.id).toBe(change.id);
    expect(caughtUp.data).toBe(change.data);
    resumed.close();
    behind.close();
  });

  it('spreads reconnections with a retry hint between 2 and 10 seconds that differs between streams', async () => {
    const { slug } = await newCampaign(first);
    const readers = await Promise.all(Array.from({ length: 12 }, (_, n) => open(first, slug, { localAddress: `127.0.2.${n + 1}` })));
    const hints = await Promise.all(readers.map(async (reader) => Number((await reader.next((event) => event.event === 'retry')).data)));
    for (const hint of hints) expect(hint).toBeGreaterThanOrEqual(2_000);
    for (const hint of hints) expect(hint).toBeLessThanOrEqual(10_000);
    expect(new Set(hints).size).toBeGreaterThan(1);
    for (const reader of readers) reader.close();
  });

  it('refuses streams past the process-wide cap with a 503 problem and Retry-After, whoever asks', async () => {
    const service = await startTestService({ SSE_MAX_STREAMS: '2' });
    try {
      const { slug } = await newCampaign(service);
      const held = [await open(service, slug, { localAddress: '127.0.3.1' }), await open(service, slug, { localAddress: '127.0.3.2' })];
      const refused = await open(service, slug, { localAddress: '127.0.3.3' });
      expect(refused.response.status).toBe(503);
      expect(refused.response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.parse(refused.response.body).code).toBe('service_unavailable');
      expect(Number(refused.response.headers['retry-after'])).toBeGreaterThan(0);

      held[0]!.close();
      await expect.poll(() => service.ctx.progressHub.size).toBe(1);
      expect((await open(service, slug, { localAddress: '127.0.3.3' })).response.status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('ends streams in waves on a drain, refusing new ones meanwhile', async () => {
    const service = await startTestService({ SSE_DRAIN_MS: '1000' });
    try {
      const { slug } = await newCampaign(service);
      const readers = await Promise.all(Array.from({ length: 10 }, () => open(service, slug)));
      await Promise.all(readers.map((reader) => reader.next((event) => event.event === 'progress')));
      const started = Date.now();
      const endedAt: number[] = [];
      for (const reader of readers) void reader.ended.then(() => endedAt.push(Date.now() - started));
      const drained = service.ctx.progressHub.endStreams();
      const refused = await open(service, slug);
      expect(refused.response.status).toBe(503);
      await drained;
      await expect.poll(() => endedAt.length).toBe(10);
      endedAt.sort((a, b) => a - b);
      expect(endedAt[0]).toBeLessThan(300);
      // Ten waves of one stream, 100 ms apart: the last ends most of a second after the first.
      expect(endedAt[9]! - endedAt[0]!).toBeGreaterThanOrEqual(700);
    } finally {
      await service.close();
    }
  });

  it('answers an unknown campaign with a 404 problem instead of a stream', async () => {
    const response = await first.api.get('/v1/campaigns/no-such-campaign/progress/stream');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });

  it('ends open streams when the process drains, so they cannot hold up shutdown', async () => {
    const service = await startTestService();
    const { slug } = await newCampaign(service);
    const stream = await openStream(`${service.url}/v1/campaigns/${slug}/progress/stream`);
    await stream.next((event) => event.event === 'progress');
    const started = Date.now();
    // Timed to the stream's end, not the whole close: dropping the test's database copy (a
    // checkpoint) takes seconds on a busy machine and is no part of the service's drain.
    const closing = service.close();
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(2_000);
    await closing;
  });
});
