import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  APIGatewayClient, CreateResourceCommand, CreateStageCommand, DeleteMethodCommand, DeleteRestApiCommand,
  GetMethodCommand, GetRestApiCommand, GetRestApisCommand, GetStageCommand, GetStagesCommand, PutMethodCommand, UpdateMethodCommand,
  GetDeploymentsCommand, GetIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { FUNCTION_ARN, createLabApi } from './lab-api.ts';

const run = promisify(execFile);
const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example1';

describe('API Gateway control plane', () => {
  let palisade: TestPalisade;
  let client: APIGatewayClient;
  let restApiId: string;
  let rootResourceId: string;
  let validatorId: string;

  async function cli(...args: string[]): Promise<any> {
    const { stdout } = await run('aws', ['apigateway', ...args, '--output', 'json'], { env: palisade.cliEnv, timeout: 30000 });
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  }

  async function cliError(...args: string[]): Promise<string> {
    try {
      await run('aws', ['apigateway', ...args], { env: palisade.cliEnv, timeout: 30000 });
    } catch (error) {
      return (error as { stderr: string }).stderr;
    }
    assert.fail(`aws apigateway ${args.join(' ')} succeeded`);
  }

  before(async () => {
    palisade = await startTestPalisade();
    client = new APIGatewayClient(palisade.clientConfig);
    ({ restApiId, rootResourceId, validatorId } = await createLabApi(client));
  });

  after(async () => {
    await palisade.stop();
  });

  test('GetRestApi returns the lab API', async () => {
    const api = await client.send(new GetRestApiCommand({ restApiId }));
    assert.match(restApiId, /^[a-z0-9]{10}$/);
    assert.equal(api.name, 'wa-lab-rds-api');
    assert.equal(api.description, 'WA API Gateway');
    assert.deepEqual(api.endpointConfiguration?.types, ['REGIONAL']);
    assert.equal(api.rootResourceId, rootResourceId);
    assert.ok(api.createdDate instanceof Date);
    assert.equal(api.$metadata.httpStatusCode, 200);
    const all = await client.send(new GetRestApisCommand({}));
    assert.deepEqual(all.items?.map((item) => item.id), [restApiId]);
  });

  test('GetMethod embeds the integration', async () => {
    const method = await client.send(new GetMethodCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'GET' }));
    assert.equal(method.authorizationType, 'NONE');
    assert.equal(method.requestValidatorId, validatorId);
    assert.deepEqual(method.requestParameters, { 'method.request.querystring.id': true });
    assert.deepEqual(method.methodResponses, { 200: { statusCode: '200' } });
    assert.equal(method.methodIntegration?.type, 'AWS');
    assert.equal(method.methodIntegration?.httpMethod, 'POST');
    assert.equal(method.methodIntegration?.uri, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`);
    assert.equal(method.methodIntegration?.passthroughBehavior, 'WHEN_NO_TEMPLATES');
    assert.deepEqual(method.methodIntegration?.integrationResponses, { 200: { statusCode: '200', responseTemplates: { 'application/json': "$input.path('$')" } } });
  });

  test('CLI get-resources lists the root with its method', async () => {
    const output = await cli('get-resources', '--rest-api-id', restApiId);
    assert.deepEqual(output, { items: [{ id: rootResourceId, path: '/', resourceMethods: { GET: {} } }] });
  });

  test('CLI create-authorizer and update-method', async () => {
    const authorizer = await cli('create-authorizer', '--rest-api-id', restApiId, '--name', 'walab-authorizer', '--type', 'COGNITO_USER_POOLS',
      '--provider-arns', POOL_ARN, '--identity-source', 'method.request.header.Authorization');
    assert.match(authorizer.id, /^[a-z0-9]{6}$/);
    assert.deepEqual(authorizer, {
      id: authorizer.id, name: 'walab-authorizer', type: 'COGNITO_USER_POOLS', providerARNs: [POOL_ARN], authType: 'cognito_user_pools',
      identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 300,
    });
    const method = await cli('update-method', '--rest-api-id', restApiId, '--resource-id', rootResourceId, '--http-method', 'GET', '--patch-operations',
      'op=replace,path=/authorizationType,value=COGNITO_USER_POOLS', `op=replace,path=/authorizerId,value=${authorizer.id}`);
    assert.equal(method.authorizationType, 'COGNITO_USER_POOLS');
    assert.equal(method.authorizerId, authorizer.id);
    const listed = await cli('get-authorizers', '--rest-api-id', restApiId);
    assert.deepEqual(listed.items.map((item: { id: string }) => item.id), [authorizer.id]);
    const conflict = await cliError('delete-authorizer', '--rest-api-id', restApiId, '--authorizer-id', authorizer.id);
    assert.match(conflict, /ConflictException/);
  });

  test('UpdateMethod rejects an unsupported path', async () => {
    const error = await client.send(new UpdateMethodCommand({
      restApiId, resourceId: rootResourceId, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/bogus', value: 'x' }],
    })).catch((caught) => caught);
    assert.equal(error.name, 'BadRequestException');
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.match(error.message, /'\/bogus'/);
  });

  test('UpdateMethod edits request parameters', async () => {
    const method = await client.send(new UpdateMethodCommand({
      restApiId, resourceId: rootResourceId, httpMethod: 'GET', patchOperations: [{ op: 'add', path: '/requestParameters/method.request.header.x-team', value: 'false' }],
    }));
    assert.deepEqual(method.requestParameters, { 'method.request.querystring.id': true, 'method.request.header.x-team': false });
    const removed = await client.send(new UpdateMethodCommand({
      restApiId, resourceId: rootResourceId, httpMethod: 'GET', patchOperations: [{ op: 'remove', path: '/requestParameters/method.request.header.x-team' }],
    }));
    assert.deepEqual(removed.requestParameters, { 'method.request.querystring.id': true });
  });

  test('unknown identifiers are NotFoundException', async () => {
    const api = await client.send(new GetRestApiCommand({ restApiId: 'nope123456' })).catch((caught) => caught);
    assert.equal(api.name, 'NotFoundException');
    assert.equal(api.message, 'Invalid REST API identifier specified');
    assert.equal(api.$metadata.httpStatusCode, 404);
    const resource = await client.send(new GetMethodCommand({ restApiId, resourceId: 'nope123456', httpMethod: 'GET' })).catch((caught) => caught);
    assert.equal(resource.message, 'Invalid Resource identifier specified');
    const method = await client.send(new GetMethodCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'POST' })).catch((caught) => caught);
    assert.equal(method.name, 'NotFoundException');
    assert.equal(method.message, 'Invalid Method identifier specified');
    const integration = await client.send(new GetIntegrationCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'PUT' })).catch((caught) => caught);
    assert.equal(integration.message, 'Invalid Method identifier specified');
  });

  test('PutMethod twice is ConflictException', async () => {
    const error = await client.send(new PutMethodCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' })).catch((caught) => caught);
    assert.equal(error.name, 'ConflictException');
    assert.equal(error.$metadata.httpStatusCode, 409);
  });

  test('CreateResource nests paths and rejects duplicates', async () => {
    const players = await client.send(new CreateResourceCommand({ restApiId, parentId: rootResourceId, pathPart: 'players' }));
    assert.equal(players.$metadata.httpStatusCode, 201);
    assert.equal(players.path, '/players');
    const player = await client.send(new CreateResourceCommand({ restApiId, parentId: players.id, pathPart: '{id}' }));
    assert.equal(player.path, '/players/{id}');
    assert.equal(player.parentId, players.id);
    const duplicate = await client.send(new CreateResourceCommand({ restApiId, parentId: rootResourceId, pathPart: 'players' })).catch((caught) => caught);
    assert.equal(duplicate.name, 'ConflictException');
  });

  test('PutMethod with a Cognito type needs an authorizer', async () => {
    const error = await client.send(new PutMethodCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'DELETE', authorizationType: 'COGNITO_USER_POOLS' })).catch((caught) => caught);
    assert.equal(error.name, 'BadRequestException');
    assert.match(error.message, /authorizer/);
  });

  test('DeleteMethod answers 204', async () => {
    await client.send(new PutMethodCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'OPTIONS', authorizationType: 'NONE' }));
    const deleted = await client.send(new DeleteMethodCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'OPTIONS' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
  });

  test('stages follow deployments', async () => {
    const stage = await client.send(new GetStageCommand({ restApiId, stageName: 'Dev' }));
    const deployments = await client.send(new GetDeploymentsCommand({ restApiId }));
    assert.equal(deployments.items?.length, 1);
    assert.equal(stage.deploymentId, deployments.items![0].id);
    const test = await client.send(new CreateStageCommand({ restApiId, stageName: 'Test', deploymentId: stage.deploymentId }));
    assert.equal(test.$metadata.httpStatusCode, 201);
    const again = await client.send(new CreateStageCommand({ restApiId, stageName: 'Test', deploymentId: stage.deploymentId })).catch((caught) => caught);
    assert.equal(again.name, 'ConflictException');
    const stages = await cli('get-stages', '--rest-api-id', restApiId);
    assert.deepEqual(stages.item.map((item: { stageName: string }) => item.stageName).sort(), ['Dev', 'Test']);
    const updated = await cli('update-stage', '--rest-api-id', restApiId, '--stage-name', 'Test', '--patch-operations', 'op=replace,path=/variables/team,value=blue');
    assert.deepEqual(updated.variables, { team: 'blue' });
    const listed = await client.send(new GetStagesCommand({ restApiId }));
    assert.equal(listed.item?.length, 2);
  });

  test('DeleteRestApi removes the API', async () => {
    const { restApiId: doomed } = await createLabApi(client);
    const deleted = await client.send(new DeleteRestApiCommand({ restApiId: doomed }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    const error = await client.send(new GetRestApiCommand({ restApiId: doomed })).catch((caught) => caught);
    assert.equal(error.name, 'NotFoundException');
    const response = await fetch(`${palisade.url}/restapis/${doomed}/Dev/_user_request_/?id=1`);
    assert.equal(response.status, 403);
  });
});
