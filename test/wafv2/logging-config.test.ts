import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AssociateWebACLCommand, CreateWebACLCommand, DeleteLoggingConfigurationCommand, GetLoggingConfigurationCommand, ListAvailableManagedRuleGroupVersionsCommand, DescribeManagedRuleGroupCommand, ListAvailableManagedRuleGroupsCommand,
  ListLoggingConfigurationsCommand, PutLoggingConfigurationCommand, WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createStage } from '../support/api-stage.ts';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';
import { regionalAclInput } from './lab.ts';

const run = promisify(execFile);
let palisade: TestPalisade;
let client: WAFV2Client;
let aclArn: string;
let logGroupArn: string;
let stageArn: string;
const trace = { traceId: 'req-1', log: { record() {} } } as any;

before(async () => {
  palisade = await startTestPalisade();
  client = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
  aclArn = (await client.send(new CreateWebACLCommand(regionalAclInput('logged')))).Summary!.ARN!;
  logGroupArn = `arn:aws:logs:us-east-1:${palisade.app.accountId}:log-group:aws-waf-logs-regional`;
  stageArn = await createStage(palisade);
});
after(async () => {
  await palisade.stop();
});

test('CLI logging configuration put and get', async () => {
  const config = JSON.stringify({ ResourceArn: aclArn, LogDestinationConfigs: [logGroupArn], RedactedFields: [{ QueryString: {} }] });
  const { stdout } = await run('aws', ['wafv2', 'put-logging-configuration', '--logging-configuration', config, '--output', 'json'], { env: palisade.cliEnv, encoding: 'utf8' });
  const expected = {
    ResourceArn: aclArn,
    LogDestinationConfigs: [logGroupArn],
    RedactedFields: [{ QueryString: {} }],
    ManagedByFirewallManager: false,
    LogType: 'WAF_LOGS',
    LogScope: 'CUSTOMER',
  };
  assert.deepEqual(JSON.parse(stdout).LoggingConfiguration, expected);
  const got = await client.send(new GetLoggingConfigurationCommand({ ResourceArn: aclArn }));
  assert.deepEqual(got.LoggingConfiguration, expected);
  const listed = await client.send(new ListLoggingConfigurationsCommand({ Scope: 'REGIONAL' }));
  assert.deepEqual(listed.LoggingConfigurations, [expected]);
  assert.deepEqual((await client.send(new ListLoggingConfigurationsCommand({ Scope: 'CLOUDFRONT' }))).LoggingConfigurations, []);
});

test('evaluated request logged with redaction', async () => {
  palisade.app.seam('waf').evaluateForResource(
    stageArn,
    { method: 'GET', uriPath: '/Dev/', queryString: 'id=1', headers: [['Host', 'api.example']], body: Buffer.alloc(0), clientIp: '192.0.2.44' },
    trace,
  );
  // Not associated yet: evaluateForResource evaluated nothing. Associate and try again.
  await client.send(new AssociateWebACLCommand({ WebACLArn: aclArn, ResourceArn: stageArn }));
  const verdict = palisade.app.seam('waf').evaluateForResource(
    stageArn,
    { method: 'GET', uriPath: '/Dev/', queryString: 'id=1', headers: [['Host', 'api.example']], body: Buffer.alloc(0), clientIp: '192.0.2.44' },
    trace,
  );
  assert.equal(verdict!.action, 'BLOCK');
  const logs = new CloudWatchLogsClient(palisade.clientConfig);
  let events: { message?: string }[] = [];
  for (let attempt = 0; attempt < 50 && events.length === 0; attempt++) {
    events = (await rejectionOr(logs.send(new FilterLogEventsCommand({ logGroupName: 'aws-waf-logs-regional' }))))?.events ?? [];
    if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(events.length, 1);
  const record = JSON.parse(events[0].message!);
  assert.equal(record.webaclId, aclArn);
  assert.equal(record.terminatingRuleId, 'Default_Action');
  assert.equal(record.terminatingRuleType, 'REGULAR');
  assert.equal(record.action, 'BLOCK');
  assert.equal(record.httpSourceName, 'APIGW');
  assert.equal(record.httpSourceId, `${palisade.app.accountId}:${stageArn.split('/')[2]}:Dev`);
  assert.equal(record.httpRequest.args, 'REDACTED');
  assert.equal(record.httpRequest.uri, '/Dev/');
  assert.equal(record.httpRequest.requestId, 'req-1');
  assert.deepEqual(record.httpRequest.headers, [{ name: 'Host', value: 'api.example' }]);
  assert.deepEqual(record.ruleGroupList, []);
  assert.equal(record.labels, undefined);
});

async function rejectionOr<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}

