import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { ProfileSummary } from './profile.js';

/** `ratio_within`: value and baseline at most `limit` times apart, whichever is larger. */
export type Comparison = 'ratio_at_least' | 'ratio_at_most' | 'ratio_within' | 'value_at_most' | 'value_at_least';

/** One line of the results table. `ratio` is value / baseline whenever there is a baseline. */
export interface Metric {
  scenario: string;
  metric: string;
  unit: string;
  value: number;
  baseline?: number;
  baselineLabel?: string;
  ratio?: number;
  target?: { compare: Comparison; limit: number };
  pass?: boolean;
  note?: string;
}

export interface MetricInput {
  scenario: string;
  metric: string;
  unit: string;
  value: number;
  baseline?: number;
  /** When measured pairwise (median of per-round ratios); otherwise value / baseline. */
  ratio?: number;
  baselineLabel?: string;
  target?: { compare: Comparison; limit: number };
  note?: string;
}

export function metric(input: MetricInput): Metric {
  const ratio = input.ratio ?? (input.baseline ? input.value / input.baseline : undefined);
  const target = input.target;
  let pass: boolean | undefined;
  if (target) {
    let subject = target.compare.startsWith('ratio') ? ratio : input.value;
    if (subject !== undefined && target.compare === 'ratio_within') subject = Math.max(subject, 1 / subject);
    if (subject === undefined || !Number.isFinite(subject)) pass = false;
    else pass = target.compare.endsWith('at_least') ? subject >= target.limit : subject <= target.limit;
  }
  return { ...input, ratio, pass };
}

/** A scenario that could not finish (its reason); the run goes on with the next one. */
export interface Failure {
  scenario: string;
  reason: string;
}

export interface BenchReport {
  started_at: string;
  finished_at: string;
  machine: { cpus: number; cpu_model: string; memory_mb: number; node: string; platform: string };
  settings: Record<string, number | string>;
  metrics: Metric[];
  failures: Failure[];
  cpu_profiles?: { directory: string; share_of_busy_time: Record<string, ProfileSummary> };
}

export function machineInfo(): BenchReport['machine'] {
  const list = cpus();
  return {
    cpus: list.length,
    cpu_model: list[0]?.model ?? 'unknown',
    memory_mb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

function formatNumber(value: number | undefined, unit = ''): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

function formatTarget(metric: Metric): string {
  const target = metric.target;
  if (!target) return '—';
  if (target.compare === 'ratio_within') return `within ${target.limit}×`;
  const sign = target.compare.endsWith('at_least') ? '≥' : '≤';
  return target.compare.startsWith('ratio') ? `${sign} ${target.limit}×` : `${sign} ${formatNumber(target.limit, metric.unit)}`;
}

function verdict(metric: Metric): string {
  if (metric.pass === undefined) return '';
  return metric.pass ? 'pass' : 'FAIL';
}

/** The results as a plain-text table (also valid Markdown). */
export function formatTable(metrics: Metric[]): string {
  const header = ['scenario', 'metric', 'value', 'baseline', 'ratio', 'target', 'result'];
  const rows = metrics.map((m) => [
    m.scenario,
    m.metric,
    formatNumber(m.value, m.unit),
    m.baseline === undefined ? '—' : `${formatNumber(m.baseline, m.unit)}${m.baselineLabel ? ` (${m.baselineLabel})` : ''}`,
    m.ratio === undefined ? '—' : `${formatNumber(m.ratio)}×`,
    formatTarget(m),
    verdict(m),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export async function writeReport(path: string, report: BenchReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
}
