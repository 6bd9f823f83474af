import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AssociateWebACLCommand, CheckCapacityCommand, CreateWebACLCommand, DeleteWebACLCommand, DescribeManagedRuleGroupCommand,
  DisassociateWebACLCommand, GetWebACLCommand, GetWebACLForResourceCommand, ListAvailableManagedRuleGroupsCommand,
  ListResourcesForWebACLCommand, ListWebACLsCommand, UpdateWebACLCommand, WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { createStage } from '../support/api-stage.ts';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cloudFrontAclInput, ORIGIN_SECRET, regionalAclInput } from './lab.ts';
import { rejection } from '../support/rejection.ts';

const run = promisify(execFile);
let palisade: TestPalisade;
let client: WAFV2Client;
let STAGE_ARN: string;
const UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/;

before(async () => {
  palisade = await startTestPalisade();
  client = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
  STAGE_ARN = await createStage(palisade);
});
after(async () => {
  await palisade.stop();
});

test('CreateWebACL returns a summary with ARN, UUID id and lock token', async () => {
  const { Summary } = await client.send(new CreateWebACLCommand({ ...regionalAclInput('create'), Description: 'lab acl' }));
  assert.equal(Summary!.Name, 'create-ACLR');
  assert.match(Summary!.Id!, UUID);
  assert.match(Summary!.LockToken!, UUID);
  assert.equal(Summary!.Description, 'lab acl');
  assert.equal(Summary!.ARN, `arn:aws:wafv2:us-east-1:${palisade.app.accountId}:regional/webacl/create-ACLR/${Summary!.Id}`);
  const global = await client.send(new CreateWebACLCommand(cloudFrontAclInput('create')));
  assert.equal(global.Summary!.ARN, `arn:aws:wafv2:us-east-1:${palisade.app.accountId}:global/webacl/create-ACLG/${global.Summary!.Id}`);
});

test('CreateWebACL duplicate name is WAFDuplicateItemException', async () => {
  await client.send(new CreateWebACLCommand(regionalAclInput('dup')));
  const error = await rejection(client.send(new CreateWebACLCommand(regionalAclInput('dup'))));
  assert.equal(error.name, 'WAFDuplicateItemException');
  assert.equal(error.$metadata.httpStatusCode, 400);
});

test('GetWebACL returns rules, capacity and lock token', async () => {
  const { Summary } = await client.send(new CreateWebACLCommand(regionalAclInput('get')));
  const output = await client.send(new GetWebACLCommand({ Name: 'get-ACLR', Scope: 'REGIONAL', Id: Summary!.Id }));
  assert.equal(output.LockToken, Summary!.LockToken);
  assert.equal(output.WebACL!.ARN, Summary!.ARN);
  assert.equal(output.WebACL!.Capacity, 4);
  assert.deepEqual(output.WebACL!.DefaultAction, { Block: {} });
  assert.equal(output.WebACL!.LabelNamespace, `awswaf:${palisade.app.accountId}:webacl:get-ACLR:`);
  const search = output.WebACL!.Rules![0].Statement!.OrStatement!.Statements![0].ByteMatchStatement!.SearchString!;
  assert.equal(Buffer.from(search).toString(), ORIGIN_SECRET);
});

test('GetWebACL unknown id is WAFNonexistentItemException', async () => {
  const error = await rejection(client.send(new GetWebACLCommand({ Name: 'nope', Scope: 'REGIONAL', Id: '00000000-0000-4000-8000-000000000000' })));
  assert.equal(error.name, 'WAFNonexistentItemException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.');
});

test('UpdateWebACL needs the current LockToken', async () => {
  const input = regionalAclInput('update');
  const { Summary } = await client.send(new CreateWebACLCommand(input));
  const update = { ...input, Id: Summary!.Id, DefaultAction: { Allow: {} }, LockToken: Summary!.LockToken };
  const { NextLockToken } = await client.send(new UpdateWebACLCommand(update));
  assert.match(NextLockToken!, UUID);
  assert.notEqual(NextLockToken, Summary!.LockToken);
  const stale = await rejection(client.send(new UpdateWebACLCommand(update)));
  assert.equal(stale.name, 'WAFOptimisticLockException');
  assert.equal(stale.$metadata.httpStatusCode, 400);
  const current = await client.send(new GetWebACLCommand({ Name: input.Name, Scope: 'REGIONAL', Id: Summary!.Id }));
  assert.deepEqual(current.WebACL!.DefaultAction, { Allow: {} });
  assert.equal(current.LockToken, NextLockToken);
});

