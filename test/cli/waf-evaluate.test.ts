import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cloudFrontAclInput } from '../wafv2/lab.ts';

const BIN = new URL('../../bin/palisade.js', import.meta.url).pathname;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'palisade-waf-evaluate-'));
// No state directory there: labels are named in AWS's example account.
const NO_STATE = ['--state-dir', join(dir, 'no-state')];
let palisade: TestPalisade;

before(async () => {
  palisade = await startTestPalisade();
});
after(async () => {
  await palisade.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function evaluate(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, 'waf', 'evaluate', ...args, ...NO_STATE], { cwd: dir, encoding: 'utf8' });
  return stdout;
}

async function failure(args: string[]): Promise<{ code: number; stderr: string }> {
  return evaluate(args).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

test('get-web-acl output evaluates as stored', async () => {
  const { Summary } = await new WAFV2Client(palisade.clientConfig).send(new CreateWebACLCommand(cloudFrontAclInput('pasted')));
  const { stdout } = await run('aws', ['wafv2', 'get-web-acl', '--scope', 'CLOUDFRONT', '--name', Summary!.Name!, '--id', Summary!.Id!, '--output', 'json'], { env: palisade.cliEnv, encoding: 'utf8' });
  writeFileSync(join(dir, 'get-web-acl.json'), stdout);
  const [evaluation] = JSON.parse(await evaluate(['get-web-acl.json', '--request', 'GET /?id=1%20or%201%3D1', '--json']));
  assert.deepEqual(evaluation.request, { method: 'GET', path: '/?id=1%20or%201%3D1', headers: [], bodyBytes: 0, clientIp: '127.0.0.1' });
  assert.equal(evaluation.action, 'BLOCK');
  assert.equal(evaluation.terminatingRuleId, 'AWS-AWSManagedRulesSQLiRuleSet');
  assert.equal(evaluation.ruleNameWithinRuleGroup, 'SQLi_QUERYARGUMENTS');
  assert.deepEqual(evaluation.labels, ['awswaf:managed:aws:sql-database:SQLi_QueryArguments']);
  const [benign] = JSON.parse(await evaluate(['get-web-acl.json', '--request', 'GET /?id=2', '--json']));
  assert.equal(benign.action, 'ALLOW');
  assert.equal(benign.terminatingRuleId, 'Default_Action');
});

test('CloudFormation resource with a request list', async () => {
  writeFileSync(join(dir, 'acl.yaml'), [
    'Type: AWS::WAFv2::WebACL',
    'Properties:',
    '  Name: shop',
    '  Scope: REGIONAL',
    '  DefaultAction: { Allow: {} }',
    '  VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: shop }',
    '  CustomResponseBodies: { slow: { ContentType: TEXT_PLAIN, Content: slow down } }',
    '  Rules:',
    '    - Name: curl',
    '      Priority: 0',
    '      Action: { Count: {} }',
    "      RuleLabels: [{ Name: 'client:curl' }]",
    '      VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: curl }',
    '      Statement:',
    '        ByteMatchStatement:',
    '          FieldToMatch: { SingleHeader: { Name: user-agent } }',
    '          PositionalConstraint: STARTS_WITH',
    '          SearchString: curl/',
    '          TextTransformations: [{ Priority: 0, Type: LOWERCASE }]',
    '    - Name: per-ip',
    '      Priority: 1',
    '      Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: slow } } }',
    '      VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: per-ip }',
    "      Statement: { RateBasedStatement: { Limit: '10', AggregateKeyType: IP } }",
  ].join('\n'));
  const requests = Array.from({ length: 11 }, (_, i) => ({ path: `/items?id=${i}`, headers: { 'User-Agent': i === 0 ? 'curl/8.5' : 'Mozilla/5.0' } }));
  writeFileSync(join(dir, 'requests.json'), JSON.stringify(requests));
  const lines = (await evaluate(['acl.yaml', '--requests', 'requests.json'])).split('\n');
  assert.deepEqual(lines.slice(0, 3), ['GET /items?id=0 from 127.0.0.1  ALLOW  by Default_Action', '  counted: curl', '  labels: awswaf:123456789012:webacl:shop:client:curl']);
  assert.equal(lines[3], 'GET /items?id=1 from 127.0.0.1  ALLOW  by Default_Action');
  assert.deepEqual(lines.slice(-3), ['GET /items?id=10 from 127.0.0.1  BLOCK  by per-ip', '  response: 429 "slow down"', '']);
  // --header gives a single --request its headers.
  const withAgent = await evaluate(['acl.yaml', '--request', 'GET /items', '--header', 'User-Agent: curl/8.5', '--header', 'Accept: */*']);
  assert.equal(withAgent.split('\n')[1], '  counted: curl');
});

test('request file and scope mistakes are refused', async () => {
  writeFileSync(join(dir, 'misspelt.json'), JSON.stringify([{ url: '/items' }]));
  const misspelt = await failure(['acl.yaml', '--requests', 'misspelt.json']);
  assert.equal(misspelt.code, 1);
  assert.match(misspelt.stderr, /invalid request 1 in misspelt\.json: unknown member url \(expected method, path, headers, body, clientIp\)/);
  writeFileSync(join(dir, 'bad-ip.json'), JSON.stringify([{ path: '/', clientIp: 'not-an-ip' }]));
  assert.match((await failure(['acl.yaml', '--requests', 'bad-ip.json'])).stderr, /clientIp "not-an-ip" is not an IP address/);
  const scope = await failure(['acl.yaml', '--request', 'GET /', '--scope', 'CLOUDFRONT']);
  assert.match(scope.stderr, /--scope CLOUDFRONT contradicts the web ACL's scope REGIONAL/);
  const option = await failure(['acl.yaml', '--request', 'GET /', '--verbose']);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /unknown option --verbose for waf evaluate/);
});

test('references and intrinsics are refused', async () => {
  writeFileSync(join(dir, 'referencing.json'), JSON.stringify({
    Name: 'refs', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'refs' },
    Rules: [{
      Name: 'bad-ips', Priority: 0, Action: { Block: {} }, VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'bad' },
      Statement: { IPSetReferenceStatement: { ARN: 'arn:aws:wafv2:us-east-1:123456789012:regional/ipset/bad/00000000-0000-4000-8000-000000000000' } },
    }],
  }));
  const referencing = await failure(['referencing.json', '--request', 'GET /']);
  assert.equal(referencing.code, 1);
  assert.match(referencing.stderr, /the web ACL references arn:aws:wafv2:us-east-1:123456789012:regional\/ipset\/bad\/00000000-0000-4000-8000-000000000000, which a pasted web ACL does not carry/);
  writeFileSync(join(dir, 'template.yaml'), [
    'Resources:',
    '  Acl:',
    '    Type: AWS::WAFv2::WebACL',
    '    Properties:',
    '      Name: !Sub ${AWS::StackName}-acl',
    '      Scope: REGIONAL',
    '      DefaultAction: { Allow: {} }',
    '      VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: m }',
  ].join('\n'));
  const intrinsic = await failure(['template.yaml', '--request', 'GET /']);
  assert.equal(intrinsic.code, 1);
  assert.match(intrinsic.stderr, /the web ACL uses intrinsic functions \(Ref, Fn::Sub \.\.\.\), which only a stack resolves/);
  // A bare resource with a !Ref is refused too: the unresolved value would never match.
  writeFileSync(join(dir, 'resource-ref.yaml'), [
    'Type: AWS::WAFv2::WebACL',
    'Properties:',
    '  Name: refs',
    '  Scope: REGIONAL',
    '  DefaultAction: { Allow: {} }',
    '  VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: m }',
    '  Rules:',
    '    - Name: debug',
    '      Priority: 0',
    '      Action: { Block: {} }',
    '      VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: debug }',
    '      Statement:',
    '        ByteMatchStatement:',
    '          FieldToMatch: { SingleHeader: { Name: x-debug } }',
    '          PositionalConstraint: EXACTLY',
    '          SearchString: !Ref DebugValue',
    '          TextTransformations: [{ Priority: 0, Type: NONE }]',
  ].join('\n'));
  assert.match((await failure(['resource-ref.yaml', '--request', 'GET /'])).stderr, /the web ACL uses intrinsic functions/);
});
