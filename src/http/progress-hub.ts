import type { Response } from 'express';
import { Redis } from 'ioredis';
import type { CampaignRow } from '../db/campaigns.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sseConnections } from '../metrics.js';
import { progressChannel } from '../services/progress-events.js';
import type { ProgressReader } from '../services/progress.js';

export interface ProgressHubOptions {
  redisUrl: string;
  redisPrefix: string;
  progress: ProgressReader;
  logger: Logger;
  maxConnectionsPerClient: number;
  /** Comment lines this often keep proxies from closing quiet streams (and re-check progress). */
  heartbeatMs: number;
}

interface LiveStream {
  res: Response;
  slug: string;
  client: string;
  lastEtag: string | null;
}

/** A reader that stops reading gets cut off instead of buffering progress events for ever. */
const MAX_BUFFERED_BYTES = 64 * 1024;
/** How soon an EventSource reconnects after a drop (a deploy drains streams on purpose). */
const RECONNECT_MS = 2_000;

/**
 * Live progress for every open Server-Sent Events stream in this process. Ledger commits are
 * announced on a Redis channel (any process may commit); each API process listens on its own
 * subscriber connection, drops its cached progress and pushes the new figures to its streams.
 * The heartbeat also re-reads progress, which covers a missed message (Redis was away) and the
 * change of month at midnight in the campaign's timezone.
 */
export class ProgressHub {
  private readonly streams = new Map<number, Set<LiveStream>>();
  private readonly perClient = new Map<string, number>();
  private readonly refreshing = new Map<number, Promise<void>>();
  private readonly stale = new Set<number>();
  private subscriber: Redis | null = null;
  private subscribed: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private draining = false;

  constructor(private readonly options: ProgressHubOptions) {}

  /** Subscribes to the change channel once; resolves when Redis confirmed the subscription. */
  start(): Promise<void> {
    if (this.subscribed) return this.subscribed;
    const { redisUrl, redisPrefix, logger } = this.options;
    // A subscribed connection can run no other command, so it is never the shared one.
    const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    let connectedBefore = false;
    subscriber.on('error', (error) => logger.debug({ err: error }, 'progress subscriber connection error'));
    subscriber.on('ready', () => {
      // After a reconnect (ioredis re-subscribes by itself) changes may have been missed.
      if (connectedBefore) this.refreshAll();
      connectedBefore = true;
    });
    subscriber.on('message', (_channel: string, message: string) => {
      const campaignId = Number(message);
      if (Number.isSafeInteger(campaignId) && campaignId > 0) this.changed(campaignId);
    });
    this.subscribed = subscriber.subscribe(progressChannel(redisPrefix)).then(
      () => undefined,
      (error: unknown) => logger.warn({ err: error }, 'could not subscribe to progress changes; streams fall back to the heartbeat'),
    );
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
    return this.subscribed;
  }

  /** Open streams in this process. */
  get size(): number {
    let total = 0;
    for (const set of this.streams.values()) total += set.size;
    return total;
  }

  /**
   * Turns a response into a progress stream: headers, the current figures, then every change
   * until the visitor leaves. One client (IP address) may hold a bounded number of streams.
   */
  async open(campaign: CampaignRow, client: string, res: Response): Promise<void> {
    if (this.draining) throw new AppError('service_unavailable', 'This server is shutting down; reconnect to another.', [], { 'Retry-After': '2' });
    const held = this.perClient.get(client) ?? 0;
    if (held >= this.options.maxConnectionsPerClient) {
      throw new AppError(
        'rate_limited',
        `At most ${this.options.maxConnectionsPerClient} live progress streams per client are allowed; close one first.`,
        [],
        { 'Retry-After': '30' },
      );
    }
    // The slot is taken before the first await so concurrent connects cannot overshoot the cap.
    this.perClient.set(client, held + 1);
    let snapshot;
    try {
      snapshot = await this.options.progress.snapshot(campaign);
    } catch (error) {
      this.release(client);
      throw error;
    }
    if (res.destroyed) return this.release(client);
    const stream: LiveStream = { res, slug: campaign.slug, client, lastEtag: null };
    let campaignStreams = this.streams.get(campaign.id);
    if (!campaignStreams) this.streams.set(campaign.id, (campaignStreams = new Set()));
    campaignStreams.add(stream);
    sseConnections.inc();
    res.on('close', () => this.forget(campaign.id, stream));

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // no-transform: a compressing proxy would otherwise hold events back to fill its buffer.
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: ${RECONNECT_MS}\n\n`);
    this.send(stream, snapshot.etag, snapshot.body);
  }

  /** A campaign's money changed (announced by whichever process committed it). */
  changed(campaignId: number): void {
    this.options.progress.invalidate(campaignId);
    if (this.streams.has(campaignId)) void this.refresh(campaignId);
  }

  /** Ends every stream (their clients reconnect to a live replica); new ones are refused from now on. */
  endStreams(): void {
    this.draining = true;
    for (const [campaignId, set] of this.streams) {
      for (const stream of set) {
        stream.res.end();
        // Closing the socket too keeps a keep-alive connection from holding the server's close.
        stream.res.socket?.end();
        this.forget(campaignId, stream);
      }
    }
  }

  async close(): Promise<void> {
    this.endStreams();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  private forget(campaignId: number, stream: LiveStream): void {
    const set = this.streams.get(campaignId);
    if (!set?.delete(stream)) return;
    sseConnections.dec();
    if (!set.size) this.streams.delete(campaignId);
    this.release(stream.client);
  }

  private release(client: string): void {
    const held = (this.perClient.get(client) ?? 1) - 1;
    if (held > 0) this.perClient.set(client, held);
    else this.perClient.delete(client);
  }

  private send(stream: LiveStream, etag: string, body: string): void {
    if (stream.lastEtag === etag) return;
    stream.lastEtag = etag;
    stream.res.write(`event: progress\ndata: ${body}\n\n`);
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) stream.res.destroy();
  }

  /** One re-read per campaign at a time; changes arriving meanwhile cause exactly one more. */
  private refresh(campaignId: number): Promise<void> {
    const running = this.refreshing.get(campaignId);
    if (running) {
      this.stale.add(campaignId);
      return running;
    }
    const run = this.push(campaignId)
      .catch((error: unknown) => this.options.logger.warn({ err: error, campaignId }, 'could not push progress'))
      .finally(() => {
        this.refreshing.delete(campaignId);
        if (this.stale.delete(campaignId)) void this.refresh(campaignId);
      });
    this.refreshing.set(campaignId, run);
    return run;
  }

  private async push(campaignId: number): Promise<void> {
    const set = this.streams.get(campaignId);
    const first = set?.values().next().value;
    if (!set || !first) return;
    const campaign = await this.options.progress.campaign(first.slug);
    if (!campaign || campaign.status === 'archived') {
      for (const stream of set) stream.res.end();
      return;
    }
    const snapshot = await this.options.progress.snapshot(campaign);
    for (const stream of set) this.send(stream, snapshot.etag, snapshot.body);
  }

  private refreshAll(): void {
    for (const campaignId of this.streams.keys()) this.changed(campaignId);
  }

  private beat(): void {
    for (const [campaignId, set] of this.streams) {
      for (const stream of set) stream.res.write(': heartbeat\n\n');
      void this.refresh(campaignId);
    }
  }
}
