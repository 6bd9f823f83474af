import { parseArn } from '../../core/arn.ts';
import type { WafAction } from '../../core/seams.ts';
import type { Evaluation } from './engine/evaluate.ts';
import type { WebAclDefinition } from './engine/types.ts';
import type { MetricArchive } from '../../core/metric-archive.ts';
import type { Dimension, MetricSeries } from '../../core/metrics.ts';

/** CloudWatch namespace of AWS WAF's metrics (AWS WAF Developer Guide, "AWS WAF metrics and dimensions"). */
export const WAF_NAMESPACE = 'AWS/WAFV2';
/** Datapoints older than this are dropped; CloudWatch keeps one-minute data for 15 days. */
const RETENTION_SECONDS = 15 * 24 * 60 * 60;

export const METRIC_FOR_ACTION: Record<WafAction, string> = {
  ALLOW: 'AllowedRequests',
  BLOCK: 'BlockedRequests',
  COUNT: 'CountedRequests',
  CAPTCHA: 'CaptchaRequests',
  CHALLENGE: 'ChallengeRequests',
};

/**
 * The CloudWatch metrics AWS WAF publishes for a web ACL: per rule metric
 * name, `ALL` for every request the web ACL evaluated, and the web ACL's own
 * metric name for requests its default action decided. Dimensions are
 * WebACL, Rule and Region; Region is absent for CLOUDFRONT web ACLs
 * ("AWS WAF metrics and dimensions"). Only rules and web ACLs with
 * CloudWatchMetricsEnabled publish.
 */
export class WafMetrics {
  private readonly series = new Map<string, MetricSeries>();

  /** With an archive, datapoints of earlier runs are read back and new ones are kept. */
  constructor(private readonly archive?: MetricArchive) {
    const oldest = Math.floor(Date.now() / 1000) - RETENTION_SECONDS;
    for (const series of archive?.load(oldest) ?? []) this.series.set(seriesKey(series.MetricName, series.Dimensions), series);
  }

  record(acl: WebAclDefinition, evaluation: Evaluation, now: number): void {
    const second = Math.floor(now / 1000);
    const base = baseDimensions(acl);
    if (acl.VisibilityConfig.CloudWatchMetricsEnabled) {
      this.add(base, 'ALL', METRIC_FOR_ACTION[evaluation.action], second);
      if (evaluation.terminatingRuleId === 'Default_Action') this.add(base, acl.VisibilityConfig.MetricName, METRIC_FOR_ACTION[evaluation.action], second);
    }
    for (const match of evaluation.matches) {
      const rule = acl.Rules.find((candidate) => candidate.Name === match.ruleName);
      if (rule && !rule.VisibilityConfig.CloudWatchMetricsEnabled) continue;
      this.add(base, match.metricName, METRIC_FOR_ACTION[match.action], second);
    }
  }

  /** Every series with at least one datapoint, oldest datapoints beyond retention dropped. */
  all(now = Date.now()): MetricSeries[] {
    const oldest = Math.floor(now / 1000) - RETENTION_SECONDS;
    for (const [key, series] of this.series) {
      for (const second of series.points.keys()) if (second < oldest) series.points.delete(second);
      if (series.points.size === 0) this.series.delete(key);
    }
    this.archive?.expire(oldest);
    return [...this.series.values()];
  }

  private add(base: Dimension[], rule: string, metricName: string, second: number): void {
    const dimensions = [{ Name: 'Rule', Value: rule }, ...base];
    const key = seriesKey(metricName, dimensions);
    let series = this.series.get(key);
    if (!series) {
      series = { Namespace: WAF_NAMESPACE, MetricName: metricName, Dimensions: dimensions, Unit: 'None', points: new Map() };
      this.series.set(key, series);
    }
    const point = series.points.get(second);
    if (point) {
      point.SampleCount += 1;
      point.Sum += 1;
    } else {
      series.points.set(second, { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 });
    }
    this.archive?.changed(series, second);
  }
}

function seriesKey(metricName: string, dimensions: Dimension[]): string {
  return JSON.stringify([metricName, dimensions]);
}

function baseDimensions(acl: WebAclDefinition): Dimension[] {
  const dimensions = [{ Name: 'WebACL', Value: acl.Name }];
  if (acl.Scope === 'REGIONAL') dimensions.push({ Name: 'Region', Value: parseArn(acl.ARN)?.region ?? '' });
  return dimensions;
}
