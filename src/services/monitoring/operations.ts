import type { RequestContext } from '../../core/service.ts';
import type { CustomMetrics } from './custom-metrics.ts';
import { invalidNextToken, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.ts';
import { sameDimensions, type Dimension, type MetricSeries, type MetricSource } from './series.ts';
import { aggregate, alignedStart, checkPeriod, statisticValue, STATISTICS, timestampMember } from './statistics.ts';

type Input = Record<string, any>;

/** GetMetricStatistics returns at most 1,440 datapoints per call. */
const MAX_DATAPOINTS = 1440;
/** ListMetrics pages hold up to 500 metrics. */
const LIST_PAGE = 500;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

function required(input: Input, member: string): any {
  if (input[member] === undefined || input[member] === null || input[member] === '') throw missingParameter(member);
  return input[member];
}

function timeRange(input: Input): { start: number; end: number } {
  const start = timestampMember(input, 'StartTime');
  const end = timestampMember(input, 'EndTime');
  if (start >= end) throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  return { start, end };
}

export function monitoringOperations(sources: MetricSource[], custom: CustomMetrics) {
  function allSeries(): MetricSeries[] {
    const now = Date.now();
    return sources.flatMap((source) => source.series(now));
  }

  /** The series of one metric: an unknown namespace or metric simply has none, as in CloudWatch. */
  function seriesOf(metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] }, unit?: string): MetricSeries[] {
    return allSeries().filter(
      (one) => one.Namespace === metric.Namespace && one.MetricName === metric.MetricName && sameDimensions(one.Dimensions, metric.Dimensions ?? []) && (unit === undefined || one.Unit === unit),
    );
  }

  return {
    GetMetricStatistics(input: Input, _ctx: RequestContext) {
      const namespace = required(input, 'Namespace');
      const metricName = required(input, 'MetricName');
      const { start, end } = timeRange(input);
      const period = checkPeriod(input.Period);
      const statistics: string[] = input.Statistics ?? [];
      if (statistics.length === 0 && (input.ExtendedStatistics ?? []).length === 0) {
        throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics.');
      }
      statistics.forEach((statistic, index) => {
        if (!STATISTICS.includes(statistic)) throw invalidParameterValue(`The parameter Statistics.member.${index + 1} must be a value in the set [ Maximum, Minimum, Average, Sum, SampleCount ].`);
      });
      // TODO: ExtendedStatistics (percentiles) need raw values; palisade rejects them.
      if ((input.ExtendedStatistics ?? []).length > 0) throw invalidParameterValue('palisade does not compute ExtendedStatistics yet.');
      const requested = Math.ceil((end - alignedStart(start, period)) / (period * 1000));
      if (requested > MAX_DATAPOINTS) {
        throw invalidParameterCombination(`You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
      }
      const series = seriesOf({ Namespace: namespace, MetricName: metricName, Dimensions: input.Dimensions }, input.Unit);
      const unit = input.Unit ?? series[0]?.Unit ?? 'None';
      const datapoints = [...aggregate(series, start, end, period)].map(([at, set]) => ({
        Timestamp: new Date(at),
        ...Object.fromEntries(statistics.map((statistic) => [statistic, statisticValue(set, statistic)])),
        Unit: unit,
      }));
      return { Label: metricName, Datapoints: datapoints };
    },

    GetMetricData(input: Input, _ctx: RequestContext) {
      const queries: Input[] = required(input, 'MetricDataQueries');
      const { start, end } = timeRange(input);
      const descending = (input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
      if (input.NextToken !== undefined) throw invalidNextToken();
      const results = queries.map((query) => {
        if (typeof query.Id !== 'string' || !QUERY_ID.test(query.Id)) throw invalidParameterValue(`The value ${query.Id} for parameter MetricDataQueries.member.Id is invalid.`);
        if (query.Expression !== undefined) {
          // TODO: metric math and Metrics Insights expressions are not evaluated by palisade.
          throw invalidParameterValue('palisade does not evaluate metric math or Metrics Insights expressions yet.');
        }
        const stat = query.MetricStat;
        if (!stat) throw invalidParameterValue(`The parameter MetricDataQueries.member.MetricStat is required for query ${query.Id}.`);
        const metric = stat.Metric ?? {};
        const period = checkPeriod(stat.Period, 'MetricStat.Period');
        const buckets = [...aggregate(seriesOf(metric, stat.Unit), start, end, period)].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
        return {
          query,
          result: {
            Id: query.Id,
            Label: query.Label ?? metric.MetricName,
            Timestamps: buckets.map(([at]) => new Date(at)),
            Values: buckets.map(([, set]) => statisticValue(set, stat.Stat)),
            StatusCode: 'Complete',
            Messages: [],
          },
        };
      });
      return { MetricDataResults: results.filter(({ query }) => query.ReturnData !== false).map(({ result }) => result), Messages: [] };
    },

    ListMetrics(input: Input, _ctx: RequestContext) {
      const filters: { Name: string; Value?: string }[] = input.Dimensions ?? [];
      const recentFrom = input.RecentlyActive === 'PT3H' ? Math.floor(Date.now() / 1000) - 3 * 3600 : undefined;
      if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') throw invalidParameterValue('The parameter RecentlyActive must be PT3H.');
      const metrics = allSeries()
        .filter((one) => input.Namespace === undefined || one.Namespace === input.Namespace)
        .filter((one) => input.MetricName === undefined || one.MetricName === input.MetricName)
        .filter((one) => filters.every((filter) => one.Dimensions.some((dimension) => dimension.Name === filter.Name && (filter.Value === undefined || dimension.Value === filter.Value))))
        .filter((one) => recentFrom === undefined || [...one.points.keys()].some((second) => second >= recentFrom))
        .map((one) => ({ Namespace: one.Namespace, MetricName: one.MetricName, Dimensions: one.Dimensions }));
      const offset = input.NextToken === undefined ? 0 : Number(Buffer.from(String(input.NextToken), 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0 || offset > metrics.length) throw invalidNextToken();
      const next = offset + LIST_PAGE < metrics.length ? Buffer.from(String(offset + LIST_PAGE)).toString('base64url') : undefined;
      return { Metrics: metrics.slice(offset, offset + LIST_PAGE), ...(next ? { NextToken: next } : {}) };
    },

    PutMetricData(input: Input, ctx: RequestContext) {
      const namespace: string = required(input, 'Namespace');
      // Namespaces starting with `AWS/` are reserved for AWS services (PutMetricData, Namespace).
      if (namespace.startsWith('AWS/') && !ctx.internal) throw invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
      const data: Input[] = input.MetricData ?? [];
      if (data.length === 0 && input.EntityMetricData === undefined) throw missingParameter('MetricData');
      const now = Date.now();
      for (const datum of data) custom.put(namespace, datum, now);
      return {};
    },
  };
}
