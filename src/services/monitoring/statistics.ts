import { invalidParameterValue, missingParameter } from './errors.ts';
import { mergeStatistics, type MetricSeries, type StatisticSet } from './series.ts';

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

/** Read a timestamp member: epoch seconds from the JSON protocol, or a Date or ISO text from an in-process caller. */
export function timestampMember(input: Record<string, any>, member: string): number {
  const value = input[member];
  if (value === undefined || value === null) throw missingParameter(member);
  let millis: number;
  if (value instanceof Date) millis = value.getTime();
  else if (typeof value === 'number') millis = value * 1000;
  else millis = Date.parse(String(value));
  if (!Number.isFinite(millis)) throw invalidParameterValue(`The parameter ${member} must be a timestamp.`);
  return millis;
}

/**
 * Period in seconds: 1, 5, 10, 30 or a multiple of 60 ("GetMetricStatistics",
 * Period: high-resolution periods below 60 seconds, otherwise multiples of 60).
 */
export function checkPeriod(period: unknown, member = 'Period'): number {
  if (period === undefined || period === null) throw missingParameter(member);
  if (!Number.isInteger(period) || (period as number) < 1) throw invalidParameterValue(`The parameter ${member} must be greater than 0.`);
  const seconds = period as number;
  if (seconds < 60 ? ![1, 5, 10, 30].includes(seconds) : seconds % 60 !== 0) {
    throw invalidParameterValue(`The parameter ${member} must be 1, 5, 10, 30, or a multiple of 60.`);
  }
  return seconds;
}

/**
 * CloudWatch rounds a start time within the last 15 days down to the whole
 * minute for periods of a minute or more ("GetMetricStatistics", StartTime);
 * buckets then run Period seconds from there.
 */
export function alignedStart(startMs: number, period: number): number {
  const unit = period >= 60 ? 60_000 : period * 1000;
  return Math.floor(startMs / unit) * unit;
}

/** Statistics of the matching series per period bucket (bucket start in epoch ms), only buckets with data. */
export function aggregate(series: MetricSeries[], startMs: number, endMs: number, period: number): Map<number, StatisticSet> {
  const start = alignedStart(startMs, period);
  const buckets = new Map<number, StatisticSet>();
  for (const one of series) {
    for (const [second, point] of one.points) {
      const at = second * 1000;
      if (at < start || at >= endMs) continue;
      const bucket = start + Math.floor((at - start) / (period * 1000)) * period * 1000;
      buckets.set(bucket, mergeStatistics(buckets.get(bucket), point));
    }
  }
  return buckets;
}

export function statisticValue(set: StatisticSet, statistic: string): number {
  switch (statistic) {
    case 'SampleCount':
      return set.SampleCount;
    case 'Sum':
      return set.Sum;
    case 'Average':
      return set.Sum / set.SampleCount;
    case 'Minimum':
      return set.Minimum;
    case 'Maximum':
      return set.Maximum;
    default:
      // TODO: percentiles and other extended statistics need raw values; palisade keeps per-second statistic sets only.
      throw invalidParameterValue(`palisade does not compute the statistic ${statistic} yet; use SampleCount, Average, Sum, Minimum or Maximum.`);
  }
}
