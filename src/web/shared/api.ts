import type { paths } from './api-types.js';

type Method = 'get' | 'post' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/**
 * The JSON body `path` answers `method` with (status 200 unless said), as /openapi.json
 * describes it: the browser's wire types are generated (api-types.d.ts), never copied.
 */
export type ResponseBody<P extends keyof paths, M extends Method, S extends number = 200> = paths[P][M] extends {
  responses: infer R;
}
  ? S extends keyof R
    ? JsonOf<R[S]>
    : never
  : never;

/** One row of a listed page. */
export type Row<P extends keyof paths> = ResponseBody<P, 'get'> extends { data: (infer T)[] } ? T : never;
