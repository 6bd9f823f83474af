import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRuleGroupCommand, CreateWebACLCommand, PutLoggingConfigurationCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { WebRequest } from '../../src/core/seams.ts';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';

// Match details in WAF log records: SQL injection and XSS matches of
// terminating and counting rules, a rule group's rules, and rate-based rules.
// The web ACL is created and logged through the SDK; requests reach it
// through the WAF seam, as CloudFront's data plane sends them.
const LOG_GROUP = 'aws-waf-logs-details';
const VISIBILITY = { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'details' };
const NONE = [{ Priority: 0, Type: 'NONE' as const }];

let palisade: TestPalisade;
let aclArn: string;
let groupArn: string;

function sqliHeader(name: string, level: 'LOW' | 'HIGH') {
  return { SqliMatchStatement: { FieldToMatch: { SingleHeader: { Name: name } }, TextTransformations: NONE, SensitivityLevel: level } };
}

before(async () => {
  palisade = await startTestPalisade();
  const waf = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
  const { Summary: group } = await waf.send(new CreateRuleGroupCommand({
    Name: 'xss-group', Scope: 'REGIONAL', Capacity: 200, VisibilityConfig: VISIBILITY,
    Rules: [
      { Name: 'RuleA-XSS', Priority: 0, Action: { Block: {} }, VisibilityConfig: VISIBILITY, Statement: { XssMatchStatement: { FieldToMatch: { SingleHeader: { Name: 'xssfoo' } }, TextTransformations: NONE } } },
      { Name: 'RuleB-SQLi', Priority: 1, Action: { Count: {} }, VisibilityConfig: VISIBILITY, Statement: sqliHeader('bar', 'LOW') },
    ],
  }));
  groupArn = group!.ARN!;
  const { Summary: acl } = await waf.send(new CreateWebACLCommand({
    Name: 'details', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VISIBILITY,
    Rules: [
      { Name: 'SQLiHeader', Priority: 0, Action: { Block: {} }, VisibilityConfig: VISIBILITY, Statement: sqliHeader('x-stm-test', 'HIGH') },
      {
        Name: 'XssCount', Priority: 1, Action: { Count: {} }, VisibilityConfig: VISIBILITY,
        Statement: { XssMatchStatement: { FieldToMatch: { QueryString: {} }, TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }] } },
      },
      { Name: 'XssGroup', Priority: 2, OverrideAction: { None: {} }, VisibilityConfig: VISIBILITY, Statement: { RuleGroupReferenceStatement: { ARN: groupArn } } },
      {
        Name: 'DogRate', Priority: 3, Action: { Block: {} }, VisibilityConfig: VISIBILITY,
        Statement: { RateBasedStatement: { Limit: 10, EvaluationWindowSec: 120, AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ Header: { Name: 'dogname', TextTransformations: NONE } }] } },
      },
      {
        Name: 'BurstCount', Priority: 4, Action: { Count: {} }, VisibilityConfig: VISIBILITY,
        Statement: {
          RateBasedStatement: {
            Limit: 10, AggregateKeyType: 'IP',
            ScopeDownStatement: { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: new TextEncoder().encode('/burst'), TextTransformations: NONE } },
          },
        },
      },
    ],
  }));
  aclArn = acl!.ARN!;
  await waf.send(new PutLoggingConfigurationCommand({
    LoggingConfiguration: { ResourceArn: aclArn, LogDestinationConfigs: [`arn:aws:logs:us-east-1:${palisade.app.accountId}:log-group:${LOG_GROUP}`] },
  }));
});
after(async () => {
  await palisade?.stop();
});

function webRequest(uriPath: string, queryString: string, headers: [string, string][], clientIp = '192.0.2.10'): WebRequest {
  return { method: 'GET', uriPath, queryString, headers: [['Host', 'api.example'], ...headers], body: Buffer.alloc(0), clientIp };
}

function send(requestId: string, request: WebRequest): string {
  return palisade.app.seam('waf').evaluateWebAcl(aclArn, request, { traceId: requestId, log: { record() {} } } as any).action;
}

