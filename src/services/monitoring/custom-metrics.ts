import type { MetricArchive } from '../../core/metric-archive.ts';
import { invalidParameterValue, missingParameter } from './errors.ts';
import { mergeStatistics, sameDimensions, type Dimension, type MetricSeries, type MetricSource, type StatisticSet } from './series.ts';
import { timestampMember } from './statistics.ts';

/** Datapoints older than two weeks are dropped; CloudWatch does not accept them either. */
const RETENTION_SECONDS = 14 * 24 * 60 * 60;

/**
 * Metrics written with PutMetricData, kept in the state directory through
 * the archive. NOTE: palisade keeps two weeks of datapoints at one-second
 * resolution; CloudWatch keeps 15 months, rolled up to coarser periods.
 */
export class CustomMetrics implements MetricSource {
  private readonly all: MetricSeries[];

  constructor(private readonly archive?: MetricArchive) {
    this.all = archive?.load(Math.floor(Date.now() / 1000) - RETENTION_SECONDS) ?? [];
  }

  series(now: number): MetricSeries[] {
    const oldest = Math.floor(now / 1000) - RETENTION_SECONDS;
    for (const one of this.all) for (const second of one.points.keys()) if (second < oldest) one.points.delete(second);
    this.archive?.expire(oldest);
    return this.all.filter((one) => one.points.size > 0);
  }

  /** PutMetricData's MetricData: Value, Values with Counts, or StatisticValues per datum. */
  put(namespace: string, datum: Record<string, any>, now: number): void {
    if (typeof datum?.MetricName !== 'string' || !datum.MetricName) throw missingParameter('MetricName');
    const dimensions = (datum.Dimensions ?? []) as Dimension[];
    const at = datum.Timestamp === undefined ? now : timestampMember(datum, 'Timestamp');
    const second = Math.floor(at / 1000);
    const set = statisticsOf(datum);
    let series = this.all.find((one) => one.Namespace === namespace && one.MetricName === datum.MetricName && sameDimensions(one.Dimensions, dimensions));
    if (!series) {
      series = { Namespace: namespace, MetricName: datum.MetricName, Dimensions: dimensions, Unit: datum.Unit ?? 'None', points: new Map() };
      this.all.push(series);
    }
    series.points.set(second, mergeStatistics(series.points.get(second), set));
    this.archive?.changed(series, second);
  }
}

function statisticsOf(datum: Record<string, any>): StatisticSet {
  if (datum.StatisticValues) return datum.StatisticValues as StatisticSet;
  if (Array.isArray(datum.Values)) {
    const counts: number[] = datum.Counts ?? datum.Values.map(() => 1);
    if (counts.length !== datum.Values.length) throw invalidParameterValue('The parameters Values and Counts must be of the same size.');
    const total = counts.reduce((sum, count) => sum + count, 0);
    return {
      SampleCount: total,
      Sum: datum.Values.reduce((sum: number, value: number, index: number) => sum + value * counts[index], 0),
      Minimum: Math.min(...datum.Values),
      Maximum: Math.max(...datum.Values),
    };
  }
  if (typeof datum.Value !== 'number') throw invalidParameterValue('The parameter MetricData.member.Value is required.');
  return { SampleCount: 1, Sum: datum.Value, Minimum: datum.Value, Maximum: datum.Value };
}
