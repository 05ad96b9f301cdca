import type { ResponseBody } from './api.js';

/** GET /v1/campaigns/:slug/progress (and each live-progress event), as /openapi.json describes it. */
export type Progress = ResponseBody<'/v1/campaigns/{slug}/progress', 'get'>;

/** GET /v1/campaigns/:slug, as /openapi.json describes it (generated, never copied). */
export type PublicCampaign = ResponseBody<'/v1/campaigns/{slug}', 'get'>;

/** RFC 9457 problem details as the API answers them. */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  code: string;
  errors: { field: string; message: string }[];
}

/** The problem's detail and field messages in one sentence for a person. */
export function problemMessage(problem: Partial<Problem> | undefined, fallback: string): string {
  if (!problem?.detail) return fallback;
  const fields = (problem.errors ?? []).map((error) => `${error.field}: ${error.message}`);
  return fields.length ? `${problem.detail} (${fields.join('; ')})` : problem.detail;
}
