import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CampaignRow } from '../db/campaigns.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { performance } from 'node:perf_hooks';
import { sseConnections, sseFanOutDuration } from '../metrics.js';
import type { ProgressChangeFeed } from '../services/progress-events.js';
import type { ProgressReader, ProgressSnapshot } from '../services/progress.js';
import { streamHeaderBlock, takeConnection } from './stream-connection.js';

export interface ProgressHubOptions {
  /** Cross-process change announcements: Redis pub/sub or PostgreSQL LISTEN/NOTIFY. */
  changes: ProgressChangeFeed;
  progress: ProgressReader;
  logger: Logger;
  /** Streams one client (an IPv4 address, an IPv6 /64; see domain/client-key) may hold. */
  maxConnectionsPerClient: number;
  /** Streams this process holds at most, from every client together. */
  maxStreams: number;
  /** Comment lines this often keep proxies from closing quiet streams (and re-check progress). */
  heartbeatMs: number;
  /** A drain ends the streams in waves spread over this long, so their readers do not all reconnect at once. */
  drainMs: number;
  /** A drain ends one wave of the streams this often. */
  drainWaveMs: number;
  /**
   * The `retry:` hint (how soon an EventSource reconnects after a drop) is drawn between these, in
   * 500 ms steps, so the readers of a replica that restarts do not all come back in the same second.
   */
  retryMinMs: number;
  retryMaxMs: number;
}

/** What opening a stream needs besides the campaign: who asks, where to write, what they already have. */
export interface StreamRequest {
  /** The per-client cap's key (domain/client-key). */
  client: string;
  req: IncomingMessage;
  /** Its connection becomes the stream's (see takeConnection); refusals are answered on it as usual. */
  res: ServerResponse;
  /** Last-Event-ID of a reconnecting EventSource: the version it already shows. */
  lastEventId?: string;
  /**
   * The stream's header lines (streamHeaderBlock), when the caller built them once for all; by
   * default, those already set on the response (security, CORS, request id) and the event-stream ones.
   */
  headerBlock?: Buffer;
}

/**
 * Everything the readers of one campaign share. Every reader of a channel holds the same
 * version, so the event is built once per change and the same bytes go to all of them.
 */
interface Channel {
  slug: string;
  readers: Set<Socket>;
  version: string;
  /** `id:`, `event:` and `data:` of that version. */
  frame: Buffer;
}

export const STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: a compressing proxy would otherwise hold events back to fill its buffer.
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

/**
 * A reader that stops reading gets cut off instead of buffering progress events for ever: once the
 * kernel's send buffer for it is full, this much more may wait in the process.
 */
const MAX_BUFFERED_BYTES = 64 * 1024;
const HEARTBEAT = Buffer.from(': heartbeat\n\n');
/**
 * The heartbeat timer ticks this many times per heartbeat interval and each tick writes to one
 * slice of the streams: 10,000 writes in one tick would hold up every other request for as long.
 */
const HEARTBEAT_SLICES = 15;
const RETRY_STEP_MS = 500;

/** The `retry:` frames a stream's hint is picked from, made once: retryMinMs to retryMaxMs in 500 ms steps. */
function retryFrames({ retryMinMs, retryMaxMs }: Pick<ProgressHubOptions, 'retryMinMs' | 'retryMaxMs'>): Buffer[] {
  const steps = Math.floor((retryMaxMs - retryMinMs) / RETRY_STEP_MS) + 1;
  return Array.from({ length: steps }, (_, step) => Buffer.from(`retry: ${retryMinMs + step * RETRY_STEP_MS}\n\n`));
}

function pick<T>(choices: readonly T[]): T {
  return choices[Math.floor(Math.random() * choices.length)]!;
}

/** The id an event carries: the strong ETag's hash, the same on every replica for the same figures. */
export function progressVersion(snapshot: ProgressSnapshot): string {
  return snapshot.etag.slice(1, -1);
}

function progressFrame(snapshot: ProgressSnapshot): Buffer {
  return Buffer.from(`id: ${progressVersion(snapshot)}\nevent: progress\ndata: ${snapshot.body}\n\n`);
}

