import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  APIGatewayClient, CreateAuthorizerCommand, CreateDeploymentCommand, UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import type { InvokeResult, WafVerdict, WebRequest } from '../../src/core/seams.ts';
import { FUNCTION_ARN, createLabApi } from './lab-api.ts';

const PLAYER = '["My favorite player is Lionel Messi"]';
const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example1';

describe('API Gateway stage execution', () => {
  let palisade: TestPalisade;
  let client: APIGatewayClient;
  let restApiId: string;
  let rootResourceId: string;
  const invocations: { functionName: string; payload: string }[] = [];
  const wafRequests: { resourceArn: string; request: WebRequest }[] = [];
  let wafVerdict: WafVerdict | undefined;
  const tokenChecks: { userPoolArns: string[]; token: string; tokenUse: string }[] = [];

  before(async () => {
    palisade = await startTestPalisade();
    client = new APIGatewayClient(palisade.clientConfig);
    const seams = palisade.app.seams;
    seams.lambda = {
      async invoke(functionName: string, payload: Buffer): Promise<InvokeResult> {
        invocations.push({ functionName, payload: payload.toString('utf8') });
        return { statusCode: 200, payload: Buffer.from(PLAYER), executedVersion: '$LATEST' };
      },
    };
    seams.waf = {
      evaluateForResource(resourceArn, request) {
        wafRequests.push({ resourceArn, request });
        return wafVerdict;
      },
      evaluateWebAcl() {
        throw new Error('not used by API Gateway');
      },
    };
    seams.cognito = {
      async verifyToken(options) {
        tokenChecks.push(options);
        return options.token === 'good-id-token' ? { sub: 'user-1', token_use: 'id', email_verified: true } : undefined;
      },
    };
    ({ restApiId, rootResourceId } = await createLabApi(client));
  });

  after(async () => {
    await palisade.stop();
  });

  beforeEach(() => {
    invocations.length = 0;
    wafRequests.length = 0;
    tokenChecks.length = 0;
    wafVerdict = undefined;
  });

  const stageUrl = (rest: string) => `${palisade.url}/restapis/${restApiId}/Dev/_user_request_${rest}`;

  test('lab query maps id and returns the function result', async () => {
    const response = await fetch(stageUrl('/?id=1'));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), PLAYER);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.match(response.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.match(response.headers.get('x-amz-apigw-id') ?? '', /^[A-Za-z0-9+/]{15}=$/);
    assert.equal(invocations.length, 1);
    assert.equal(invocations[0].functionName, FUNCTION_ARN);
    assert.equal(invocations[0].payload, '{\n "id": "1"  \n}');
    assert.deepEqual(JSON.parse(invocations[0].payload), { id: '1' });
  });

  test('invoke URL rewrites to the stage route', async () => {
    const local = palisade.app.localUrl(`https://${restApiId}.execute-api.us-east-1.amazonaws.com/Dev/?id=1`);
    assert.equal(local, stageUrl('/?id=1'));
    const response = await fetch(local!);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), PLAYER);
  });

  test('id is inserted unescaped, as the lab template does', async () => {
    const response = await fetch(stageUrl('/?id=1%20or%201=1'));
    assert.equal(response.status, 200);
    assert.equal(invocations[0].payload, '{\n "id": "1 or 1=1"  \n}');
  });

  test('validator rejects a missing id', async () => {
    const response = await fetch(stageUrl('/'));
    assert.equal(response.status, 400);
    assert.equal(await response.text(), '{"message": "Missing required request parameters: [id]"}');
    assert.equal(response.headers.get('x-amzn-errortype'), 'BadRequestException');
    assert.equal(invocations.length, 0);
  });

  test('unknown path is Missing Authentication Token', async () => {
    const response = await fetch(stageUrl('/nope?id=1'));
    assert.equal(response.status, 403);
    assert.equal(await response.text(), '{"message":"Missing Authentication Token"}');
    assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.ok(response.headers.get('x-amzn-requestid'));
  });

  test('unconfigured method is Missing Authentication Token', async () => {
    const response = await fetch(stageUrl('/?id=1'), { method: 'POST', body: '{}' });
    assert.equal(response.status, 403);
    assert.equal(await response.text(), '{"message":"Missing Authentication Token"}');
    assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.equal(invocations.length, 0);
  });

  test('unknown stage is Forbidden', async () => {
    const response = await fetch(`${palisade.url}/restapis/${restApiId}/Prod/_user_request_/?id=1`);
    assert.equal(response.status, 403);
    assert.equal(await response.text(), '{"message":"Forbidden"}');
  });

  test('WAF sees the stage path and its block is Forbidden', async () => {
    wafVerdict = { action: 'BLOCK', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ACLR/1', terminatingRuleId: 'Default_Action', labels: [], insertHeaders: [] };
    const response = await fetch(stageUrl('/?id=1'), { headers: { 'x-amz-cf-id': 'edge-trace-1' } });
    assert.equal(response.status, 403);
    assert.equal(await response.text(), '{"message":"Forbidden"}');
    assert.equal(response.headers.get('x-amzn-errortype'), 'ForbiddenException');
    assert.equal(invocations.length, 0);
    assert.equal(wafRequests.length, 1);
    assert.equal(wafRequests[0].resourceArn, `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/Dev`);
    assert.equal(wafRequests[0].request.uriPath, '/Dev/');
    assert.equal(wafRequests[0].request.queryString, 'id=1');
    const trace = palisade.app.traces.list('edge-trace-1');
    assert.equal(trace.at(-1)?.layer, 'apigateway');
    assert.equal(trace.at(-1)?.decision, '403');
  });

  test('WAF block runs before route matching', async () => {
    wafVerdict = { action: 'BLOCK', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ACLR/1', terminatingRuleId: 'Default_Action', labels: [], insertHeaders: [] };
    const response = await fetch(stageUrl('/nope'));
    assert.equal(response.status, 403);
    assert.equal(await response.text(), '{"message":"Forbidden"}');
  });

  test('WAF custom response replaces the default', async () => {
    wafVerdict = {
      action: 'BLOCK', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ACLR/1', terminatingRuleId: 'XRule', labels: [], insertHeaders: [],
      customResponse: { statusCode: 429, headers: [['x-blocked-by', 'XRule']], body: 'slow down', contentType: 'text/plain' },
    };
    const response = await fetch(stageUrl('/?id=1'));
    assert.equal(response.status, 429);
    assert.equal(await response.text(), 'slow down');
    assert.equal(response.headers.get('x-blocked-by'), 'XRule');
  });

  test('WAF allow passes the request on', async () => {
    wafVerdict = { action: 'ALLOW', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ACLR/1', terminatingRuleId: 'XRule', labels: [], insertHeaders: [] };
    const response = await fetch(stageUrl('/?id=1'));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), PLAYER);
  });

  test('traces record each step under the CloudFront id', async () => {
    await fetch(stageUrl('/?id=1'), { headers: { 'x-amz-cf-id': 'edge-trace-2' } });
    const steps = palisade.app.traces.list('edge-trace-2').map((entry) => `${entry.detail.step}:${entry.decision}`);
    assert.deepEqual(steps, ['route:MATCH', 'validator:PASS', 'integration:200', 'method-response:200']);
  });

  describe('with the Cognito authorizer of section 5', () => {
    let authorizerId: string;

    before(async () => {
      const authorizer = await client.send(new CreateAuthorizerCommand({
        restApiId, name: 'walab-authorizer', type: 'COGNITO_USER_POOLS', providerARNs: [POOL_ARN], identitySource: 'method.request.header.Authorization',
      }));
      authorizerId = authorizer.id!;
      await client.send(new UpdateMethodCommand({
        restApiId, resourceId: rootResourceId, httpMethod: 'GET',
        patchOperations: [
          { op: 'replace', path: '/authorizationType', value: 'COGNITO_USER_POOLS' },
          { op: 'replace', path: '/authorizerId', value: authorizerId },
        ],
      }));
    });

    test('UpdateMethod leaves the stage unchanged until a deployment', async () => {
      const response = await fetch(stageUrl('/?id=1'));
      assert.equal(response.status, 200);
      assert.equal(await response.text(), PLAYER);
      assert.equal(tokenChecks.length, 0);
    });

    test('after deployment a request without token is Unauthorized', async () => {
      await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'Dev' }));
      const response = await fetch(stageUrl('/?id=1'));
      assert.equal(response.status, 401);
      assert.equal(await response.text(), '{"message":"Unauthorized"}');
      assert.equal(response.headers.get('x-amzn-errortype'), 'UnauthorizedException');
      assert.equal(invocations.length, 0);
    });

    test('rejected token is Unauthorized', async () => {
      const response = await fetch(stageUrl('/?id=1'), { headers: { Authorization: 'bad-token' } });
      assert.equal(response.status, 401);
      assert.equal(await response.text(), '{"message":"Unauthorized"}');
      assert.deepEqual(tokenChecks, [{ userPoolArns: [POOL_ARN], token: 'bad-token', tokenUse: 'id' }]);
      assert.equal(invocations.length, 0);
    });

    test('Bearer prefix is not stripped', async () => {
      const response = await fetch(stageUrl('/?id=1'), { headers: { Authorization: 'Bearer good-id-token' } });
      assert.equal(response.status, 401);
      assert.equal(tokenChecks[0].token, 'Bearer good-id-token');
    });

    test('accepted ID token reaches the function', async () => {
      const response = await fetch(stageUrl('/?id=1'), { headers: { Authorization: 'good-id-token' } });
      assert.equal(response.status, 200);
      assert.equal(await response.text(), PLAYER);
      assert.deepEqual(JSON.parse(invocations[0].payload), { id: '1' });
    });

    test('authorizer runs before the validator', async () => {
      const response = await fetch(stageUrl('/'));
      assert.equal(response.status, 401);
      assert.equal(await response.text(), '{"message":"Unauthorized"}');
    });

    test('WAF still blocks before the authorizer', async () => {
      wafVerdict = { action: 'BLOCK', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ACLR/1', terminatingRuleId: 'Default_Action', labels: [], insertHeaders: [] };
      const response = await fetch(stageUrl('/?id=1'), { headers: { Authorization: 'good-id-token' } });
      assert.equal(response.status, 403);
      assert.equal(await response.text(), '{"message":"Forbidden"}');
      assert.equal(tokenChecks.length, 0);
    });
  });
});
