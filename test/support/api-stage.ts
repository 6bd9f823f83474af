import { APIGatewayClient, CreateDeploymentCommand, CreateRestApiCommand, GetResourcesCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import type { TestPalisade } from './palisade.ts';

/** Deploy a one-method REST API (a MOCK integration) to stage `Dev` and return the stage's ARN, which a web ACL can be associated with. */
export async function createStage(palisade: TestPalisade, name = 'waf-test-api'): Promise<string> {
  const client = new APIGatewayClient({ ...palisade.clientConfig, maxAttempts: 1 });
  const { id: restApiId } = await client.send(new CreateRestApiCommand({ name }));
  const resources = await client.send(new GetResourcesCommand({ restApiId }));
  const rootId = resources.items!.find((resource) => resource.path === '/')!.id!;
  await client.send(new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'Dev' }));
  return `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/Dev`;
}
