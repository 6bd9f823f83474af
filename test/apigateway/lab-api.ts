import {
  APIGatewayClient, CreateDeploymentCommand, CreateRequestValidatorCommand, CreateRestApiCommand, GetResourcesCommand,
  PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';

export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:LambdaRDSTest';

/** Create the lab's `wa-lab-rds-api` as its first CloudFormation template does, and deploy it to `Dev`. */
export async function createLabApi(client: APIGatewayClient): Promise<{ restApiId: string; rootResourceId: string; validatorId: string }> {
  const api = await client.send(new CreateRestApiCommand({ name: 'wa-lab-rds-api', description: 'WA API Gateway', endpointConfiguration: { types: ['REGIONAL'] } }));
  const restApiId = api.id!;
  const resources = await client.send(new GetResourcesCommand({ restApiId }));
  const rootResourceId = resources.items!.find((resource) => resource.path === '/')!.id!;
  const validator = await client.send(new CreateRequestValidatorCommand({ restApiId, validateRequestParameters: true, validateRequestBody: false }));
  await client.send(new PutMethodCommand({
    restApiId, resourceId: rootResourceId, httpMethod: 'GET', authorizationType: 'NONE',
    requestParameters: { 'method.request.querystring.id': true }, requestValidatorId: validator.id,
  }));
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'GET', statusCode: '200' }));
  await client.send(new PutIntegrationCommand({
    restApiId, resourceId: rootResourceId, httpMethod: 'GET', type: 'AWS', integrationHttpMethod: 'POST',
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`,
    passthroughBehavior: 'WHEN_NO_TEMPLATES',
    requestTemplates: { 'application/json': '{\n "id": "$input.params(\'id\')"  \n}' },
  }));
  await client.send(new PutIntegrationResponseCommand({
    restApiId, resourceId: rootResourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': "$input.path('$')" },
  }));
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'Dev' }));
  return { restApiId, rootResourceId, validatorId: validator.id! };
}
