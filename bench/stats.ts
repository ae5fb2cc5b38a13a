/** The numbers a bench case reports: percentiles of its runs and whether its target was met. */

export interface Case {
  name: string
  unit: 'ms' | 'MB'
  p50: number
  p95: number
  runs: number
  /** The baseline's p50 (the same work done the plain way), where the case has one. */
  baseline_p50?: number
  target: string
  /** Undefined in smoke mode: smoke runs check that the code paths work, not the figures. */
  met?: boolean
  /** Figures that explain the case (sizes, counts, per-step times). */
  details?: Record<string, number | string>
}

/** Nearest-rank percentile (p in 0..100) of the samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const s = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * s.length)
  return s[Math.min(s.length, Math.max(1, rank)) - 1]!
}

export const round = (x: number): number => Math.round(x * 100) / 100

export function summarise(
  name: string,
  samples: readonly number[],
  target: string,
  met: (s: { p50: number; p95: number }) => boolean,
  extra: { unit?: 'ms' | 'MB'; baseline?: readonly number[]; details?: Case['details']; smoke?: boolean } = {},
): Case {
  const p50 = round(percentile(samples, 50))
  const p95 = round(percentile(samples, 95))
  return {
    name,
    unit: extra.unit ?? 'ms',
    p50,
    p95,
    runs: samples.length,
    ...(extra.baseline ? { baseline_p50: round(percentile(extra.baseline, 50)) } : {}),
    target,
    ...(extra.smoke ? {} : { met: met({ p50, p95 }) }),
    ...(extra.details ? { details: extra.details } : {}),
  }
}
