import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';
import { regionalAclInput } from '../wafv2/lab.ts';

let palisade: TestPalisade;
let cloudwatch: CloudWatchClient;
// An hour-aligned time two hours ago, so periods and buckets are exact and within retention.
const BASE = Math.floor((Date.now() - 2 * 3_600_000) / 3_600_000) * 3_600_000;

before(async () => {
  palisade = await startTestPalisade();
  cloudwatch = new CloudWatchClient({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

test('statistics per period from PutMetricData', async () => {
  const point = (offsetSeconds: number, value: number) => ({
    MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }], Timestamp: new Date(BASE + offsetSeconds * 1000), Value: value, Unit: 'Milliseconds' as const,
  });
  await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'Palisade/Test', MetricData: [point(10, 4), point(50, 8), point(70, 30), point(400, 2)] }));
  const output = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: 'Palisade/Test', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }],
    StartTime: new Date(BASE), EndTime: new Date(BASE + 600_000), Period: 300, Statistics: ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'],
  }));
  const datapoints = output.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
  assert.deepEqual(datapoints, [
    { Timestamp: new Date(BASE), Sum: 42, Average: 14, Minimum: 4, Maximum: 30, SampleCount: 3, Unit: 'Milliseconds' },
    { Timestamp: new Date(BASE + 300_000), Sum: 2, Average: 2, Minimum: 2, Maximum: 2, SampleCount: 1, Unit: 'Milliseconds' },
  ]);
  const perMinute = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: 'Palisade/Test', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }],
    StartTime: new Date(BASE + 30_000), EndTime: new Date(BASE + 120_000), Period: 60, Statistics: ['Sum'],
  }));
  // StartTime is rounded down to the minute, so the 10 s datapoint is in the first bucket.
  assert.deepEqual(perMinute.Datapoints!.map((p) => [p.Timestamp!.getTime() - BASE, p.Sum]).sort((a, b) => a[0]! - b[0]!), [[0, 12], [60_000, 30]]);
});

test('GetMetricData newest first', async () => {
  const output = await cloudwatch.send(new GetMetricDataCommand({
    StartTime: new Date(BASE), EndTime: new Date(BASE + 600_000),
    MetricDataQueries: [
      { Id: 'latency', MetricStat: { Metric: { Namespace: 'Palisade/Test', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }] }, Period: 300, Stat: 'Maximum' } },
      { Id: 'hidden', ReturnData: false, MetricStat: { Metric: { Namespace: 'Palisade/Test', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }] }, Period: 300, Stat: 'Sum' } },
    ],
  }));
  assert.deepEqual(output.MetricDataResults, [{
    Id: 'latency', Label: 'Latency', Timestamps: [new Date(BASE + 300_000), new Date(BASE)], Values: [2, 30], StatusCode: 'Complete', Messages: [],
  }]);
  const expression = await rejection(cloudwatch.send(new GetMetricDataCommand({
    StartTime: new Date(BASE), EndTime: new Date(BASE + 600_000), MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }],
  })));
  assert.equal(expression.name, 'InvalidParameterValueException');
  assert.equal(expression.$metadata.httpStatusCode, 400);
});

test('unknown namespace empty, dimension filters', async () => {
  const none = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/NoSuchService', MetricName: 'Nothing', StartTime: new Date(BASE), EndTime: new Date(BASE + 600_000), Period: 60, Statistics: ['Sum'],
  }));
  assert.deepEqual(none.Datapoints, []);
  assert.equal(none.Label, 'Nothing');
  const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'Palisade/Test', Dimensions: [{ Name: 'Api' }] }));
  assert.deepEqual(listed.Metrics, [{ Namespace: 'Palisade/Test', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'orders' }] }]);
  const other = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'Palisade/Test', Dimensions: [{ Name: 'Api', Value: 'billing' }] }));
  assert.deepEqual(other.Metrics, []);
});

