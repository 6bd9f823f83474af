import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CheckCapacityCommand, CreateIPSetCommand, CreateWebACLCommand, DeleteIPSetCommand, GetIPSetCommand, GetWebACLCommand, UpdateIPSetCommand,
  UpdateWebACLCommand, WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';

const run = promisify(execFile);
let palisade: TestPalisade;
let client: WAFV2Client;
const UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/;
const STAGE_ARN = 'arn:aws:apigateway:us-east-1::/restapis/ipset12345/stages/Dev';

before(async () => {
  palisade = await startTestPalisade();
  client = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

/** Run `aws wafv2 ...` (CLI v1) and parse its JSON output; rejects with the CLI's stderr on failure. */
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

test('CLI IP set lifecycle with lock tokens', async () => {
  const created = await aws('create-ip-set', '--name', 'office', '--scope', 'REGIONAL', '--ip-address-version', 'IPV4', '--addresses', '192.0.2.0/24', '198.51.100.7/32', '--description', 'office ranges');
  const { Id, LockToken, ARN } = created.Summary;
  assert.match(Id, UUID);
  assert.match(LockToken, UUID);
  assert.equal(ARN, `arn:aws:wafv2:us-east-1:${palisade.app.accountId}:regional/ipset/office/${Id}`);

  const got = await aws('get-ip-set', '--name', 'office', '--scope', 'REGIONAL', '--id', Id);
  assert.deepEqual(got.IPSet, { Name: 'office', Id, ARN, Description: 'office ranges', IPAddressVersion: 'IPV4', Addresses: ['192.0.2.0/24', '198.51.100.7/32'] });
  assert.equal(got.LockToken, LockToken);

  const updated = await aws('update-ip-set', '--name', 'office', '--scope', 'REGIONAL', '--id', Id, '--addresses', '203.0.113.0/24', '--lock-token', LockToken);
  assert.match(updated.NextLockToken, UUID);
  assert.notEqual(updated.NextLockToken, LockToken);

  const stale = await awsError('update-ip-set', '--name', 'office', '--scope', 'REGIONAL', '--id', Id, '--addresses', '203.0.113.0/24', '--lock-token', LockToken);
  assert.match(stale, /An error occurred \(WAFOptimisticLockException\) when calling the UpdateIPSet operation: AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it\. Reapply your changes\./);

  // Update replaces every mutable member: the Description it did not repeat is gone, as in AWS.
  const listed = await aws('list-ip-sets', '--scope', 'REGIONAL');
  assert.deepEqual(listed.IPSets, [{ Name: 'office', Id, LockToken: updated.NextLockToken, ARN }]);

  const staleDelete = await awsError('delete-ip-set', '--name', 'office', '--scope', 'REGIONAL', '--id', Id, '--lock-token', LockToken);
  assert.match(staleDelete, /\(WAFOptimisticLockException\) when calling the DeleteIPSet operation/);
  await aws('delete-ip-set', '--name', 'office', '--scope', 'REGIONAL', '--id', Id, '--lock-token', updated.NextLockToken);
  const gone = await awsError('get-ip-set', '--name', 'office', '--scope', 'REGIONAL', '--id', Id);
  assert.match(gone, /\(WAFNonexistentItemException\) when calling the GetIPSet operation: AWS WAF couldn’t perform the operation because your resource doesn’t exist\./);
});

test('IP set address validation', async () => {
  const { Summary } = await client.send(new CreateIPSetCommand({ Name: 'v6', Scope: 'REGIONAL', IPAddressVersion: 'IPV6', Addresses: ['2001:db8::/32'] }));
  const { IPSet } = await client.send(new GetIPSetCommand({ Name: 'v6', Scope: 'REGIONAL', Id: Summary!.Id }));
  assert.deepEqual(IPSet!.Addresses, ['2001:db8::/32']);
  for (const [version, address] of [['IPV4', '2001:db8::/32'], ['IPV4', '192.0.2.1'], ['IPV6', '192.0.2.0/24'], ['IPV4', '192.0.2.0/33']] as const) {
    const error = await rejection(client.send(new CreateIPSetCommand({ Name: 'bad', Scope: 'REGIONAL', IPAddressVersion: version, Addresses: [address] })));
    assert.equal(error.name, 'WAFInvalidParameterException');
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(error.Field, 'IP_ADDRESS');
    assert.equal(error.Parameter, address);
    assert.equal(error.message, `Error reason: The parameter contains formatting that is not valid., field: IP_ADDRESS, parameter: ${address}`);
  }
  const duplicate = await rejection(client.send(new CreateIPSetCommand({ Name: 'v6', Scope: 'REGIONAL', IPAddressVersion: 'IPV6', Addresses: [] })));
  assert.equal(duplicate.name, 'WAFDuplicateItemException');
});

function ipSetRule(arn: string, forwarded?: { HeaderName: string; FallbackBehavior: 'MATCH' | 'NO_MATCH'; Position: 'FIRST' | 'LAST' | 'ANY' }) {
  return {
    Name: 'blocked-ips',
    Priority: 0,
    Action: { Block: {} },
    Statement: { IPSetReferenceStatement: { ARN: arn, ...(forwarded ? { IPSetForwardedIPConfig: forwarded } : {}) } },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'blocked-ips' },
  };
}

test('IPSetReferenceStatement evaluation and forwarded IPs', async () => {
  const { Summary: set } = await client.send(new CreateIPSetCommand({ Name: 'deny', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['10.9.0.0/16'] }));
  const { Capacity } = await client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: [ipSetRule(set!.ARN!)] }));
  assert.equal(Capacity, 1);
  const { Summary: acl } = await client.send(new CreateWebACLCommand({
    Name: 'ipset-acl', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, Rules: [ipSetRule(set!.ARN!)],
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'ipset-acl' },
  }));
  const waf = palisade.app.seam('waf');
  const trace = { traceId: 't', log: { record() {} } } as any;
  const request = (clientIp: string, headers: [string, string][] = []) => ({ method: 'GET', uriPath: '/', queryString: '', headers, body: Buffer.alloc(0), clientIp });
  assert.equal(waf.evaluateWebAcl(acl!.ARN!, request('10.9.3.4'), trace).action, 'BLOCK');
  assert.equal(waf.evaluateWebAcl(acl!.ARN!, request('10.10.3.4'), trace).action, 'ALLOW');

  const { LockToken } = await client.send(new GetIPSetCommand({ Name: 'deny', Scope: 'REGIONAL', Id: set!.Id }));
  await client.send(new UpdateIPSetCommand({ Name: 'deny', Scope: 'REGIONAL', Id: set!.Id, Addresses: ['10.10.0.0/16'], LockToken }));
  assert.equal(waf.evaluateWebAcl(acl!.ARN!, request('10.9.3.4'), trace).action, 'ALLOW');
  assert.equal(waf.evaluateWebAcl(acl!.ARN!, request('10.10.3.4'), trace).action, 'BLOCK');

  const current = await client.send(new GetIPSetCommand({ Name: 'deny', Scope: 'REGIONAL', Id: set!.Id }));
  const inUse = await rejection(client.send(new DeleteIPSetCommand({ Name: 'deny', Scope: 'REGIONAL', Id: set!.Id, LockToken: current.LockToken })));
  assert.equal(inUse.name, 'WAFAssociatedItemException');
  assert.equal(inUse.$metadata.httpStatusCode, 400);

  // IPSetForwardedIPConfig: FIRST, LAST and ANY positions of X-Forwarded-For, and the fallback for an invalid entry.
  const forwardedHeaders: [string, string][] = [['X-Forwarded-For', '192.0.2.1, 10.10.0.5, 198.51.100.2']];
  const cases = [['FIRST', 'ALLOW'], ['LAST', 'ALLOW'], ['ANY', 'BLOCK']] as const;
  for (const [position, expected] of cases) {
    const { WebACL, LockToken: aclToken } = await client.send(new GetWebACLCommand({ Name: 'ipset-acl', Scope: 'REGIONAL', Id: acl!.Id }));
    await client.send(new UpdateWebACLCommand({
      Name: 'ipset-acl', Scope: 'REGIONAL', Id: acl!.Id, LockToken: aclToken, DefaultAction: WebACL!.DefaultAction, VisibilityConfig: WebACL!.VisibilityConfig,
      Rules: [ipSetRule(set!.ARN!, { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH', Position: position })],
    }));
    assert.equal(waf.evaluateWebAcl(acl!.ARN!, request('10.10.9.9', forwardedHeaders), trace).action, expected, position);
  }
  assert.equal(waf.evaluateWebAcl(acl!.ARN!, request('192.0.2.1', [['X-Forwarded-For', 'not-an-ip']]), trace).action, 'BLOCK');
  assert.equal(waf.evaluateWebAcl(acl!.ARN!, request('10.10.9.9'), trace).action, 'ALLOW');
});

test('invalid IP set references rejected', async () => {
  const missing = `arn:aws:wafv2:us-east-1:${palisade.app.accountId}:regional/ipset/none/00000000-0000-4000-8000-000000000000`;
  const unavailable = await rejection(client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: [ipSetRule(missing)] })));
  assert.equal(unavailable.name, 'WAFUnavailableEntityException');
  const { Summary: set } = await client.send(new CreateIPSetCommand({ Name: 'cfg', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: [] }));
  const position = await rejection(client.send(new CheckCapacityCommand({
    Scope: 'REGIONAL', Rules: [ipSetRule(set!.ARN!, { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH', Position: 'MIDDLE' as any })],
  })));
  assert.equal(position.name, 'WAFInvalidParameterException');
  assert.equal(position.Field, 'POSITION');
  assert.equal(position.Parameter, 'MIDDLE');
  const global = await client.send(new CreateIPSetCommand({ Name: 'global', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4', Addresses: [] }));
  const wrongScope = await rejection(client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: [ipSetRule(global.Summary!.ARN!)] })));
  assert.equal(wrongScope.name, 'WAFInvalidParameterException');
  assert.equal(wrongScope.Field, 'RESOURCE_ARN');
});
