import type { App } from '../../core/app.ts';
import { MetricArchive } from '../../core/metric-archive.ts';
import { CustomMetrics } from './custom-metrics.ts';
import { monitoringOperations } from './operations.ts';
import { wafMetricSource } from './waf-source.ts';

/**
 * Amazon CloudWatch metrics (signing name `monitoring`). The service model
 * lists smithy-rpc-v2-cbor, awsJson1_0 and awsQuery; the installed AWS SDK
 * for JavaScript v3 (AwsJson1_0Protocol) and botocore 1.43 (the first
 * protocol it supports) both send awsJson1_0 with the target prefix
 * `GraniteServiceVersion20100801`, which palisade serves.
 * TODO: a client that chooses smithy-rpc-v2-cbor or awsQuery gets no answer from palisade yet.
 */
export function registerMonitoring(app: App): void {
  const custom = new CustomMetrics(new MetricArchive(app.store, 'monitoring'));
  app.register({
    signingName: 'monitoring',
    protocol: 'json',
    targetPrefix: 'GraniteServiceVersion20100801',
    jsonVersion: '1.0',
    operations: monitoringOperations([custom, wafMetricSource(app)], custom),
  });
}