test('ListWebACLs lists by scope', async () => {
  const { WebACLs } = await client.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' }));
  assert.ok(WebACLs!.length >= 1);
  assert.ok(WebACLs!.every((acl) => acl.ARN!.includes(':global/webacl/')));
  const regional = await client.send(new ListWebACLsCommand({ Scope: 'REGIONAL', Limit: 1 }));
  assert.equal(regional.WebACLs!.length, 1);
  assert.ok(regional.NextMarker);
});

test('associate, get for resource, list resources, delete refused, disassociate', async () => {
  const input = regionalAclInput('assoc');
  const { Summary } = await client.send(new CreateWebACLCommand(input));
  await client.send(new AssociateWebACLCommand({ WebACLArn: Summary!.ARN, ResourceArn: STAGE_ARN }));
  const forResource = await client.send(new GetWebACLForResourceCommand({ ResourceArn: STAGE_ARN }));
  assert.equal(forResource.WebACL!.ARN, Summary!.ARN);
  const resources = await client.send(new ListResourcesForWebACLCommand({ WebACLArn: Summary!.ARN, ResourceType: 'API_GATEWAY' }));
  assert.deepEqual(resources.ResourceArns, [STAGE_ARN]);
  const deleteInput = { Name: input.Name, Scope: 'REGIONAL' as const, Id: Summary!.Id, LockToken: Summary!.LockToken };
  const associated = await rejection(client.send(new DeleteWebACLCommand(deleteInput)));
  assert.equal(associated.name, 'WAFAssociatedItemException');
  assert.equal(associated.$metadata.httpStatusCode, 400);
  await client.send(new DisassociateWebACLCommand({ ResourceArn: STAGE_ARN }));
  assert.equal((await client.send(new GetWebACLForResourceCommand({ ResourceArn: STAGE_ARN }))).WebACL, undefined);
  await client.send(new DeleteWebACLCommand(deleteInput));
  const gone = await rejection(client.send(new GetWebACLCommand({ Name: input.Name, Scope: 'REGIONAL', Id: Summary!.Id })));
  assert.equal(gone.name, 'WAFNonexistentItemException');
});

test('unsupported statement is refused naming it', async () => {
  const input = regionalAclInput('asn');
  input.Rules[0].Statement = { AsnMatchStatement: { AsnList: [64496] } } as any;
  const error = await rejection(client.send(new CreateWebACLCommand(input)));
  assert.equal(error.name, 'WAFInvalidParameterException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.Field, 'STATEMENT');
  assert.equal(error.Parameter, 'AsnMatchStatement');
  assert.match(error.message, /^Error reason: palisade does not implement AsnMatchStatement yet/);
});

test('JA3Fingerprint and unknown managed group are refused', async () => {
  const ja3 = regionalAclInput('ja3');
  (ja3.Rules[0].Statement as any) = { SqliMatchStatement: { FieldToMatch: { JA3Fingerprint: { FallbackBehavior: 'MATCH' } }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } };
  const ja3Error = await rejection(client.send(new CreateWebACLCommand(ja3)));
  assert.equal(ja3Error.name, 'WAFInvalidParameterException');
  assert.equal(ja3Error.Field, 'FIELD_TO_MATCH');
  assert.equal(ja3Error.Parameter, 'JA3Fingerprint');
  const managed = cloudFrontAclInput('unknown');
  managed.Rules[0].Statement.ManagedRuleGroupStatement.Name = 'AWSManagedRulesBotControlRuleSet';
  const managedError = await rejection(client.send(new CreateWebACLCommand(managed)));
  assert.equal(managedError.name, 'WAFInvalidParameterException');
  assert.equal(managedError.Parameter, 'AWS/AWSManagedRulesBotControlRuleSet');
});

test('invalid DefaultAction is WAFInvalidParameterException with Field', async () => {
  const input = { ...regionalAclInput('both'), DefaultAction: { Allow: {}, Block: {} } };
  const error = await rejection(client.send(new CreateWebACLCommand(input)));
  assert.equal(error.name, 'WAFInvalidParameterException');
  assert.equal(error.Field, 'DEFAULT_ACTION');
  assert.equal(error.Parameter, 'DefaultAction');
  assert.equal(error.Reason, 'You have used none or multiple values for a field that requires exactly one value.');
  assert.equal(error.message, 'Error reason: You have used none or multiple values for a field that requires exactly one value., field: DEFAULT_ACTION, parameter: DefaultAction');
});

test('CheckCapacity uses AWS WCU figures', async () => {
  const { Capacity: regional } = await client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: regionalAclInput('cap').Rules }));
  assert.equal(regional, 4);
  const { Capacity: managed } = await client.send(new CheckCapacityCommand({ Scope: 'CLOUDFRONT', Rules: cloudFrontAclInput('cap').Rules }));
  assert.equal(managed, 200);
});

