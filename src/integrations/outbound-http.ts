import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from '../domain/ip-ranges.js';

/**
 * Outbound HTTP to addresses an admin typed in (consumer webhooks), guarded against SSRF:
 * only http(s), the host is resolved (A and AAAA) and every address must be public, and the
 * request then connects to exactly the addresses that were checked, so a DNS answer that
 * changes between check and connect (rebinding) cannot reach inside. Redirects are never
 * followed. `allowPrivate` lifts the address check for development and tests.
 */

/** The URL may not be called: wrong scheme, or a host that is (or resolves to) a non-public address. */
export class UnsafeTargetError extends Error {
  override name = 'UnsafeTargetError';
  constructor(
    message: string,
    /** `address` when the host is or resolves to a non-public address; `url` for the URL itself. */
    readonly refused: 'url' | 'address',
  ) {
    super(message);
  }
}

/** The host name does not resolve (at all, or right now). */
export class UnresolvableTargetError extends Error {
  override name = 'UnresolvableTargetError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface CheckedTarget {
  url: URL;
  /** Every address the host resolved to, each checked; the request connects to these only. */
  addresses: LookupAddress[];
}

export type Resolver = (host: string, signal?: AbortSignal) => Promise<LookupAddress[]>;

export interface GuardOptions {
  allowPrivate: boolean;
  signal?: AbortSignal;
  /** How host names are resolved; the system resolver (getaddrinfo) unless a test swaps it. */
  resolve?: Resolver;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

const resolveAll: Resolver = (host, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    // getaddrinfo, like every other client on the machine: /etc/hosts and both families.
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        reject(new UnresolvableTargetError(`${host} does not resolve (${error.code ?? error.message})`, error.code));
      } else if (addresses.length === 0) {
        reject(new UnresolvableTargetError(`${host} does not resolve`, 'ENODATA'));
      } else {
        resolve(addresses);
      }
    });
  });

/** Parses, resolves and checks a webhook URL; throws UnsafeTargetError or UnresolvableTargetError. */
export async function checkTarget(rawUrl: string, options: GuardOptions): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UnsafeTargetError('not a valid URL', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsafeTargetError(`only http and https URLs can receive webhooks, not ${url.protocol.slice(0, -1)}`, 'url');
  }
  const host = hostOf(url);
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await (options.resolve ?? resolveAll)(host, options.signal);
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind !== 'public') {
        const what = address === host ? `${address} is` : `${host} resolves to ${address},`;
        throw new UnsafeTargetError(`${what} a ${kind ?? 'unknown'} address`, 'address');
      }
    }
  }
  return { url, addresses };
}

/** Hands Node's connect the checked addresses instead of asking DNS again. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

export type PostResult =
  | { kind: 'response'; status: number; retryAfter?: string; body: string; latencyMs: number }
  | { kind: 'error'; error: string; latencyMs: number };

/** Reads at most `limit` bytes of the body, then drops the connection. */
function readBounded(response: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) response.destroy();
    });
    response.on('end', done);
    response.on('close', done);
    response.on('error', done);
  });
}

function describeError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `timed out after ${timeoutMs} ms`;
  if (error instanceof UnsafeTargetError) return `refused: ${error.message}`;
  if (error instanceof UnresolvableTargetError) return error.message;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * POSTs a body to a webhook URL with the guard applied (again: the address may have changed
 * since registration). Never throws: a refused target, a DNS failure, a timeout or a broken
 * connection come back as `{kind: 'error'}`; any HTTP answer, 3xx included, as a response.
 */
export async function postGuarded(input: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
  responseLimit: number;
  resolve?: Resolver;
}): Promise<PostResult> {
  const signal = AbortSignal.timeout(input.timeoutMs);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const target = await checkTarget(input.url, { allowPrivate: input.allowPrivate, signal, resolve: input.resolve });
    const client = target.url.protocol === 'https:' ? https : http;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = client.request(target.url, {
        method: 'POST',
        headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
        // A fresh connection per attempt: a pooled socket could outlive the address check.
        agent: false,
        lookup: pinnedLookup(target.addresses),
        signal,
      });
      request.on('response', resolve);
      request.on('error', reject);
      request.end(input.body);
    });
    const body = await readBounded(response, input.responseLimit);
    const retryAfter = response.headers['retry-after'];
    return { kind: 'response', status: response.statusCode ?? 0, retryAfter, body, latencyMs: elapsed() };
  } catch (error) {
    return { kind: 'error', error: describeError(error, signal, input.timeoutMs), latencyMs: elapsed() };
  }
}
