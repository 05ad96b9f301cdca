import type { FeeSchedule } from '../../domain/fees.js';
import type { Progress } from '../../domain/progress.js';

export type { Progress };

/** GET /v1/campaigns/:slug */
export interface PublicCampaign {
  slug: string;
  name: string;
  description: string;
  currency: string;
  goal: { period: 'monthly' | 'total'; amount: number };
  tiers: { amount: number; label: string; description: string }[];
  amount_presets: number[];
  min_amount: number;
  max_amount: number;
  status: 'active' | 'paused' | 'archived';
  /** What a checkout's cover_fees grosses up by. */
  fees: FeeSchedule;
  progress: Progress;
}

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