test('managed rule group description and listing', async () => {
  const described = await client.send(new DescribeManagedRuleGroupCommand({ VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet', Scope: 'CLOUDFRONT' }));
  assert.equal(described.Capacity, 200);
  assert.deepEqual(described.Rules!.map((rule) => rule.Name), [
    'SQLiExtendedPatterns_QUERYARGUMENTS', 'SQLi_QUERYARGUMENTS', 'SQLi_BODY', 'SQLiExtendedPatterns_BODY', 'SQLi_COOKIE', 'SQLi_URIPATH',
  ]);
  assert.ok(described.AvailableLabels!.some((label) => label.Name === 'awswaf:managed:aws:sql-database:SQLi_QueryArguments'));
  const listed = await client.send(new ListAvailableManagedRuleGroupsCommand({ Scope: 'REGIONAL' }));
  assert.deepEqual(listed.ManagedRuleGroups!.map((group) => group.Name), [
    'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAdminProtectionRuleSet',
  ]);
});

test('CLOUDFRONT scope outside us-east-1 is refused', async () => {
  const west = new WAFV2Client({ ...palisade.clientConfig, region: 'eu-west-1', maxAttempts: 1 });
  const error = await rejection(west.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' })));
  assert.equal(error.name, 'WAFInvalidParameterException');
  assert.equal(error.Field, 'SCOPE_VALUE');
});

test('AWS CLI create-web-acl and update-web-acl with --lock-token', async () => {
  const input = regionalAclInput('cli');
  const rules = JSON.stringify(input.Rules.map((rule) => ({
    ...rule,
    Statement: { OrStatement: { Statements: rule.Statement.OrStatement.Statements.map((s) => ({ ByteMatchStatement: { ...s.ByteMatchStatement, SearchString: ORIGIN_SECRET } })) } },
  })));
  const common = ['--scope', 'REGIONAL', '--visibility-config', JSON.stringify(input.VisibilityConfig), '--rules', rules, '--output', 'json'];
  const created = JSON.parse((await run('aws', ['wafv2', 'create-web-acl', '--name', 'cli-ACLR', '--default-action', 'Block={}', ...common], { env: palisade.cliEnv })).stdout);
  assert.equal(created.Summary.Name, 'cli-ACLR');
  const updateArgs = ['wafv2', 'update-web-acl', '--name', 'cli-ACLR', '--id', created.Summary.Id, '--default-action', 'Allow={}', ...common];
  const updated = JSON.parse((await run('aws', [...updateArgs, '--lock-token', created.Summary.LockToken], { env: palisade.cliEnv })).stdout);
  assert.match(updated.NextLockToken, UUID);
  const stale = await rejection(run('aws', [...updateArgs, '--lock-token', created.Summary.LockToken], { env: palisade.cliEnv }));
  assert.match(stale.stderr, /An error occurred \(WAFOptimisticLockException\) when calling the UpdateWebACL operation/);
  const got = JSON.parse((await run('aws', ['wafv2', 'get-web-acl', '--name', 'cli-ACLR', '--scope', 'REGIONAL', '--id', created.Summary.Id, '--output', 'json'], { env: palisade.cliEnv })).stdout);
  const search = got.WebACL.Rules[0].Statement.OrStatement.Statements[0].ByteMatchStatement.SearchString;
  assert.equal(Buffer.from(search, 'base64').toString(), ORIGIN_SECRET);
  assert.deepEqual(got.WebACL.DefaultAction, { Allow: {} });
});
