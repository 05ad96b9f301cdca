import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { addToThisMonth, openStream, progressOf, type ProgressStream } from '../helpers/progress-stream.js';
import { startTestService, testRedisPrefix, type TestService } from '../helpers/service.js';

describe('live progress over Server-Sent Events', () => {
  let first: TestService;
  let second: TestService;
  const streams: ProgressStream[] = [];
  const open = async (service: TestService, slug: string) => {
    const stream = await openStream(`${service.url}/v1/campaigns/${slug}/progress/stream`);
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
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toContain('no-cache');
    const event = await stream.next((candidate) => candidate.event === 'progress');
    const read = await first.api.get(`/v1/campaigns/${slug}/progress`);
    expect(JSON.parse(event.data)).toEqual(read.body);
    expect(progressOf(event).raised).toBe(12_300);
    stream.close();
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

    held[0]!.close();
    await expect.poll(() => first.ctx.progressHub.size).toBe(2);
    const again = await open(first, slug);
    expect(again.response.status).toBe(200);
    for (const stream of [...held, again]) stream.close();
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
