import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudFrontClient, CreateDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand, CreateInvalidationCommand,
} from '@aws-sdk/client-cloudfront';
import type { WafSeam } from '../../src/core/seams.ts';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { labDistributionConfig } from './support.ts';

const ORIGIN_DOMAIN = 'fakeorigin1.execute-api.us-east-1.amazonaws.com';
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/lab-ACLG/0f1e2d3c-aaaa-bbbb-cccc-000000000001';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

let palisade: TestPalisade;
let cloudfront: CloudFrontClient;
let origin: Server;
const seen: Seen[] = [];
const wafCalls: { uriPath: string; queryString: string }[] = [];
let distributionId: string;
let domainName: string;
let edgeUrl: string;

/** A fake origin on loopback that echoes each request as JSON; `/Dev/nostore` responds with Cache-Control: no-store. */
function startOrigin(): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (req.url!.startsWith('/Dev/nostore')) headers['cache-control'] = 'no-store';
    res.writeHead(200, headers);
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A WAF that blocks any query string containing `block`, as a SQLi rule would block `or 1=1`. */
const fakeWaf: WafSeam = {
  evaluateForResource: () => undefined,
  evaluateWebAcl(webAclArn, request) {
    wafCalls.push({ uriPath: request.uriPath, queryString: request.queryString });
    const blocked = request.queryString.includes('block');
    return { action: blocked ? 'BLOCK' : 'ALLOW', webAclArn, terminatingRuleId: blocked ? 'AWS-AWSManagedRulesSQLiRuleSet' : 'Default_Action', labels: [], insertHeaders: [] };
  },
};

before(async () => {
  palisade = await startTestPalisade();
  cloudfront = new CloudFrontClient({ ...palisade.clientConfig, maxAttempts: 1 });
  origin = await startOrigin();
  const originPort = (origin.address() as AddressInfo).port;
  palisade.app.urlRewriters.unshift((url) => (url.hostname === ORIGIN_DOMAIN ? `http://127.0.0.1:${originPort}${url.pathname}${url.search}` : undefined));
  palisade.app.seams.waf = fakeWaf;
  const created = await cloudfront.send(new CreateDistributionCommand({
    DistributionConfig: labDistributionConfig({ callerReference: 'edge-1', originDomain: ORIGIN_DOMAIN, secret: 'verify-secret', webAclArn: WEB_ACL_ARN }),
  }));
  distributionId = created.Distribution!.Id!;
  domainName = created.Distribution!.DomainName!;
  edgeUrl = palisade.app.localUrl(`https://${domainName}/`)!;
});
after(async () => {
  await palisade.stop();
  await new Promise<void>((resolve) => origin.close(() => resolve()));
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, edgeUrl), { headers });
  return { response, body: await response.text() };
}

async function update(change: (config: any) => void) {
  const { DistributionConfig: config, ETag } = await cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
  change(config);
  await cloudfront.send(new UpdateDistributionCommand({ Id: distributionId, IfMatch: ETag, DistributionConfig: config }));
}

async function invalidateAll(reference: string) {
  await cloudfront.send(new CreateInvalidationCommand({ DistributionId: distributionId, InvalidationBatch: { CallerReference: reference, Paths: { Quantity: 1, Items: ['/*'] } } }));
}

