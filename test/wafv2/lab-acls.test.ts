import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AssociateWebACLCommand, CreateWebACLCommand, GetSampledRequestsCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import type { WebRequest } from '../../src/core/seams.ts';
import { wafRuntime } from '../../src/services/wafv2/index.ts';
import { GEO_MAP_VARIABLE } from '../../src/services/wafv2/engine/geo.ts';
import { createStage } from '../support/api-stage.ts';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cloudFrontAclInput, ORIGIN_SECRET, regionalAclInput } from './lab.ts';

let palisade: TestPalisade;
let client: WAFV2Client;
let regionalArn: string;
let cloudFrontArn: string;
let STAGE_ARN: string;

before(async () => {
  palisade = await startTestPalisade();
  client = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
  regionalArn = (await client.send(new CreateWebACLCommand(regionalAclInput('lab')))).Summary!.ARN!;
  cloudFrontArn = (await client.send(new CreateWebACLCommand(cloudFrontAclInput('lab')))).Summary!.ARN!;
  STAGE_ARN = await createStage(palisade);
  await client.send(new AssociateWebACLCommand({ WebACLArn: regionalArn, ResourceArn: STAGE_ARN }));
});
after(async () => {
  await palisade.stop();
});

function request(overrides: Partial<WebRequest> = {}): WebRequest {
  return { method: 'GET', uriPath: '/Dev/', queryString: '', headers: [['Host', 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com']], body: Buffer.alloc(0), clientIp: '127.0.0.1', ...overrides };
}

function trace(id: string) {
  return { traceId: id, log: palisade.app.traces };
}

const REGIONAL_CASES: [string, [string, string][], string, string][] = [
  ['exact X-Origin-Verify value', [['X-Origin-Verify', ORIGIN_SECRET]], 'ALLOW', 'lab-XRule'],
  ['missing header', [], 'BLOCK', 'Default_Action'],
  ['wrong value', [['X-Origin-Verify', 'guess']], 'BLOCK', 'Default_Action'],
  ['case-changed value', [['X-Origin-Verify', ORIGIN_SECRET.toUpperCase()]], 'BLOCK', 'Default_Action'],
];

for (const [name, headers, action, rule] of REGIONAL_CASES) {
  test(`ACLR ${name} is ${action}`, () => {
    const verdict = palisade.app.seam('waf').evaluateForResource(STAGE_ARN, request({ headers: [['Host', 'x'], ...headers] }), trace(`r-${name}`));
    assert.ok(verdict);
    assert.equal(verdict.action, action);
    assert.equal(verdict.terminatingRuleId, rule);
    assert.equal(verdict.webAclArn, regionalArn);
    const hop = palisade.app.traces.list(`r-${name}`)[0];
    assert.equal(hop.layer, 'wafv2');
    assert.equal(hop.decision, action);
    assert.deepEqual(hop.detail.rule, rule);
  });
}

test('stage without web ACL evaluates to undefined', () => {
  assert.equal(palisade.app.seam('waf').evaluateForResource('arn:aws:apigateway:us-east-1::/restapis/other/stages/Dev', request(), trace('none')), undefined);
});

test('ACLG blocks id=1 or 1=1 with the SQLi label', () => {
  const verdict = palisade.app.seam('waf').evaluateWebAcl(cloudFrontArn, request({ queryString: 'id=1%20or%201=1' }), trace('g-attack'));
  assert.equal(verdict.action, 'BLOCK');
  assert.equal(verdict.terminatingRuleId, 'AWS-AWSManagedRulesSQLiRuleSet');
  assert.deepEqual(verdict.labels, ['awswaf:managed:aws:sql-database:SQLi_QueryArguments']);
  assert.deepEqual(palisade.app.traces.list('g-attack')[0].detail.labels, ['awswaf:managed:aws:sql-database:SQLi_QueryArguments']);
});

for (const query of ['id=2', 'id=1']) {
  test(`ACLG allows ${query}`, () => {
    const verdict = palisade.app.seam('waf').evaluateWebAcl(cloudFrontArn, request({ queryString: query }), trace(`g-${query}`));
    assert.equal(verdict.action, 'ALLOW');
    assert.equal(verdict.terminatingRuleId, 'Default_Action');
    assert.deepEqual(verdict.labels, []);
  });
}

test('unknown web ACL fails closed', () => {
  assert.throws(() => palisade.app.seam('waf').evaluateWebAcl(cloudFrontArn.replace(/[0-9a-f]{12}$/, '000000000000'), request(), trace('gone')), /does not exist/);
});

test('GetSampledRequests returns the blocked sample', async () => {
  palisade.app.seam('waf').evaluateWebAcl(cloudFrontArn, request({ queryString: 'id=1%20or%201=1' }), trace('sample'));
  const now = new Date();
  const output = await client.send(new GetSampledRequestsCommand({
    WebAclArn: cloudFrontArn,
    RuleMetricName: 'AWS-AWSManagedRulesSQLiRuleSet',
    Scope: 'CLOUDFRONT',
    TimeWindow: { StartTime: new Date(now.getTime() - 60_000), EndTime: new Date(now.getTime() + 60_000) },
    MaxItems: 1,
  }));
  assert.ok(output.PopulationSize! >= 1);
  assert.equal(output.SampledRequests!.length, 1);
  const sample = output.SampledRequests![0];
  assert.equal(sample.Action, 'BLOCK');
  assert.equal(sample.RuleNameWithinRuleGroup, 'SQLi_QUERYARGUMENTS');
  assert.equal(sample.Request!.URI, '/Dev/?id=1%20or%201=1');
  assert.deepEqual(sample.Labels, [{ Name: 'awswaf:managed:aws:sql-database:SQLi_QueryArguments' }]);
  // Loopback is in no configured range, so the sample names no country.
  assert.equal(sample.Request!.Country, undefined);
  const counts = wafRuntime(palisade.app)!.countsFor(cloudFrontArn, 'AWS-AWSManagedRulesSQLiRuleSet');
  assert.ok(counts.BlockedRequests >= 2);
});

test('sampled request names the mapped country', async () => {
  const previous = process.env[GEO_MAP_VARIABLE];
  process.env[GEO_MAP_VARIABLE] = '{"198.51.100.0/24":"NZ"}';
  try {
    palisade.app.seam('waf').evaluateWebAcl(cloudFrontArn, request({ queryString: 'id=1%20or%202=2', clientIp: '198.51.100.9' }), trace('country'));
    const now = new Date();
    const output = await client.send(new GetSampledRequestsCommand({
      WebAclArn: cloudFrontArn, RuleMetricName: 'AWS-AWSManagedRulesSQLiRuleSet', Scope: 'CLOUDFRONT',
      TimeWindow: { StartTime: new Date(now.getTime() - 60_000), EndTime: new Date(now.getTime() + 60_000) }, MaxItems: 500,
    }));
    const sample = output.SampledRequests!.find((candidate) => candidate.Request!.ClientIP === '198.51.100.9');
    assert.equal(sample?.Request!.Country, 'NZ');
  } finally {
    if (previous === undefined) delete process.env[GEO_MAP_VARIABLE];
    else process.env[GEO_MAP_VARIABLE] = previous;
  }
});