test('parameter errors match CloudWatch', async () => {
  const base = { Namespace: 'Palisade/Test', MetricName: 'Latency', StartTime: new Date(BASE), EndTime: new Date(BASE + 600_000), Statistics: ['Sum' as const] };
  const period = await rejection(cloudwatch.send(new GetMetricStatisticsCommand({ ...base, Period: 90 })));
  assert.equal(period.name, 'InvalidParameterValueException');
  assert.equal(period.$metadata.httpStatusCode, 400);
  assert.equal(period.message, 'The parameter Period must be 1, 5, 10, 30, or a multiple of 60.');
  // The awsQuery code travels in x-amzn-query-error, as CloudWatch sends it.
  assert.equal((period as unknown as { Code: string }).Code, 'InvalidParameterValue');
  assert.equal((period as unknown as { Type: string }).Type, 'Sender');
  const reversed = await rejection(cloudwatch.send(new GetMetricStatisticsCommand({ ...base, StartTime: base.EndTime, EndTime: base.StartTime, Period: 60 })));
  assert.equal(reversed.message, 'The parameter StartTime must be less than the parameter EndTime.');
  const tooMany = await rejection(cloudwatch.send(new GetMetricStatisticsCommand({ ...base, EndTime: new Date(BASE + 2 * 86_400_000), Period: 60 })));
  assert.equal(tooMany.name, 'InvalidParameterCombinationException');
  assert.match(tooMany.message, /^You have requested up to 2880 datapoints, which exceeds the limit of 1440\./);
  const noStatistics = await rejection(cloudwatch.send(new GetMetricStatisticsCommand({ ...base, Statistics: undefined, Period: 60 })));
  assert.equal(noStatistics.name, 'InvalidParameterCombinationException');
  const reserved = await rejection(cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/WAFV2', MetricData: [{ MetricName: 'BlockedRequests', Value: 1 }] })));
  assert.equal(reserved.name, 'InvalidParameterValueException');
  assert.equal(reserved.message, 'The value AWS/WAFV2 for parameter Namespace is invalid.');
});

test('regional web ACL metric dimensions', async () => {
  const waf = new WAFV2Client(palisade.clientConfig);
  const { Summary } = await waf.send(new CreateWebACLCommand(regionalAclInput('metrics')));
  const request = { method: 'GET', uriPath: '/', queryString: '', headers: [] as [string, string][], body: Buffer.alloc(0), clientIp: '192.0.2.1' };
  const trace = { traceId: 't', log: { record() {} } } as any;
  const started = Date.now();
  palisade.app.seam('waf').evaluateWebAcl(Summary!.ARN!, request, trace);
  palisade.app.seam('waf').evaluateWebAcl(Summary!.ARN!, request, trace);
  const range = { StartTime: new Date(started - 120_000), EndTime: new Date(Date.now() + 60_000), Period: 60, Statistics: ['Sum' as const] };
  const sum = async (rule: string) => {
    const output = await cloudwatch.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests', ...range,
      Dimensions: [{ Name: 'WebACL', Value: 'metrics-ACLR' }, { Name: 'Rule', Value: rule }, { Name: 'Region', Value: 'us-east-1' }],
    }));
    return output.Datapoints!.reduce((total, point) => total + point.Sum!, 0);
  };
  assert.equal(await sum('ALL'), 2);
  assert.equal(await sum('metrics-ACLR'), 2);
  assert.equal(await sum('metrics-XRule'), 0);
  // Without Region the dimension set differs, so it is another metric.
  const withoutRegion = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests', ...range, Dimensions: [{ Name: 'WebACL', Value: 'metrics-ACLR' }, { Name: 'Rule', Value: 'ALL' }],
  }));
  assert.deepEqual(withoutRegion.Datapoints, []);
});

test('CLI error code is the awsQuery code', async () => {
  const failed = await promisify(execFile)('aws', [
    'cloudwatch', 'get-metric-statistics', '--namespace', 'Palisade/Test', '--metric-name', 'Latency',
    '--start-time', new Date(BASE).toISOString(), '--end-time', new Date(BASE + 600_000).toISOString(), '--period', '90', '--statistics', 'Sum',
  ], { env: palisade.cliEnv, encoding: 'utf8' }).then(() => undefined, (error: { code: number; stderr: string }) => error);
  assert.equal(failed?.code, 255);
  assert.equal(
    failed?.stderr.trim(),
    'An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation: The parameter Period must be 1, 5, 10, 30, or a multiple of 60.',
  );
});

test('CLI get-metric-statistics over awsJson1_0', async () => {
  const { stdout } = await promisify(execFile)('aws', [
    'cloudwatch', 'get-metric-statistics', '--namespace', 'Palisade/Test', '--metric-name', 'Latency', '--dimensions', 'Name=Api,Value=orders',
    '--start-time', new Date(BASE).toISOString(), '--end-time', new Date(BASE + 600_000).toISOString(), '--period', '300', '--statistics', 'Sum', '--output', 'json',
  ], { env: palisade.cliEnv, encoding: 'utf8' });
  const output = JSON.parse(stdout);
  assert.equal(output.Label, 'Latency');
  assert.deepEqual(output.Datapoints.map((point: { Sum: number }) => point.Sum).sort((a: number, b: number) => a - b), [2, 42]);
});
