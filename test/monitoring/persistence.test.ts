import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { startTestPalisade } from '../support/palisade.ts';
import { regionalAclInput } from '../wafv2/lab.ts';

// A minute-aligned time ten minutes ago, inside both the custom and the WAF retention.
const BASE = Math.floor((Date.now() - 600_000) / 60_000) * 60_000;

async function sumOf(cloudwatch: CloudWatchClient, query: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] }): Promise<number> {
  const output = await cloudwatch.send(new GetMetricStatisticsCommand({
    ...query, StartTime: new Date(BASE - 60_000), EndTime: new Date(Date.now() + 60_000), Period: 60, Statistics: ['Sum'],
  }));
  return output.Datapoints!.reduce((total, point) => total + point.Sum!, 0);
}

test('metrics kept across restart', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'palisade-metrics-'));
  const custom = { Namespace: 'Palisade/Restart', MetricName: 'Orders', Dimensions: [{ Name: 'Shop', Value: 'north' }] };
  const blocked = { Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests', Dimensions: [{ Name: 'WebACL', Value: 'restart-ACLR' }, { Name: 'Rule', Value: 'ALL' }, { Name: 'Region', Value: 'us-east-1' }] };
  try {
    const first = await startTestPalisade({ stateDir });
    const cloudwatch = new CloudWatchClient({ ...first.clientConfig, maxAttempts: 1 });
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: custom.Namespace, MetricData: [{ ...custom, Timestamp: new Date(BASE), Value: 3 }, { ...custom, Timestamp: new Date(BASE + 1000), Value: 4 }] }));
    const { Summary } = await new WAFV2Client(first.clientConfig).send(new CreateWebACLCommand(regionalAclInput('restart')));
    const request = { method: 'GET', uriPath: '/', queryString: '', headers: [] as [string, string][], body: Buffer.alloc(0), clientIp: '192.0.2.1' };
    const trace = { traceId: 't', log: { record() {} } } as any;
    for (let i = 0; i < 3; i++) first.app.seam('waf').evaluateWebAcl(Summary!.ARN!, request, trace);
    assert.equal(await sumOf(cloudwatch, custom), 7);
    assert.equal(await sumOf(cloudwatch, blocked), 3);
    await first.stop();

    const second = await startTestPalisade({ stateDir });
    const again = new CloudWatchClient({ ...second.clientConfig, maxAttempts: 1 });
    assert.equal(await sumOf(again, custom), 7);
    assert.equal(await sumOf(again, blocked), 3);
    // New datapoints add to the ones read back.
    second.app.seam('waf').evaluateWebAcl(Summary!.ARN!, request, trace);
    assert.equal(await sumOf(again, blocked), 4);
    await second.stop();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
