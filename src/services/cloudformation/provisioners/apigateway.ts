import { AwsError } from '../../../core/errors.ts';
import { tagMap } from './lambda.ts';
import { compact, toBoolean, toNumber, type ProvisionContext, type ResourceProvisioner } from './types.ts';

/**
 * API Gateway REST API resources → the apigateway operations. Member names
 * of the in-process calls are the REST API's (restApiId, httpMethod, ...).
 */
const restApi: ResourceProvisioner = {
  properties: ['ApiKeySourceType', 'BinaryMediaTypes', 'Description', 'DisableExecuteApiEndpoint', 'EndpointConfiguration', 'Name', 'Policy', 'Tags'],
  unsupported: ['Body', 'BodyS3Location', 'CloneFrom', 'FailOnWarnings', 'MinimumCompressionSize', 'Mode', 'Parameters', 'SecurityPolicy', 'EndpointAccessMode'],
  required: ['Name'],
  async create(ctx, props) {
    const api = await ctx.call('apigateway', 'CreateRestApi', compact({
      name: props.Name,
      description: props.Description,
      apiKeySource: props.ApiKeySourceType,
      binaryMediaTypes: props.BinaryMediaTypes,
      disableExecuteApiEndpoint: toBoolean(props.DisableExecuteApiEndpoint),
      endpointConfiguration: props.EndpointConfiguration ? compact({ types: props.EndpointConfiguration.Types, vpcEndpointIds: props.EndpointConfiguration.VpcEndpointIds }) : undefined,
      policy: props.Policy === undefined ? undefined : typeof props.Policy === 'string' ? props.Policy : JSON.stringify(props.Policy),
      tags: tagMap(props.Tags),
    }));
    let rootResourceId = api.rootResourceId;
    if (!rootResourceId) {
      const resources = await ctx.call('apigateway', 'GetResources', { restApiId: api.id });
      rootResourceId = resources.items?.find((item: { path: string }) => item.path === '/')?.id;
    }
    return { physicalId: api.id, attributes: { RootResourceId: rootResourceId, RestApiId: api.id } };
  },
  async delete(ctx, current) {
    await ctx.call('apigateway', 'DeleteRestApi', { restApiId: current.physicalId });
  },
};

const resource: ResourceProvisioner = {
  properties: ['ParentId', 'PathPart', 'RestApiId'],
  required: ['ParentId', 'PathPart', 'RestApiId'],
  async create(ctx, props) {
    const created = await ctx.call('apigateway', 'CreateResource', { restApiId: props.RestApiId, parentId: props.ParentId, pathPart: props.PathPart });
    return { physicalId: created.id, attributes: { ResourceId: created.id } };
  },
  async delete(ctx, current) {
    await ctx.call('apigateway', 'DeleteResource', { restApiId: current.properties.RestApiId, resourceId: current.physicalId });
  },
};

const INTEGRATION_PROPERTIES = ['CacheKeyParameters', 'CacheNamespace', 'ConnectionId', 'ConnectionType', 'ContentHandling', 'Credentials', 'IntegrationHttpMethod', 'IntegrationResponses', 'PassthroughBehavior', 'RequestParameters', 'RequestTemplates', 'TimeoutInMillis', 'Type', 'Uri'];

