import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckCapacityCommand, CreateRegexPatternSetCommand, CreateRuleGroupCommand, CreateWebACLCommand, DeleteRuleGroupCommand, GetRuleGroupCommand,
  ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';

const run = promisify(execFile);
let palisade: TestPalisade;
let client: WAFV2Client;
const UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/;
const trace = { traceId: 't', log: { record() {} } } as any;
const visibility = (name: string) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name });
const request = (uriPath: string, queryString = '') => ({ method: 'GET', uriPath, queryString, headers: [] as [string, string][], body: Buffer.alloc(0), clientIp: '192.0.2.10' });

before(async () => {
  palisade = await startTestPalisade();
  client = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run('aws', ['wafv2', ...args, '--output', 'json'], { env: palisade.cliEnv, encoding: 'utf8' });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

async function awsError(...args: string[]): Promise<string> {
  try {
    await run('aws', ['wafv2', ...args], { env: palisade.cliEnv, encoding: 'utf8' });
  } catch (error) {
    return String((error as { stderr: string }).stderr);
  }
  assert.fail('expected the CLI to fail');
}

test('CLI regex pattern set lifecycle', async () => {
  const created = await aws('create-regex-pattern-set', '--name', 'admin-paths', '--scope', 'REGIONAL', '--regular-expression-list', 'RegexString=^/admin', 'RegexString=\\.php$');
  const { Id, LockToken, ARN } = created.Summary;
  assert.match(Id, UUID);
  assert.equal(ARN, `arn:aws:wafv2:us-east-1:${palisade.app.accountId}:regional/regexpatternset/admin-paths/${Id}`);
  const got = await aws('get-regex-pattern-set', '--name', 'admin-paths', '--scope', 'REGIONAL', '--id', Id);
  assert.deepEqual(got.RegexPatternSet.RegularExpressionList, [{ RegexString: '^/admin' }, { RegexString: '\\.php$' }]);
  const updated = await aws('update-regex-pattern-set', '--name', 'admin-paths', '--scope', 'REGIONAL', '--id', Id, '--regular-expression-list', 'RegexString=^/private', '--lock-token', LockToken);
  assert.match(updated.NextLockToken, UUID);
  const stale = await awsError('update-regex-pattern-set', '--name', 'admin-paths', '--scope', 'REGIONAL', '--id', Id, '--regular-expression-list', 'RegexString=^/x', '--lock-token', LockToken);
  assert.match(stale, /An error occurred \(WAFOptimisticLockException\) when calling the UpdateRegexPatternSet operation/);
  const listed = await aws('list-regex-pattern-sets', '--scope', 'REGIONAL');
  assert.deepEqual(listed.RegexPatternSets.map((set: { Name: string }) => set.Name), ['admin-paths']);
  const invalid = await awsError('create-regex-pattern-set', '--name', 'broken', '--scope', 'REGIONAL', '--regular-expression-list', '[{"RegexString":"([a-z]"}]');
  assert.match(invalid, /\(WAFInvalidParameterException\) when calling the CreateRegexPatternSet operation: Error reason: The parameter contains formatting that is not valid\., field: REGEX_PATTERN_SET, parameter: \(\[a-z\]/);
  await aws('delete-regex-pattern-set', '--name', 'admin-paths', '--scope', 'REGIONAL', '--id', Id, '--lock-token', updated.NextLockToken);
  assert.deepEqual((await aws('list-regex-pattern-sets', '--scope', 'REGIONAL')).RegexPatternSets, []);
});

test('CLI rule group lifecycle', async () => {
  const dir = palisade.stateDir;
  const rules = [{
    Name: 'block-admin',
    Priority: 0,
    Action: { Block: {} },
    RuleLabels: [{ Name: 'admin' }],
    Statement: { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/admin', TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }] } },
    VisibilityConfig: visibility('block-admin'),
  }];
  writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
  writeFileSync(join(dir, 'visibility.json'), JSON.stringify(visibility('group')));
  const tooSmall = await awsError('create-rule-group', '--name', 'small', '--scope', 'REGIONAL', '--capacity', '5', '--rules', `file://${join(dir, 'rules.json')}`, '--visibility-config', `file://${join(dir, 'visibility.json')}`);
  assert.match(tooSmall, /\(WAFLimitsExceededException\) when calling the CreateRuleGroup operation: AWS WAF couldn’t perform the operation because you exceeded your resource limit\./);
  const created = await aws('create-rule-group', '--name', 'admin-group', '--scope', 'REGIONAL', '--capacity', '50', '--rules', `file://${join(dir, 'rules.json')}`, '--visibility-config', `file://${join(dir, 'visibility.json')}`);
  const { Id, LockToken, ARN } = created.Summary;
  assert.equal(ARN, `arn:aws:wafv2:us-east-1:${palisade.app.accountId}:regional/rulegroup/admin-group/${Id}`);
  const got = await aws('get-rule-group', '--name', 'admin-group', '--scope', 'REGIONAL', '--id', Id);
  assert.equal(got.RuleGroup.Capacity, 50);
  assert.equal(got.RuleGroup.LabelNamespace, `awswaf:${palisade.app.accountId}:rulegroup:admin-group:`);
  assert.deepEqual(got.RuleGroup.AvailableLabels, [{ Name: `awswaf:${palisade.app.accountId}:rulegroup:admin-group:admin` }]);
  assert.equal(got.RuleGroup.Rules[0].Name, 'block-admin');
  const updated = await aws('update-rule-group', '--name', 'admin-group', '--scope', 'REGIONAL', '--id', Id, '--rules', `file://${join(dir, 'rules.json')}`, '--visibility-config', `file://${join(dir, 'visibility.json')}`, '--lock-token', LockToken);
  assert.match(updated.NextLockToken, UUID);
  const stale = await awsError('update-rule-group', '--name', 'admin-group', '--scope', 'REGIONAL', '--id', Id, '--rules', `file://${join(dir, 'rules.json')}`, '--visibility-config', `file://${join(dir, 'visibility.json')}`, '--lock-token', LockToken);
  assert.match(stale, /\(WAFOptimisticLockException\) when calling the UpdateRuleGroup operation/);
  assert.deepEqual((await aws('list-rule-groups', '--scope', 'REGIONAL')).RuleGroups.map((group: { Id: string }) => group.Id), [Id]);
  await aws('delete-rule-group', '--name', 'admin-group', '--scope', 'REGIONAL', '--id', Id, '--lock-token', updated.NextLockToken);
});

test('RuleGroupReferenceStatement evaluation and overrides', async () => {
  const { Summary: regex } = await client.send(new CreateRegexPatternSetCommand({ Name: 'php', Scope: 'REGIONAL', RegularExpressionList: [{ RegexString: '\\.php$' }] }));
  const rules = [
    {
      Name: 'php-files',
      Priority: 0,
      Action: { Block: {} },
      RuleLabels: [{ Name: 'php' }],
      Statement: { RegexPatternSetReferenceStatement: { ARN: regex!.ARN!, FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' as const }] } },
      VisibilityConfig: visibility('php-files'),
    },
    {
      Name: 'debug-arg',
      Priority: 1,
      Action: { Block: {} },
      Statement: { RegexMatchStatement: { RegexString: '^(true|1)$', FieldToMatch: { SingleQueryArgument: { Name: 'debug' } }, TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' as const }] } },
      VisibilityConfig: visibility('debug-arg'),
    },
  ];
  const { Summary: group } = await client.send(new CreateRuleGroupCommand({ Name: 'app-rules', Scope: 'REGIONAL', Capacity: 100, Rules: rules, VisibilityConfig: visibility('app-rules') }));
  const reference = (extra: object, override: 'None' | 'Count' = 'None') => ({
    Name: 'app',
    Priority: 0,
    OverrideAction: { [override]: {} },
    Statement: { RuleGroupReferenceStatement: { ARN: group!.ARN!, ...extra } },
    VisibilityConfig: visibility('app'),
  });
  // The reference costs the group's declared capacity.
  assert.equal((await client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: [reference({})] }))).Capacity, 100);
  // RegexPatternSetReference 25 WCU, RegexMatch 3 + 10 for LOWERCASE.
  assert.equal((await client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: [{ ...rules[0], Statement: rules[0].Statement }, { ...rules[1] }] }))).Capacity, 38);

  const waf = palisade.app.seam('waf');
  async function acl(name: string, rule: object) {
    const { Summary } = await client.send(new CreateWebACLCommand({ Name: name, Scope: 'REGIONAL', DefaultAction: { Allow: {} }, Rules: [rule as any], VisibilityConfig: visibility(name) }));
    return Summary!.ARN!;
  }
  const plain = await acl('plain', reference({}));
  const blocked = waf.evaluateWebAcl(plain, request('/index.php'), trace);
  assert.equal(blocked.action, 'BLOCK');
  assert.equal(blocked.terminatingRuleId, 'app');
  assert.deepEqual(blocked.labels, [`awswaf:${palisade.app.accountId}:rulegroup:app-rules:php`]);
  assert.equal(waf.evaluateWebAcl(plain, request('/index.html', 'debug=TRUE'), trace).action, 'BLOCK');
  assert.equal(waf.evaluateWebAcl(plain, request('/index.html', 'debug=no'), trace).action, 'ALLOW');

  const counted = await acl('counted', reference({}, 'Count'));
  const countVerdict = waf.evaluateWebAcl(counted, request('/index.php'), trace);
  assert.equal(countVerdict.action, 'ALLOW');
  assert.deepEqual(countVerdict.labels, [`awswaf:${palisade.app.accountId}:rulegroup:app-rules:php`]);

  const overridden = await acl('overridden', reference({ RuleActionOverrides: [{ Name: 'php-files', ActionToUse: { Count: {} } }] }));
  assert.equal(waf.evaluateWebAcl(overridden, request('/index.php'), trace).action, 'ALLOW');
  assert.equal(waf.evaluateWebAcl(overridden, request('/', 'debug=1'), trace).action, 'BLOCK');

  const unknownRule = await rejection(client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: [reference({ ExcludedRules: [{ Name: 'nope' }] })] })));
  assert.equal(unknownRule.name, 'WAFInvalidParameterException');
  assert.equal(unknownRule.Field, 'EXCLUDED_RULE');
  assert.equal(unknownRule.Parameter, 'nope');

  const withAction = await rejection(client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: [{ ...reference({}), OverrideAction: undefined, Action: { Block: {} } }] })));
  assert.equal(withAction.name, 'WAFInvalidParameterException');
  assert.equal(withAction.Field, 'RULE_ACTION');

  const { LockToken } = await client.send(new GetRuleGroupCommand({ Name: 'app-rules', Scope: 'REGIONAL', Id: group!.Id }));
  const inUse = await rejection(client.send(new DeleteRuleGroupCommand({ Name: 'app-rules', Scope: 'REGIONAL', Id: group!.Id, LockToken })));
  assert.equal(inUse.name, 'WAFAssociatedItemException');
  assert.equal(inUse.message, 'AWS WAF couldn’t perform the operation because your resource is being used by another resource or it’s associated with another resource.');
});

test('resource tags add, list, remove', async () => {
  const { Summary } = await client.send(new CreateRegexPatternSetCommand({ Name: 'tagged', Scope: 'REGIONAL', RegularExpressionList: [], Tags: [{ Key: 'team', Value: 'edge' }] }));
  const arn = Summary!.ARN!;
  await client.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'lab' }, { Key: 'team', Value: 'security' }] }));
  let listed = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
  assert.deepEqual(listed.TagInfoForResource, { ResourceARN: arn, TagList: [{ Key: 'team', Value: 'security' }, { Key: 'env', Value: 'lab' }] });
  await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
  listed = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
  assert.deepEqual(listed.TagInfoForResource!.TagList, [{ Key: 'env', Value: 'lab' }]);
  const reserved = await rejection(client.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'aws:owner', Value: 'x' }] })));
  assert.equal(reserved.name, 'WAFInvalidParameterException');
  assert.equal(reserved.Field, 'TAGS');
  const missing = await rejection(client.send(new ListTagsForResourceCommand({ ResourceARN: arn.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000') })));
  assert.equal(missing.name, 'WAFNonexistentItemException');
});
