import { problemMessage, type Problem } from '../shared/types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | undefined,
  ) {
    super(problemMessage(problem, `The server answered ${status}.`));
  }
}

/** What POST /v1/admin/sessions and GET /v1/admin/sessions/current answer. */
export interface Session {
  name: string;
  scope: 'read' | 'admin';
  csrf_token: string;
  expires_at: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The admin API as the signed-in session: same-origin calls that carry the HttpOnly session
 * cookie (the page never holds the API key), and the session's CSRF token on every write.
 */
export class Api {
  /** Requests under way, so signing out can let them end with the session they started with. */
  private readonly underWay = new Set<Promise<unknown>>();

  constructor(
    private readonly csrfToken: string,
    private readonly onUnauthorized: () => void,
  ) {}

  /**
   * Resolves once no request is under way (a few rounds: a section may read its next page as
   * one ends). Signing out waits for it, so a read the page started just before does not meet
   * the ended session with a 401.
   */
  async settled(): Promise<void> {
    for (let round = 0; round < 5 && this.underWay.size > 0; round += 1) await Promise.allSettled([...this.underWay]);
  }

  /** Exchanges an API key for a session cookie; the key is not kept anywhere. */
  static async signIn(key: string): Promise<Session> {
    return answer<Session>(await fetch('/v1/admin/sessions', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ key }),
      credentials: 'same-origin',
    }));
  }

  /** The session this browser already has (a reload), or null when there is none. */
  static async currentSession(): Promise<Session | null> {
    const response = await fetch('/v1/admin/sessions/current', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (response.status === 204) return null;
    return answer<Session>(response);
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /**
   * Posts a file as the request body and answers the response unread: the browser streams
   * the File from disk and the caller reads the answer as it arrives, so neither a large
   * upload nor its results are held whole in the page.
   */
  async upload(path: string, file: Blob, contentType: string): Promise<Response> {
    const headers = { Accept: 'application/json', 'Content-Type': contentType, 'X-CSRF-Token': this.csrfToken };
    const response = await fetch(path, { method: 'POST', headers, body: file, credentials: 'same-origin' });
    if (response.ok) return response;
    if (response.status === 401) this.onUnauthorized();
    throw await apiError(response);
  }

  /** A download the browser cannot fetch by itself (it needs the Authorization header). */
  async download(path: string, query: Record<string, string | undefined>, fallbackName: string): Promise<void> {
    const response = await this.send('GET', withQuery(path, query));
    const blob = await response.blob();
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (!SAFE_METHODS.has(method)) headers['X-CSRF-Token'] = this.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const sent = fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    this.underWay.add(sent);
    const response = await sent.finally(() => this.underWay.delete(sent));
    if (response.ok) return response;
    if (response.status === 401) this.onUnauthorized();
    throw await apiError(response);
  }
}

async function apiError(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => undefined)) as Partial<Problem> | undefined;
  return new ApiError(response.status, problem);
}

async function answer<T>(response: Response): Promise<T> {
  if (!response.ok) throw await apiError(response);
  return (await response.json()) as T;
}

export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A section whose API is not on this server (yet) says so instead of failing. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && /No route for/.test(error.problem?.detail ?? '');
}