/**
 * Live progress for every open Server-Sent Events stream in this process. Ledger commits are
 * announced on the change feed (any process may commit); each API process listens on its own
 * connection, drops its cached progress and pushes the new figures to its streams.
 * The heartbeat also re-reads progress, which covers a missed message (the feed was away) and the
 * change of month at midnight in the campaign's timezone.
 *
 * A stream costs its socket and little else: the connection is taken out of Node's HTTP server
 * once the stream is admitted (no request, response or parser is kept), one heartbeat timer
 * serves them all, a campaign's event is serialized once per change and written as is to every
 * reader, and the only per-stream state is its entry in its channel's set and the close
 * listener that removes it.
 */
export class ProgressHub {
  private readonly channels = new Map<number, Channel>();
  private readonly perClient = new Map<string, number>();
  private readonly refreshing = new Map<number, Promise<void>>();
  private readonly stale = new Set<number>();
  private held = 0;
  private subscribed: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private heartbeatSlice = 0;
  private drainTimer: NodeJS.Timeout | null = null;
  private draining = false;

  private readonly retryFrames: Buffer[];

  constructor(private readonly options: ProgressHubOptions) {
    this.retryFrames = retryFrames(options);
  }

  /** Subscribes to the change feed once; resolves when it is listening. */
  start(): Promise<void> {
    if (this.subscribed) return this.subscribed;
    this.subscribed = this.options.changes.subscribe({
      onChange: (campaignId) => this.changed(campaignId),
      // Changes may have been missed while the feed's connection was away.
      onResume: () => this.refreshAll(),
    });
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs / HEARTBEAT_SLICES);
    this.heartbeat.unref();
    return this.subscribed;
  }

  /** Streams held in this process (open, or admitted and about to open). */
  get size(): number {
    return this.held;
  }

  /**
   * Turns a response into a progress stream: headers, a `retry:` hint, the current figures
   * unless the reader already has them (Last-Event-ID), then every change until the reader
   * leaves. Refused with 429 past the per-client cap and 503 past this process's cap.
   */
  async open(campaign: CampaignRow, request: StreamRequest): Promise<void> {
    const { client, req, res } = request;
    this.admit(client);
    let snapshot: ProgressSnapshot;
    try {
      snapshot = await this.options.progress.snapshot(campaign);
    } catch (error) {
      this.release(client);
      throw error;
    }
    if (res.destroyed) return this.release(client);
    // After the await: the connection is taken once Node's parser is done with it.
    const socket = takeConnection(req, res, request.headerBlock ?? streamHeaderBlock({ ...res.getHeaders(), ...STREAM_HEADERS }));
    if (!socket) {
      this.release(client);
      throw new AppError('service_unavailable', 'A live progress stream needs a connection of its own; open it on a new connection.', [], { 'Retry-After': '1' });
    }
    const channel = this.channelFor(campaign, snapshot);
    this.hold(channel, campaign.id, socket, client);
    socket.write(pick(this.retryFrames));
    // A reconnecting reader that already shows this version gets nothing twice.
    if (request.lastEventId !== channel.version) this.write(socket, channel.frame);
  }

  /** A campaign's money changed (announced by whichever process committed it). */
  changed(campaignId: number): void {
    this.options.progress.invalidate(campaignId);
    if (this.channels.has(campaignId)) void this.refresh(campaignId);
  }

  /**
   * Ends every stream, in waves over `drainMs` (their readers reconnect to a live replica after
   * their jittered `retry:`); new ones are refused from now on. Resolves when the last wave ended.
   */
  endStreams(): Promise<void> {
    this.draining = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    const readers = [...this.channels.values()].flatMap((channel) => [...channel.readers]);
    const perWave = Math.ceil(readers.length / Math.max(1, Math.floor(this.options.drainMs / this.options.drainWaveMs)));
    return new Promise((resolve) => {
      let ended = 0;
      const wave = () => {
        for (const socket of readers.slice(ended, (ended += perWave))) endStream(socket);
        this.drainTimer = ended < readers.length ? setTimeout(wave, this.options.drainWaveMs) : null;
        if (!this.drainTimer) resolve();
      };
      wave();
    });
  }

  async close(): Promise<void> {
    this.draining = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
    for (const channel of this.channels.values()) for (const socket of channel.readers) endStream(socket);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.options.changes.close();
  }

  /** Takes a slot for a client before the first await, so concurrent connects cannot overshoot a cap. */
  private admit(client: string): void {
    const { maxStreams, maxConnectionsPerClient } = this.options;
    if (this.draining) throw new AppError('service_unavailable', 'This server is shutting down; reconnect to another.', [], { 'Retry-After': '2' });
    if (this.held >= maxStreams) {
      throw new AppError(
        'service_unavailable',
        'This server holds as many live progress streams as it can; try again shortly or read the progress instead.',
        [],
        { 'Retry-After': String(5 + Math.floor(Math.random() * 25)) },
      );
    }
    const held = this.perClient.get(client) ?? 0;
    if (held >= maxConnectionsPerClient) {
      throw new AppError('rate_limited', `At most ${maxConnectionsPerClient} live progress streams per client are allowed; close one first.`, [], {
        'Retry-After': '30',
      });
    }
    this.perClient.set(client, held + 1);
    this.held += 1;
  }

  private release(client: string): void {
    this.held -= 1;
    const held = (this.perClient.get(client) ?? 1) - 1;
    if (held > 0) this.perClient.set(client, held);
    else this.perClient.delete(client);
  }

  /**
   * The campaign's channel, made current: figures newer than what its readers hold (this
   * process's cache never holds figures older than the last change it heard of) go to all of them.
   */
  private channelFor(campaign: CampaignRow, snapshot: ProgressSnapshot): Channel {
    const channel = this.channels.get(campaign.id);
    if (!channel) {
      const created = { slug: campaign.slug, readers: new Set<Socket>(), version: progressVersion(snapshot), frame: progressFrame(snapshot) };
      this.channels.set(campaign.id, created);
      return created;
    }
    this.broadcast(channel, snapshot);
    return channel;
  }

  /** Its own function, so the close listener's closure holds these four values and not the request. */
  private hold(channel: Channel, campaignId: number, socket: Socket, client: string): void {
    channel.readers.add(socket);
    sseConnections.inc();
    socket.once('close', () => this.forget(campaignId, socket, client));
  }

  private forget(campaignId: number, socket: Socket, client: string): void {
    const channel = this.channels.get(campaignId);
    if (!channel?.readers.delete(socket)) return;
    sseConnections.dec();
    if (!channel.readers.size) this.channels.delete(campaignId);
    this.release(client);
  }

  /** Sends the figures to the channel's readers unless they already have them; says whether it did. */
  private broadcast(channel: Channel, snapshot: ProgressSnapshot): boolean {
    const version = progressVersion(snapshot);
    if (version === channel.version) return false;
    channel.version = version;
    channel.frame = progressFrame(snapshot);
    for (const socket of channel.readers) this.write(socket, channel.frame);
    return true;
  }

  private write(socket: Socket, chunk: Buffer): void {
    socket.write(chunk);
    if (socket.writableLength > MAX_BUFFERED_BYTES) socket.destroy();
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
    const channel = this.channels.get(campaignId);
    if (!channel) return;
    const started = performance.now();
    const campaign = await this.options.progress.campaign(channel.slug);
    if (!campaign || campaign.status === 'archived') {
      for (const socket of channel.readers) endStream(socket);
      return;
    }
    const snapshot = await this.options.progress.snapshot(campaign);
    const read = performance.now();
    // Only pushes that sent something are timed: most heartbeat re-reads find nothing new.
    if (!this.broadcast(channel, snapshot)) return;
    sseFanOutDuration.observe({ phase: 'read' }, (read - started) / 1000);
    sseFanOutDuration.observe({ phase: 'write' }, (performance.now() - read) / 1000);
  }

  private refreshAll(): void {
    for (const campaignId of this.channels.keys()) this.changed(campaignId);
  }

  /**
   * One tick: a heartbeat to every HEARTBEAT_SLICES-th stream (by its place among them all, so
   * each gets one per interval), and once per interval a re-read of every campaign.
   */
  private beat(): void {
    const slice = this.heartbeatSlice;
    this.heartbeatSlice = (slice + 1) % HEARTBEAT_SLICES;
    let place = 0;
    for (const [campaignId, channel] of this.channels) {
      for (const socket of channel.readers) if (place++ % HEARTBEAT_SLICES === slice) this.write(socket, HEARTBEAT);
      if (slice === 0) void this.refresh(campaignId);
    }
  }
}

/**
 * Closes the connection once what was written is flushed, without waiting for the reader's side
 * (a slow reader must not hold up the server's close); the reader sees the stream end.
 */
function endStream(socket: Socket): void {
  socket.destroySoon();
}
