import type { MetricArchive } from '../../core/metric-archive.ts';
import type { WafAction, WebRequest } from '../../core/seams.ts';
import type { Evaluation } from './engine/evaluate.ts';
import type { WebAclDefinition } from './engine/types.ts';
import { METRIC_FOR_ACTION, WafMetrics } from './metrics.ts';

/** Sampled requests are kept for 3 hours, the window GetSampledRequests covers. */
export const SAMPLE_WINDOW_MS = 3 * 60 * 60 * 1000;
/** Samples kept per web ACL, oldest dropped first. */
const MAX_SAMPLES_PER_ACL = 5000;

export interface Sample {
  timestamp: number;
  request: WebRequest;
  action: WafAction;
  /** Metric names of the web ACL and of every rule that matched, for GetSampledRequests' RuleMetricName. */
  metricNames: string[];
  ruleNameWithinRuleGroup?: string;
  labels: string[];
  responseCodeSent?: number;
}

/** Allowed, Blocked, Counted ... request counts, as AWS WAF's CloudWatch metrics name them. */
export type MetricCounts = Record<string, number>;

/**
 * In-memory data of the WAF data plane: sampled requests and per-ACL,
 * per-rule request counts keyed by `<webAclArn> <metricName>`.
 */
export class WafRuntime {
  private readonly samples = new Map<string, Sample[]>();
  readonly counts = new Map<string, MetricCounts>();
  /** Timestamped datapoints for CloudWatch's AWS/WAFV2 namespace. */
  readonly metrics: WafMetrics;

  constructor(archive?: MetricArchive) {
    this.metrics = new WafMetrics(archive);
  }

  record(acl: WebAclDefinition, request: WebRequest, evaluation: Evaluation, now = Date.now()): void {
    this.metrics.record(acl, evaluation, now);
    this.count(acl.ARN, acl.VisibilityConfig.MetricName, evaluation.action);
    for (const match of evaluation.matches) this.count(acl.ARN, match.metricName, match.action);
    const sampledMetrics = evaluation.matches.filter((match) => match.sampled).map((match) => match.metricName);
    if (acl.VisibilityConfig.SampledRequestsEnabled) sampledMetrics.push(acl.VisibilityConfig.MetricName);
    if (sampledMetrics.length === 0) return;
    const kept = (this.samples.get(acl.ARN) ?? []).filter((sample) => sample.timestamp > now - SAMPLE_WINDOW_MS);
    kept.push({
      timestamp: now,
      request,
      action: evaluation.action,
      metricNames: sampledMetrics,
      ruleNameWithinRuleGroup: evaluation.ruleNameWithinRuleGroup,
      labels: evaluation.labels,
      responseCodeSent: evaluation.customResponse?.statusCode,
    });
    this.samples.set(acl.ARN, kept.slice(-MAX_SAMPLES_PER_ACL));
  }

  samplesFor(webAclArn: string, metricName: string, start: number, end: number): Sample[] {
    return (this.samples.get(webAclArn) ?? []).filter(
      (sample) => sample.timestamp >= start && sample.timestamp <= end && sample.metricNames.includes(metricName),
    );
  }

  countsFor(webAclArn: string, metricName: string): MetricCounts {
    return { ...(this.counts.get(`${webAclArn} ${metricName}`) ?? {}) };
  }

  private count(webAclArn: string, metricName: string, action: WafAction): void {
    const key = `${webAclArn} ${metricName}`;
    const counts = this.counts.get(key) ?? {};
    const metric = METRIC_FOR_ACTION[action];
    counts[metric] = (counts[metric] ?? 0) + 1;
    this.counts.set(key, counts);
  }
}