async function putMethod(ctx: ProvisionContext, props: Record<string, any>): Promise<void> {
  const where = { restApiId: props.RestApiId, resourceId: props.ResourceId, httpMethod: props.HttpMethod };
  await ctx.call('apigateway', 'PutMethod', compact({
    ...where,
    authorizationType: props.AuthorizationType ?? 'NONE',
    authorizerId: props.AuthorizerId,
    apiKeyRequired: toBoolean(props.ApiKeyRequired),
    authorizationScopes: props.AuthorizationScopes,
    operationName: props.OperationName,
    requestParameters: booleanMap(props.RequestParameters),
    requestModels: props.RequestModels,
    requestValidatorId: props.RequestValidatorId,
  }));
  for (const response of (props.MethodResponses ?? []) as Record<string, any>[]) {
    await ctx.call('apigateway', 'PutMethodResponse', compact({ ...where, statusCode: String(response.StatusCode), responseModels: response.ResponseModels, responseParameters: booleanMap(response.ResponseParameters) }));
  }
  const integration = props.Integration as Record<string, any> | undefined;
  if (!integration) return;
  for (const name of Object.keys(integration)) {
    if (!INTEGRATION_PROPERTIES.includes(name)) throw new AwsError('ValidationError', `Encountered unsupported property Integration.${name}`);
  }
  await ctx.call('apigateway', 'PutIntegration', compact({
    ...where,
    type: integration.Type,
    integrationHttpMethod: integration.IntegrationHttpMethod,
    uri: integration.Uri,
    credentials: integration.Credentials,
    connectionType: integration.ConnectionType,
    connectionId: integration.ConnectionId,
    requestParameters: integration.RequestParameters,
    requestTemplates: integration.RequestTemplates,
    passthroughBehavior: integration.PassthroughBehavior,
    contentHandling: integration.ContentHandling,
    timeoutInMillis: toNumber(integration.TimeoutInMillis),
    cacheNamespace: integration.CacheNamespace,
    cacheKeyParameters: integration.CacheKeyParameters,
  }));
  for (const response of (integration.IntegrationResponses ?? []) as Record<string, any>[]) {
    await ctx.call('apigateway', 'PutIntegrationResponse', compact({
      ...where,
      statusCode: String(response.StatusCode),
      selectionPattern: response.SelectionPattern,
      responseParameters: response.ResponseParameters,
      responseTemplates: response.ResponseTemplates,
      contentHandling: response.ContentHandling,
    }));
  }
}

/** `method.request.querystring.id: true` may arrive as the string 'true' from a template. */
function booleanMap(map: Record<string, unknown> | undefined): Record<string, boolean> | undefined {
  if (!map) return undefined;
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, toBoolean(value) ?? false]));
}

/** AWS::ApiGateway::Method → PutMethod, PutMethodResponse, PutIntegration, PutIntegrationResponse. */
const method: ResourceProvisioner = {
  properties: ['ApiKeyRequired', 'AuthorizationScopes', 'AuthorizationType', 'AuthorizerId', 'HttpMethod', 'Integration', 'MethodResponses', 'OperationName', 'RequestModels', 'RequestParameters', 'RequestValidatorId', 'ResourceId', 'RestApiId'],
  required: ['HttpMethod', 'ResourceId', 'RestApiId'],
  replaceOn: ['HttpMethod', 'ResourceId', 'RestApiId'],
  async create(ctx, props) {
    await putMethod(ctx, props);
    return { physicalId: `${props.RestApiId}|${props.ResourceId}|${props.HttpMethod}` };
  },
  async update(ctx, current, props) {
    // The method is put again from scratch so no setting of the old one survives.
    await ctx.call('apigateway', 'DeleteMethod', { restApiId: props.RestApiId, resourceId: props.ResourceId, httpMethod: props.HttpMethod });
    await putMethod(ctx, props);
    return { physicalId: current.physicalId };
  },
  async delete(ctx, current) {
    const [restApiId, resourceId, httpMethod] = current.physicalId.split('|');
    await ctx.call('apigateway', 'DeleteMethod', { restApiId, resourceId, httpMethod });
  },
};

const requestValidator: ResourceProvisioner = {
  properties: ['Name', 'RestApiId', 'ValidateRequestBody', 'ValidateRequestParameters'],
  required: ['RestApiId'],
  async create(ctx, props) {
    const created = await ctx.call('apigateway', 'CreateRequestValidator', compact({
      restApiId: props.RestApiId,
      name: props.Name,
      validateRequestBody: toBoolean(props.ValidateRequestBody),
      validateRequestParameters: toBoolean(props.ValidateRequestParameters),
    }));
    return { physicalId: created.id, attributes: { RequestValidatorId: created.id } };
  },
  async delete(ctx, current) {
    await ctx.call('apigateway', 'DeleteRequestValidator', { restApiId: current.properties.RestApiId, requestValidatorId: current.physicalId });
  },
};

