import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateRuleGroupCommand, CreateWebACLCommand, GetRateBasedStatementManagedKeysCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';

let palisade: TestPalisade;
let waf: WAFV2Client;

const VISIBILITY = { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'rate' };
const TRACE = { traceId: 'rate-based-keys', log: { record() {} } } as any;

before(async () => {
  palisade = await startTestPalisade();
  waf = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

function rateRule(name: string, priority: number, statement: object) {
  return { Name: name, Priority: priority, Action: { Block: {} }, VisibilityConfig: { ...VISIBILITY, MetricName: name }, Statement: { RateBasedStatement: { Limit: 10, EvaluationWindowSec: 60, ...statement } } };
}

async function webAcl(name: string, rules: object[]) {
  const { Summary } = await waf.send(new CreateWebACLCommand({ Name: name, Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VISIBILITY, Rules: rules as any }));
  return Summary!;
}

/** Send `count` requests from `clientIp` through the web ACL and return the last action. */
function send(webAclArn: string, clientIp: string, count: number): string {
  let action = '';
  for (let i = 0; i < count; i++) {
    action = palisade.app.seam('waf').evaluateWebAcl(webAclArn, { method: 'GET', uriPath: '/', queryString: '', headers: [], body: Buffer.alloc(0), clientIp }, TRACE).action;
  }
  return action;
}

test('CLI lists IPv4 and IPv6 keys over the limit', async () => {
  const acl = await webAcl('rate-keys', [rateRule('per-ip', 0, { AggregateKeyType: 'IP' })]);
  assert.equal(send(acl.ARN!, '192.0.2.7', 11), 'BLOCK');
  assert.equal(send(acl.ARN!, '2001:db8::5', 12), 'BLOCK');
  assert.equal(send(acl.ARN!, '192.0.2.8', 3), 'ALLOW');
  const { stdout } = await promisify(execFile)('aws', [
    'wafv2', 'get-rate-based-statement-managed-keys', '--scope', 'REGIONAL', '--web-acl-name', 'rate-keys', '--web-acl-id', acl.Id!, '--rule-name', 'per-ip', '--output', 'json',
  ], { env: palisade.cliEnv, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(stdout), {
    ManagedKeysIPV4: { IPAddressVersion: 'IPV4', Addresses: ['192.0.2.7/32'] },
    ManagedKeysIPV6: { IPAddressVersion: 'IPV6', Addresses: ['2001:db8::5/128'] },
  });
});

test('rule group rate rule counts per reference', async () => {
  const { Summary: group } = await waf.send(new CreateRuleGroupCommand({
    Name: 'rate-group', Scope: 'REGIONAL', Capacity: 10, VisibilityConfig: VISIBILITY, Rules: [rateRule('group-per-ip', 0, { AggregateKeyType: 'IP' }) as any],
  }));
  const reference = { Name: 'shared', Priority: 0, OverrideAction: { None: {} }, VisibilityConfig: { ...VISIBILITY, MetricName: 'shared' }, Statement: { RuleGroupReferenceStatement: { ARN: group!.ARN } } };
  const first = await webAcl('rate-group-a', [reference]);
  const second = await webAcl('rate-group-b', [reference]);
  assert.equal(send(first.ARN!, '198.51.100.4', 11), 'BLOCK');
  // The second web ACL's use of the group counts apart from the first's.
  assert.equal(send(second.ARN!, '198.51.100.4', 1), 'ALLOW');
  const keys = await waf.send(new GetRateBasedStatementManagedKeysCommand({ Scope: 'REGIONAL', WebACLName: 'rate-group-a', WebACLId: first.Id!, RuleGroupRuleName: 'shared', RuleName: 'group-per-ip' }));
  assert.deepEqual(keys.ManagedKeysIPV4, { IPAddressVersion: 'IPV4', Addresses: ['198.51.100.4/32'] });
  assert.deepEqual(keys.ManagedKeysIPV6, { IPAddressVersion: 'IPV6', Addresses: [] });
  const other = await waf.send(new GetRateBasedStatementManagedKeysCommand({ Scope: 'REGIONAL', WebACLName: 'rate-group-b', WebACLId: second.Id!, RuleGroupRuleName: 'shared', RuleName: 'group-per-ip' }));
  assert.deepEqual(other.ManagedKeysIPV4, { IPAddressVersion: 'IPV4', Addresses: [] });
});

test('managed keys errors', async () => {
  const acl = await webAcl('rate-errors', [rateRule('per-path', 0, { AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ UriPath: { TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }] })]);
  const unsupported = await rejection(waf.send(new GetRateBasedStatementManagedKeysCommand({ Scope: 'REGIONAL', WebACLName: 'rate-errors', WebACLId: acl.Id!, RuleName: 'per-path' })));
  assert.equal(unsupported.name, 'WAFUnsupportedAggregateKeyTypeException');
  assert.equal(unsupported.$metadata.httpStatusCode, 400);
  const missingRule = await rejection(waf.send(new GetRateBasedStatementManagedKeysCommand({ Scope: 'REGIONAL', WebACLName: 'rate-errors', WebACLId: acl.Id!, RuleName: 'no-such-rule' })));
  assert.equal(missingRule.name, 'WAFNonexistentItemException');
  const missingAcl = await rejection(waf.send(new GetRateBasedStatementManagedKeysCommand({ Scope: 'REGIONAL', WebACLName: 'rate-errors', WebACLId: '00000000-0000-4000-8000-000000000000', RuleName: 'per-path' })));
  assert.equal(missingAcl.name, 'WAFNonexistentItemException');
});
