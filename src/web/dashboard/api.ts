import { problemMessage, type Problem } from '../shared/types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | undefined,
  ) {
    super(problemMessage(problem, `The server answered ${status}.`));
  }
}

/** The admin API with the signed-in key; every call is same-origin. */
export class Api {
  constructor(
    readonly key: string,
    private readonly onUnauthorized: () => void,
  ) {}

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
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
    const headers: Record<string, string> = { Authorization: `Bearer ${this.key}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.ok) return response;
    const problem = (await response.json().catch(() => undefined)) as Partial<Problem> | undefined;
    if (response.status === 401) this.onUnauthorized();
    throw new ApiError(response.status, problem);
  }
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
