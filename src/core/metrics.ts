/**
 * Metric series as CloudWatch keeps them: a namespace, a metric name, a set
 * of dimensions, and datapoints aggregated per second into statistic sets.
 * Services that publish metrics (WAF) build these; the CloudWatch service
 * reads them.
 */
export interface Dimension {
  Name: string;
  Value: string;
}

export interface StatisticSet {
  SampleCount: number;
  Sum: number;
  Minimum: number;
  Maximum: number;
}

export interface MetricSeries {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  Unit: string;
  /** Epoch second → statistics of the datapoints in that second. */
  points: Map<number, StatisticSet>;
}