test('edge URL rewrites the distribution domain to loopback', () => {
  assert.match(edgeUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(palisade.app.localUrl(`http://${domainName}/x?id=1`), `${edgeUrl}x?id=1`);
});

test('miss forwards custom header and query, drops Authorization', async () => {
  const before = seen.length;
  const { response } = await get('/?id=1', { Authorization: 'Bearer token-a', 'X-Viewer-Note': 'kept', 'X-Origin-Verify': 'forged' });
  assert.equal(response.status, 200);
  assert.equal(seen.length, before + 1);
  const request = seen[seen.length - 1];
  assert.equal(request.method, 'GET');
  assert.equal(request.url, '/Dev/?id=1');
  assert.equal(request.headers['x-origin-verify'], 'verify-secret');
  assert.equal(request.headers.authorization, undefined);
  assert.equal(request.headers['x-viewer-note'], 'kept');
  assert.equal(request.headers['user-agent'], 'Amazon CloudFront');
  assert.equal(request.headers.host, ORIGIN_DOMAIN);
  assert.equal(request.headers['x-amz-cf-id'], response.headers.get('x-amz-cf-id'));
  assert.match(String(request.headers.via), /^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
  assert.equal(response.headers.get('x-cache'), 'Miss from cloudfront');
  assert.match(response.headers.get('via')!, /^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
  assert.equal(response.headers.get('x-amz-cf-pop'), 'LOCAL1-P1');
  assert.match(response.headers.get('x-amz-cf-id')!, /^[A-Za-z0-9_-]{54}==$/);
  assert.equal(wafCalls[wafCalls.length - 1].queryString, 'id=1');
});

test('second request is a hit and origin is not called', async () => {
  await get('/?id=2');
  const before = seen.length;
  const { response, body } = await get('/?id=2');
  assert.equal(seen.length, before);
  assert.equal(response.headers.get('x-cache'), 'Hit from cloudfront');
  assert.match(response.headers.get('age')!, /^\d+$/);
  assert.equal(JSON.parse(body).url, '/Dev/?id=2');
  const hops = palisade.app.traces.list(response.headers.get('x-amz-cf-id')!);
  assert.deepEqual(hops.map((hop) => hop.decision), ['Hit']);
});

test('query string order is part of the cache key', async () => {
  await get('/?a=1&b=2');
  const before = seen.length;
  const { response } = await get('/?b=2&a=1');
  assert.equal(response.headers.get('x-cache'), 'Miss from cloudfront');
  assert.equal(seen.length, before + 1);
});

test('no-store response is not cached with MinTTL 0', async () => {
  await get('/nostore');
  const before = seen.length;
  const { response } = await get('/nostore');
  assert.equal(response.headers.get('x-cache'), 'Miss from cloudfront');
  assert.equal(seen.length, before + 1);
});

test('forwarded Authorization reaches origin and keys the cache', async () => {
  await update((config) => {
    config.DefaultCacheBehavior.ForwardedValues.Headers = { Quantity: 1, Items: ['Authorization'] };
    config.DefaultCacheBehavior.MinTTL = 1;
  });
  await invalidateAll('auth-1');
  const before = seen.length;
  const first = await get('/?id=3', { Authorization: 'token-a' });
  assert.equal(first.response.headers.get('x-cache'), 'Miss from cloudfront');
  assert.equal(seen[seen.length - 1].headers.authorization, 'token-a');
  const other = await get('/?id=3', { Authorization: 'token-b' });
  assert.equal(other.response.headers.get('x-cache'), 'Miss from cloudfront');
  assert.equal(seen[seen.length - 1].headers.authorization, 'token-b');
  const again = await get('/?id=3', { Authorization: 'token-a' });
  assert.equal(again.response.headers.get('x-cache'), 'Hit from cloudfront');
  assert.equal(JSON.parse(again.body).headers.authorization, 'token-a');
  assert.equal(seen.length, before + 2);
});

test('invalidation of /* makes the next request a miss', async () => {
  await get('/?id=4');
  const cached = await get('/?id=4');
  assert.equal(cached.response.headers.get('x-cache'), 'Hit from cloudfront');
  await invalidateAll('invalidate-1');
  const before = seen.length;
  const { response } = await get('/?id=4');
  assert.equal(response.headers.get('x-cache'), 'Miss from cloudfront');
  assert.equal(seen.length, before + 1);
});

test('web ACL block returns the CloudFront 403 page', async () => {
  const before = seen.length;
  const { response, body } = await get('/?id=1%20or%201=1%20block');
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('content-type'), 'text/html');
  assert.equal(response.headers.get('x-cache'), 'Error from cloudfront');
  assert.equal(response.headers.get('server'), 'CloudFront');
  const requestId = response.headers.get('x-amz-cf-id')!;
  assert.equal(body, [
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">',
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">',
    '<TITLE>ERROR: The request could not be satisfied</TITLE>',
    '</HEAD><BODY>',
    '<H1>403 ERROR</H1>',
    '<H2>The request could not be satisfied.</H2>',
    '<HR noshade size="1px">',
    'Request blocked.',
    "We can't connect to the server for this app or website at this time. There might be too much traffic or a configuration error. Try again later, or contact the app or website owner.",
    '<BR clear="all">',
    'If you provide content to customers through CloudFront, you can find steps to troubleshoot and help prevent this error by reviewing the CloudFront documentation.',
    '<BR clear="all">',
    '<HR noshade size="1px">',
    '<PRE>',
    'Generated by cloudfront (CloudFront)',
    `Request ID: ${requestId}`,
    '</PRE>',
    '<ADDRESS>',
    '</ADDRESS>',
    '</BODY></HTML>',
  ].join('\n'));
  assert.equal(seen.length, before);
  const hops = palisade.app.traces.list(requestId);
  assert.equal(hops[0].decision, 'Blocked');
  assert.equal(hops[0].detail.terminatingRuleId, 'AWS-AWSManagedRulesSQLiRuleSet');
});

test('method outside AllowedMethods is 403', async () => {
  const before = seen.length;
  const response = await fetch(new URL('/?id=1', edgeUrl), { method: 'POST', body: 'x' });
  const body = await response.text();
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('x-cache'), 'Error from cloudfront');
  assert.match(body, /<H1>403 ERROR<\/H1>/);
  assert.match(body, /This distribution is not configured to allow the HTTP request method that was used for this request\. The distribution supports only cachable requests\./);
  assert.equal(seen.length, before);
});

test('origin palisade does not serve is a 502 page', async () => {
  const created = await cloudfront.send(new CreateDistributionCommand({
    DistributionConfig: labDistributionConfig({ callerReference: 'edge-unserved', originDomain: 'unserved-origin.invalid' }),
  }));
  const url = palisade.app.localUrl(`https://${created.Distribution!.DomainName}/?id=1`)!;
  const response = await fetch(url);
  const body = await response.text();
  assert.equal(response.status, 502);
  assert.equal(response.headers.get('x-cache'), 'Error from cloudfront');
  assert.match(body, /<H1>502 ERROR<\/H1>/);
  assert.match(body, /palisade does not serve this origin locally/);
});

test('origin on the endpoint is called in-process', async () => {
  const endpoint = palisade.app.endpoint;
  palisade.app.urlRewriters.unshift((url) => (url.hostname === 'inprocess-origin.invalid' ? `${endpoint}/_palisade${url.pathname}` : undefined));
  const created = await cloudfront.send(new CreateDistributionCommand({
    DistributionConfig: labDistributionConfig({ callerReference: 'edge-in-process', originDomain: 'inprocess-origin.invalid' }),
  }));
  const url = palisade.app.localUrl(`https://${created.Distribution!.DomainName}/probe`)!;
  const response = await fetch(url);
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), { message: 'no palisade route /_palisade/Dev/probe' });
  assert.equal(response.headers.get('x-cache'), 'Error from cloudfront');
});
