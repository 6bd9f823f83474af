import type { Dimension, MetricSeries, StatisticSet } from '../../core/metrics.ts';

export type { Dimension, MetricSeries, StatisticSet };

/** Where series come from: a service publishing its own namespace, or PutMetricData. */
export interface MetricSource {
  series(now: number): MetricSeries[];
}

/** Same metric: same namespace, name and dimension set (dimension order does not matter, as in CloudWatch). */
export function sameDimensions(a: Dimension[], b: Dimension[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((dimension) => b.some((other) => other.Name === dimension.Name && other.Value === dimension.Value));
}

export function mergeStatistics(into: StatisticSet | undefined, point: StatisticSet): StatisticSet {
  if (!into) return { ...point };
  return {
    SampleCount: into.SampleCount + point.SampleCount,
    Sum: into.Sum + point.Sum,
    Minimum: Math.min(into.Minimum, point.Minimum),
    Maximum: Math.max(into.Maximum, point.Maximum),
  };
}