/** AWS::ApiGateway::Deployment → CreateDeployment (with StageName it also creates that stage). */
const deployment: ResourceProvisioner = {
  properties: ['Description', 'RestApiId', 'StageName'],
  unsupported: ['DeploymentCanarySettings', 'StageDescription'],
  required: ['RestApiId'],
  async create(ctx, props) {
    const created = await ctx.call('apigateway', 'CreateDeployment', compact({ restApiId: props.RestApiId, stageName: props.StageName, description: props.Description }));
    return { physicalId: created.id, attributes: { DeploymentId: created.id } };
  },
  async delete(ctx, current) {
    const { RestApiId, StageName } = current.properties;
    // A deployment cannot be deleted while a stage points at it; the stage it created goes first.
    if (StageName) await ignoreNotFound(ctx.call('apigateway', 'DeleteStage', { restApiId: RestApiId, stageName: StageName }));
    await ctx.call('apigateway', 'DeleteDeployment', { restApiId: RestApiId, deploymentId: current.physicalId });
  },
};

const stage: ResourceProvisioner = {
  properties: ['DeploymentId', 'Description', 'RestApiId', 'StageName', 'Tags', 'Variables'],
  unsupported: ['AccessLogSetting', 'CacheClusterEnabled', 'CacheClusterSize', 'CanarySetting', 'ClientCertificateId', 'DocumentationVersion', 'MethodSettings', 'TracingEnabled'],
  required: ['RestApiId'],
  async create(ctx, props) {
    const created = await ctx.call('apigateway', 'CreateStage', compact({
      restApiId: props.RestApiId,
      stageName: props.StageName,
      deploymentId: props.DeploymentId,
      description: props.Description,
      variables: props.Variables,
      tags: tagMap(props.Tags),
    }));
    return { physicalId: created.stageName ?? props.StageName };
  },
  async delete(ctx, current) {
    await ctx.call('apigateway', 'DeleteStage', { restApiId: current.properties.RestApiId, stageName: current.physicalId });
  },
};

const authorizer: ResourceProvisioner = {
  properties: ['AuthType', 'AuthorizerCredentials', 'AuthorizerResultTtlInSeconds', 'AuthorizerUri', 'IdentitySource', 'IdentityValidationExpression', 'Name', 'ProviderARNs', 'RestApiId', 'Type'],
  required: ['Name', 'RestApiId', 'Type'],
  async create(ctx, props) {
    const created = await ctx.call('apigateway', 'CreateAuthorizer', compact({
      restApiId: props.RestApiId,
      name: props.Name,
      type: props.Type,
      providerARNs: props.ProviderARNs,
      authType: props.AuthType,
      authorizerUri: props.AuthorizerUri,
      authorizerCredentials: props.AuthorizerCredentials,
      identitySource: props.IdentitySource,
      identityValidationExpression: props.IdentityValidationExpression,
      authorizerResultTtlInSeconds: toNumber(props.AuthorizerResultTtlInSeconds),
    }));
    return { physicalId: created.id, attributes: { AuthorizerId: created.id } };
  },
  async delete(ctx, current) {
    await ctx.call('apigateway', 'DeleteAuthorizer', { restApiId: current.properties.RestApiId, authorizerId: current.physicalId });
  },
};

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof AwsError && error.code === 'NotFoundException')) throw error;
  }
}

export const apiGatewayProvisioners: Record<string, ResourceProvisioner> = {
  'AWS::ApiGateway::RestApi': restApi,
  'AWS::ApiGateway::Resource': resource,
  'AWS::ApiGateway::Method': method,
  'AWS::ApiGateway::RequestValidator': requestValidator,
  'AWS::ApiGateway::Deployment': deployment,
  'AWS::ApiGateway::Stage': stage,
  'AWS::ApiGateway::Authorizer': authorizer,
};
