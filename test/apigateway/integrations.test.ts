import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import type { InvokeResult } from '../../src/core/seams.ts';

const LAMBDA_URI = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;

describe('API Gateway integration types', () => {
  let palisade: TestPalisade;
  let client: APIGatewayClient;
  let restApiId: string;
  const events: { functionName: string; payload: string }[] = [];
  let reply: InvokeResult;

  async function addMethod(parentId: string, pathPart: string, httpMethod: string, integration: Record<string, any>, responses: { statusCode: string; selectionPattern?: string; responseTemplates?: Record<string, string> }[] = []) {
    const resource = await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }));
    await client.send(new PutMethodCommand({ restApiId, resourceId: resource.id, httpMethod, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId: resource.id, httpMethod, ...integration } as any));
    for (const response of responses) {
      await client.send(new PutMethodResponseCommand({ restApiId, resourceId: resource.id, httpMethod, statusCode: response.statusCode }));
      await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId: resource.id, httpMethod, ...response }));
    }
    return resource.id!;
  }

  before(async () => {
    palisade = await startTestPalisade();
    client = new APIGatewayClient(palisade.clientConfig);
    palisade.app.seams.lambda = {
      async invoke(functionName: string, payload: Buffer) {
        events.push({ functionName, payload: payload.toString('utf8') });
        return reply;
      },
    };
    palisade.app.seams.waf = undefined;
    const api = await client.send(new CreateRestApiCommand({ name: 'integrations' }));
    restApiId = api.id!;
    const root = api.rootResourceId!;
    const items = await addMethod(root, 'items', 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: LAMBDA_URI('proxy') });
    await addMethod(items, '{itemId}', 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: LAMBDA_URI('proxy') });
    await addMethod(root, 'health', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      [{ statusCode: '200', responseTemplates: { 'application/json': '{"healthy": true, "stage": "$context.stage"}' } }]);
    await addMethod(root, 'errors', 'POST', {
      type: 'AWS', integrationHttpMethod: 'POST', uri: LAMBDA_URI('plain'), passthroughBehavior: 'NEVER',
      requestTemplates: { 'application/json': '$input.json(\'$\')' },
    }, [
      { statusCode: '200' },
      { statusCode: '404', selectionPattern: 'Not found:.*', responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')"}' } },
    ]);
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'v1' }));
  });

  after(async () => {
    await palisade.stop();
  });

  beforeEach(() => {
    events.length = 0;
  });

  const url = (rest: string) => `${palisade.url}/restapis/${restApiId}/v1/_user_request_${rest}`;

  test('proxy event carries path, query and body', async () => {
    reply = { statusCode: 200, executedVersion: '$LATEST', payload: Buffer.from(JSON.stringify({ statusCode: 201, headers: { 'x-item': 'a1' }, body: '{"ok":true}' })) };
    const response = await fetch(url('/items/a1?tag=x&tag=y'), { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    assert.equal(response.status, 201);
    assert.equal(await response.text(), '{"ok":true}');
    assert.equal(response.headers.get('x-item'), 'a1');
    assert.equal(response.headers.get('content-type'), 'application/json');
    const event = JSON.parse(events[0].payload);
    assert.equal(event.resource, '/items/{itemId}');
    assert.equal(event.path, '/items/a1');
    assert.equal(event.httpMethod, 'POST');
    assert.deepEqual(event.pathParameters, { itemId: 'a1' });
    assert.deepEqual(event.queryStringParameters, { tag: 'y' });
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ['x', 'y'] });
    assert.equal(event.body, 'hello');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.stageVariables, null);
    assert.equal(event.requestContext.stage, 'v1');
    assert.equal(event.requestContext.path, '/v1/items/a1');
    assert.equal(event.requestContext.resourcePath, '/items/{itemId}');
    assert.equal(event.requestContext.apiId, restApiId);
  });

  test('ANY method serves a GET', async () => {
    reply = { statusCode: 200, executedVersion: '$LATEST', payload: Buffer.from(JSON.stringify({ statusCode: 200, body: 'listed' })) };
    const response = await fetch(url('/items'));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'listed');
    assert.equal(JSON.parse(events[0].payload).resource, '/items');
  });

  test('malformed proxy response is 502', async () => {
    reply = { statusCode: 200, executedVersion: '$LATEST', payload: Buffer.from('["not", "a", "proxy", "response"]') };
    const response = await fetch(url('/items'));
    assert.equal(response.status, 502);
    assert.equal(await response.text(), '{"message": "Internal server error"}');
    assert.equal(response.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
  });

  test('proxy function error is 502', async () => {
    reply = { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"boom","errorType":"Error"}') };
    const response = await fetch(url('/items'));
    assert.equal(response.status, 502);
    assert.equal(await response.text(), '{"message": "Internal server error"}');
  });

  test('MOCK renders its response template', async () => {
    const response = await fetch(url('/health'));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"healthy": true, "stage": "v1"}');
    assert.equal(events.length, 0);
  });

  test('function error selects by errorMessage', async () => {
    reply = { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"Not found: item 7","errorType":"Error"}') };
    const response = await fetch(url('/errors'), { method: 'POST', body: '{"item":7}', headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 404);
    assert.equal(await response.text(), '{"error": "Not found: item 7"}');
    assert.equal(events[0].payload, '{"item":7}');
  });

  test('unmatched function error takes the default response', async () => {
    reply = { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"boom","errorType":"Error"}') };
    const response = await fetch(url('/errors'), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"errorMessage":"boom","errorType":"Error"}');
  });

  test('NEVER passthrough rejects other media types', async () => {
    const response = await fetch(url('/errors'), { method: 'POST', body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(response.status, 415);
    assert.equal(await response.text(), '{"message": "Unsupported Media Type"}');
    assert.equal(events.length, 0);
  });
});
