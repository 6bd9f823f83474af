import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetSampledRequestsCommand, PutLoggingConfigurationCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { ensureStack } from '../../src/cli/stacks.ts';
import { apiSecurityLab } from '../../labs/api-security/lab.ts';

// End to end through the lab: a SQL injection sent to the CloudFront URL is
// blocked by the CLOUDFRONT web ACL, then appears in GetSampledRequests, in
// the AWS/WAFV2 BlockedRequests metric and in the WAF log group.
let palisade: TestPalisade;
let outputs: Record<string, string>;
let blockedAt: number;
const LOG_GROUP = 'aws-waf-logs-lab-cloudfront';

before(async () => {
  palisade = await startTestPalisade();
  outputs = await ensureStack(palisade.app, { stackName: apiSecurityLab.stackName, templatePath: apiSecurityLab.templatePath });
  const logs = new CloudWatchLogsClient(palisade.clientConfig);
  await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  const waf = new WAFV2Client(palisade.clientConfig);
  await waf.send(new PutLoggingConfigurationCommand({
    LoggingConfiguration: {
      ResourceArn: outputs.WAFWebACLG,
      LogDestinationConfigs: [`arn:aws:logs:us-east-1:${palisade.app.accountId}:log-group:${LOG_GROUP}`],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
    },
  }));
  blockedAt = Date.now();
  const injected = await fetch(outputs.CloudFrontEndpoint.replace('?id=1', '?id=1%20or%201=1'), { headers: { Authorization: 'secret-token-value' } });
  assert.equal(injected.status, 403);
  await injected.text();
});
after(async () => {
  await palisade?.stop();
});

test('blocked SQL injection sampled', async () => {
  const waf = new WAFV2Client(palisade.clientConfig);
  const output = await waf.send(new GetSampledRequestsCommand({
    WebAclArn: outputs.WAFWebACLG,
    RuleMetricName: 'AWS-AWSManagedRulesSQLiRuleSet',
    Scope: 'CLOUDFRONT',
    TimeWindow: { StartTime: new Date(blockedAt - 60_000), EndTime: new Date(Date.now() + 60_000) },
    MaxItems: 100,
  }));
  assert.equal(output.PopulationSize, 1);
  const [sample] = output.SampledRequests!;
  assert.equal(sample.Action, 'BLOCK');
  assert.equal(sample.RuleNameWithinRuleGroup, 'SQLi_QUERYARGUMENTS');
  assert.equal(sample.Weight, 1);
  assert.equal(sample.Request!.URI, '/?id=1%20or%201=1');
  assert.equal(sample.Request!.Method, 'GET');
  assert.equal(sample.Request!.ClientIP, '127.0.0.1');
  assert.deepEqual(sample.Labels, [{ Name: 'awswaf:managed:aws:sql-database:SQLi_QueryArguments' }]);
  assert.ok(sample.Timestamp!.getTime() >= blockedAt - 1000);
});

test('BlockedRequests metric counts the block', async () => {
  const cloudwatch = new CloudWatchClient(palisade.clientConfig);
  const webAclName = outputs.WAFWebACLG.split('/')[2];
  const output = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/WAFV2',
    MetricName: 'BlockedRequests',
    // CLOUDFRONT web ACLs have no Region dimension.
    Dimensions: [{ Name: 'WebACL', Value: webAclName }, { Name: 'Rule', Value: 'AWS-AWSManagedRulesSQLiRuleSet' }],
    StartTime: new Date(blockedAt - 120_000),
    EndTime: new Date(Date.now() + 60_000),
    Period: 300,
    Statistics: ['Sum', 'SampleCount'],
  }));
  assert.equal(output.$metadata.httpStatusCode, 200);
  assert.equal(output.Label, 'BlockedRequests');
  const total = output.Datapoints!.reduce((sum, point) => sum + point.Sum!, 0);
  assert.equal(total, 1);
  assert.equal(output.Datapoints![0].Unit, 'None');

  const all = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/WAFV2',
    MetricName: 'BlockedRequests',
    Dimensions: [{ Name: 'Rule', Value: 'ALL' }, { Name: 'WebACL', Value: webAclName }],
    StartTime: new Date(blockedAt - 120_000),
    EndTime: new Date(Date.now() + 60_000),
    Period: 60,
    Statistics: ['Sum'],
  }));
  assert.equal(all.Datapoints!.reduce((sum, point) => sum + point.Sum!, 0), 1);
});