/** Read the record of one request from the log group, once the asynchronous writer has delivered it. */
async function logged(requestId: string): Promise<Record<string, unknown>> {
  const logs = new CloudWatchLogsClient(palisade.clientConfig);
  for (let attempt = 0; attempt < 50; attempt++) {
    const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP })).catch(() => undefined))?.events ?? [];
    const message = events.map((event) => event.message!).find((text) => JSON.parse(text).httpRequest.requestId === requestId);
    if (message) {
      const record = JSON.parse(message);
      assert.equal(typeof record.timestamp, 'number');
      delete record.timestamp;
      return record;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no log record for ${requestId}`);
}

/** Build the record of a request no rule acted on, with the fields a case's rules change. */
function expected(request: WebRequest, requestId: string, changes: Record<string, unknown>) {
  return {
    formatVersion: 1,
    webaclId: aclArn,
    terminatingRuleId: 'Default_Action',
    terminatingRuleType: 'REGULAR',
    action: 'ALLOW',
    terminatingRuleMatchDetails: [],
    httpSourceName: 'CF',
    httpSourceId: '-',
    ruleGroupList: [{ ruleGroupId: groupArn, terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null }],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: request.clientIp,
      country: '-',
      headers: request.headers.map(([name, value]) => ({ name, value })),
      uri: request.uriPath,
      args: request.queryString,
      httpVersion: 'HTTP/1.1',
      httpMethod: 'GET',
      requestId,
    },
    ...changes,
  };
}

test('header SQL injection blocks with details', async () => {
  const request = webRequest('/foo', '', [['x-stm-test', '10 AND 1=1']]);
  assert.equal(send('sqli-1', request), 'BLOCK');
  assert.deepEqual(await logged('sqli-1'), expected(request, 'sqli-1', {
    terminatingRuleId: 'SQLiHeader',
    action: 'BLOCK',
    terminatingRuleMatchDetails: [{ conditionType: 'SQL_INJECTION', sensitivityLevel: 'HIGH', location: 'HEADER', matchedData: ['10', 'AND', '1'] }],
  }));
});

test('query string XSS counted with details', async () => {
  const request = webRequest('/search', 'q=%3Cframeset%20onload%3Dalert(1)%3E', []);
  assert.equal(send('xss-1', request), 'ALLOW');
  assert.deepEqual(await logged('xss-1'), expected(request, 'xss-1', {
    nonTerminatingMatchingRules: [{ ruleId: 'XssCount', action: 'COUNT', ruleMatchDetails: [{ conditionType: 'XSS', location: 'QUERY_STRING', matchedData: ['<', 'frameset'] }] }],
  }));
});

test('group XSS blocks with top-level details', async () => {
  const request = webRequest('/foo', '', [['xssfoo', '<frameset onload=alert(1)>']]);
  assert.equal(send('group-1', request), 'BLOCK');
  assert.deepEqual(await logged('group-1'), expected(request, 'group-1', {
    terminatingRuleId: 'XssGroup',
    terminatingRuleType: 'GROUP',
    action: 'BLOCK',
    terminatingRuleMatchDetails: [{ conditionType: 'XSS', location: 'HEADER', matchedData: ['<', 'frameset'] }],
    ruleGroupList: [{
      ruleGroupId: groupArn,
      terminatingRule: { ruleId: 'RuleA-XSS', action: 'BLOCK', ruleMatchDetails: null },
      nonTerminatingMatchingRules: [],
      excludedRules: null,
      customerConfig: null,
    }],
  }));
});

test('group SQL injection counted with details', async () => {
  const request = webRequest('/foo', '', [['bar', '10 AND 1=1']]);
  assert.equal(send('group-2', request), 'ALLOW');
  assert.deepEqual(await logged('group-2'), expected(request, 'group-2', {
    ruleGroupList: [{
      ruleGroupId: groupArn,
      terminatingRule: null,
      nonTerminatingMatchingRules: [{ ruleId: 'RuleB-SQLi', action: 'COUNT', ruleMatchDetails: [{ conditionType: 'SQL_INJECTION', sensitivityLevel: 'LOW', location: 'HEADER', matchedData: ['10', 'AND', '1'] }] }],
      excludedRules: null,
      customerConfig: null,
    }],
  }));
});

test('custom-key rate block lists values', async () => {
  const request = webRequest('/pets', '', [['dogname', 'ella']], '192.0.2.20');
  for (let i = 1; i <= 10; i++) assert.equal(send(`dog-${i}`, request), 'ALLOW');
  assert.equal(send('dog-11', request), 'BLOCK');
  assert.deepEqual(await logged('dog-11'), expected(request, 'dog-11', {
    terminatingRuleId: 'DogRate',
    terminatingRuleType: 'RATE_BASED',
    action: 'BLOCK',
    rateBasedRuleList: [{
      rateBasedRuleId: 'DogRate',
      rateBasedRuleName: 'DogRate',
      limitKey: 'CUSTOMKEYS',
      maxRateAllowed: 10,
      evaluationWindowSec: '120',
      customValues: [{ key: 'HEADER', name: 'dogname', value: 'ella' }],
    }],
  }));
  // Under the limit, the rule did not act on the request, so the list stays empty.
  assert.deepEqual((await logged('dog-10')).rateBasedRuleList, []);
});

test('IP rate count lists address', async () => {
  const request = webRequest('/burst', '', [], '192.0.2.30');
  for (let i = 1; i <= 11; i++) assert.equal(send(`burst-${i}`, request), 'ALLOW');
  assert.deepEqual(await logged('burst-11'), expected(request, 'burst-11', {
    rateBasedRuleList: [{ rateBasedRuleId: 'BurstCount', rateBasedRuleName: 'BurstCount', limitKey: 'IP', maxRateAllowed: 10, evaluationWindowSec: '300', limitValue: '192.0.2.30' }],
    nonTerminatingMatchingRules: [{ ruleId: 'BurstCount', action: 'COUNT', ruleMatchDetails: [] }],
  }));
});