test('invalid log destinations rejected', async () => {
  const wrongName = await rejection(client.send(new PutLoggingConfigurationCommand({
    LoggingConfiguration: { ResourceArn: aclArn, LogDestinationConfigs: [`arn:aws:logs:us-east-1:${palisade.app.accountId}:log-group:my-logs`] },
  })));
  assert.equal(wrongName.name, 'WAFInvalidParameterException');
  assert.equal(wrongName.$metadata.httpStatusCode, 400);
  assert.equal(wrongName.Field, 'LOG_DESTINATION');
  assert.equal(wrongName.message, `Error reason: The parameter contains formatting that is not valid., field: LOG_DESTINATION, parameter: arn:aws:logs:us-east-1:${palisade.app.accountId}:log-group:my-logs`);
  const s3 = await rejection(client.send(new PutLoggingConfigurationCommand({
    LoggingConfiguration: { ResourceArn: aclArn, LogDestinationConfigs: ['arn:aws:s3:::aws-waf-logs-bucket'] },
  })));
  assert.equal(s3.name, 'WAFInvalidParameterException');
  assert.equal(s3.Field, 'LOG_DESTINATION');
  const unknown = await rejection(client.send(new PutLoggingConfigurationCommand({
    LoggingConfiguration: { ResourceArn: aclArn.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000'), LogDestinationConfigs: [logGroupArn] },
  })));
  assert.equal(unknown.name, 'WAFNonexistentItemException');
  const redacted = await rejection(client.send(new PutLoggingConfigurationCommand({
    LoggingConfiguration: { ResourceArn: aclArn, LogDestinationConfigs: [logGroupArn], RedactedFields: [{ Body: {} }] },
  })));
  assert.equal(redacted.name, 'WAFInvalidParameterException');
  assert.equal(redacted.Field, 'FIELD_TO_MATCH');
});

test('deleted configuration not found', async () => {
  await client.send(new DeleteLoggingConfigurationCommand({ ResourceArn: aclArn }));
  const gone = await rejection(client.send(new GetLoggingConfigurationCommand({ ResourceArn: aclArn })));
  assert.equal(gone.name, 'WAFNonexistentItemException');
  assert.equal(gone.message, 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.');
});

test('managed rule group versions listed', async () => {
  const versions = await client.send(new ListAvailableManagedRuleGroupVersionsCommand({ VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet', Scope: 'REGIONAL' }));
  assert.deepEqual(versions.Versions, [{ Name: 'Version_1.0', LastUpdateTimestamp: new Date('2026-12-01T00:00:00Z') }]);
  assert.equal(versions.CurrentDefaultVersion, 'Version_1.0');
  const described = await client.send(new DescribeManagedRuleGroupCommand({ VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet', Scope: 'REGIONAL', VersionName: 'Version_1.0' }));
  assert.equal(described.VersionName, 'Version_1.0');
  assert.equal(described.Capacity, 200);
  const missingVersion = await rejection(client.send(new DescribeManagedRuleGroupCommand({ VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet', Scope: 'REGIONAL', VersionName: 'Version_9.9' })));
  assert.equal(missingVersion.name, 'WAFNonexistentItemException');
  const listed = await client.send(new ListAvailableManagedRuleGroupsCommand({ Scope: 'REGIONAL' }));
  assert.equal(listed.ManagedRuleGroups!.find((group) => group.Name === 'AWSManagedRulesSQLiRuleSet')?.VersioningSupported, true);
  const unknown = await rejection(client.send(new ListAvailableManagedRuleGroupVersionsCommand({ VendorName: 'AWS', Name: 'AWSManagedRulesBotControlRuleSet', Scope: 'REGIONAL' })));
  assert.equal(unknown.name, 'WAFNonexistentItemException');
});
