import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AssociateWebACLCommand, CreateRuleGroupCommand, CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { createStage } from '../support/api-stage.ts';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';

let palisade: TestPalisade;
let waf: WAFV2Client;

const VISIBILITY = { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'validation' };
const ANY_PATH = { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH' as const, SearchString: new TextEncoder().encode('/'), TextTransformations: [{ Priority: 0, Type: 'NONE' as const }] } };
const TEAPOT = { Block: { CustomResponse: { ResponseCode: 418, CustomResponseBodyKey: 'teapot' } } };

before(async () => {
  palisade = await startTestPalisade();
  waf = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

test('RuleLabels on managed group rule rejected', async () => {
  const error = await rejection(waf.send(new CreateWebACLCommand({
    Name: 'labelled-managed', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VISIBILITY,
    Rules: [{
      Name: 'sqli', Priority: 0, OverrideAction: { None: {} }, VisibilityConfig: VISIBILITY, RuleLabels: [{ Name: 'extra' }],
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet' } },
    }],
  })));
  assert.equal(error.name, 'WAFInvalidParameterException');
  assert.equal((error as unknown as { Field: string }).Field, 'RULE');
  assert.equal((error as unknown as { Parameter: string }).Parameter, 'RuleLabels');
});

test('undefined CustomResponseBodyKey rejected', async () => {
  const inAcl = await rejection(waf.send(new CreateWebACLCommand({
    Name: 'missing-body', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VISIBILITY,
    Rules: [{ Name: 'teapot', Priority: 0, Action: TEAPOT, VisibilityConfig: VISIBILITY, Statement: ANY_PATH }],
  })));
  assert.equal(inAcl.name, 'WAFInvalidParameterException');
  assert.equal((inAcl as unknown as { Field: string }).Field, 'CUSTOM_RESPONSE');
  assert.equal((inAcl as unknown as { Parameter: string }).Parameter, 'teapot');
  const inDefault = await rejection(waf.send(new CreateWebACLCommand({ Name: 'missing-default-body', Scope: 'REGIONAL', DefaultAction: TEAPOT, VisibilityConfig: VISIBILITY, Rules: [] })));
  assert.equal((inDefault as unknown as { Field: string }).Field, 'CUSTOM_RESPONSE');
  const inGroup = await rejection(waf.send(new CreateRuleGroupCommand({
    Name: 'missing-body-group', Scope: 'REGIONAL', Capacity: 10, VisibilityConfig: VISIBILITY,
    Rules: [{ Name: 'teapot', Priority: 0, Action: TEAPOT, VisibilityConfig: VISIBILITY, Statement: ANY_PATH }],
  })));
  assert.equal((inGroup as unknown as { Field: string }).Field, 'CUSTOM_RESPONSE');
});

test('group rule answers with the group body', async () => {
  const { Summary: group } = await waf.send(new CreateRuleGroupCommand({
    Name: 'teapot-group', Scope: 'REGIONAL', Capacity: 10, VisibilityConfig: VISIBILITY,
    CustomResponseBodies: { teapot: { ContentType: 'TEXT_PLAIN', Content: 'short and stout' } },
    Rules: [{ Name: 'teapot', Priority: 0, Action: TEAPOT, VisibilityConfig: VISIBILITY, Statement: ANY_PATH }],
  }));
  const { Summary: acl } = await waf.send(new CreateWebACLCommand({
    Name: 'teapot-acl', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VISIBILITY,
    CustomResponseBodies: { teapot: { ContentType: 'TEXT_PLAIN', Content: 'the web ACL body' } },
    Rules: [{ Name: 'group', Priority: 0, OverrideAction: { None: {} }, VisibilityConfig: VISIBILITY, Statement: { RuleGroupReferenceStatement: { ARN: group!.ARN } } }],
  }));
  const request = { method: 'GET', uriPath: '/', queryString: '', headers: [] as [string, string][], body: Buffer.alloc(0), clientIp: '192.0.2.1' };
  const verdict = palisade.app.seam('waf').evaluateWebAcl(acl!.ARN!, request, { traceId: 'teapot', log: { record() {} } } as any);
  assert.equal(verdict.action, 'BLOCK');
  assert.deepEqual(verdict.customResponse, { statusCode: 418, headers: [], body: 'short and stout', contentType: 'text/plain' });
});

test('association needs an existing stage', async () => {
  const { Summary: acl } = await waf.send(new CreateWebACLCommand({ Name: 'associations', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VISIBILITY, Rules: [] }));
  const missing = await rejection(waf.send(new AssociateWebACLCommand({ WebACLArn: acl!.ARN, ResourceArn: 'arn:aws:apigateway:us-east-1::/restapis/nosuchapi/stages/Dev' })));
  assert.equal(missing.name, 'WAFNonexistentItemException');
  const balancer = await rejection(waf.send(new AssociateWebACLCommand({
    WebACLArn: acl!.ARN, ResourceArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188',
  })));
  assert.equal(balancer.name, 'WAFInvalidParameterException');
  assert.equal((balancer as unknown as { Field: string }).Field, 'RESOURCE_ARN');
  const stageArn = await createStage(palisade);
  await waf.send(new AssociateWebACLCommand({ WebACLArn: acl!.ARN, ResourceArn: stageArn }));
});