test('GetMetricData and ListMetrics agree', async () => {
  const cloudwatch = new CloudWatchClient(palisade.clientConfig);
  const webAclName = outputs.WAFWebACLG.split('/')[2];
  const data = await cloudwatch.send(new GetMetricDataCommand({
    StartTime: new Date(blockedAt - 120_000),
    EndTime: new Date(Date.now() + 60_000),
    MetricDataQueries: [{
      Id: 'blocked',
      MetricStat: {
        Metric: { Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests', Dimensions: [{ Name: 'WebACL', Value: webAclName }, { Name: 'Rule', Value: 'AWS-AWSManagedRulesSQLiRuleSet' }] },
        Period: 60,
        Stat: 'Sum',
      },
    }],
  }));
  assert.equal(data.MetricDataResults!.length, 1);
  assert.equal(data.MetricDataResults![0].Id, 'blocked');
  assert.equal(data.MetricDataResults![0].StatusCode, 'Complete');
  assert.deepEqual(data.MetricDataResults![0].Values, [1]);

  const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests' }));
  assert.ok(listed.Metrics!.some((metric) => metric.Dimensions!.some((d) => d.Name === 'Rule' && d.Value === 'AWS-AWSManagedRulesSQLiRuleSet')));
  const unknown = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/NoSuchService' }));
  assert.deepEqual(unknown.Metrics, []);
});

test('WAF log record in the log group', async () => {
  const logs = new CloudWatchLogsClient(palisade.clientConfig);
  let message: string | undefined;
  for (let attempt = 0; attempt < 50 && !message; attempt++) {
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: LOG_GROUP }));
    const stream = streams.logStreams?.[0]?.logStreamName;
    if (stream) {
      const events = await logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: stream, startFromHead: true }));
      message = events.events?.find((event) => event.message?.includes('"action":"BLOCK"'))?.message;
    }
    if (!message) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(message, 'no BLOCK record in the WAF log group');
  const record = JSON.parse(message);
  assert.equal(record.formatVersion, 1);
  assert.equal(record.webaclId, outputs.WAFWebACLG);
  assert.equal(record.terminatingRuleId, 'AWS-AWSManagedRulesSQLiRuleSet');
  assert.equal(record.terminatingRuleType, 'MANAGED_RULE_GROUP');
  assert.equal(record.action, 'BLOCK');
  // The group rule SQLi_QUERYARGUMENTS judged the URL-decoded argument `1 or 1=1`; `1=1` folds into `1`.
  assert.deepEqual(record.terminatingRuleMatchDetails, [{ conditionType: 'SQL_INJECTION', sensitivityLevel: 'LOW', location: 'ALL_QUERY_ARGS', matchedData: ['1', 'or', '1'] }]);
  assert.equal(record.httpSourceName, 'CF');
  assert.match(record.httpSourceId, /^E[A-Z0-9]+$/);
  assert.deepEqual(record.ruleGroupList, [{
    ruleGroupId: 'AWS#AWSManagedRulesSQLiRuleSet',
    terminatingRule: { ruleId: 'SQLi_QUERYARGUMENTS', action: 'BLOCK', ruleMatchDetails: null },
    nonTerminatingMatchingRules: [],
    excludedRules: null,
    customerConfig: null,
  }]);
  assert.deepEqual(record.rateBasedRuleList, []);
  assert.deepEqual(record.nonTerminatingMatchingRules, []);
  assert.deepEqual(record.labels, [{ name: 'awswaf:managed:aws:sql-database:SQLi_QueryArguments' }]);
  assert.equal(record.httpRequest.uri, '/');
  assert.equal(record.httpRequest.args, 'id=1%20or%201=1');
  assert.equal(record.httpRequest.httpMethod, 'GET');
  assert.equal(record.httpRequest.clientIp, '127.0.0.1');
  assert.equal(record.httpRequest.country, '-');
  const authorization = record.httpRequest.headers.find((header: { name: string }) => header.name.toLowerCase() === 'authorization');
  assert.equal(authorization.value, 'REDACTED');
  assert.ok(!message.includes('secret-token-value'));
  assert.equal(typeof record.timestamp, 'number');
  assert.equal(typeof record.httpRequest.requestId, 'string');
});
