import type { App } from '../../core/app.ts';
import { wafRuntime } from '../wafv2/index.ts';
import type { MetricSource } from './series.ts';

/**
 * AWS WAF publishes to the AWS/WAFV2 namespace from its data plane; palisade
 * reads the WAF runtime's datapoints when a metric is queried. Looked up per
 * query, so the order services are registered in does not matter.
 */
export function wafMetricSource(app: App): MetricSource {
  return {
    series(now) {
      return wafRuntime(app)?.metrics.all(now) ?? [];
    },
  };
}
