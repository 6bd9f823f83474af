import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';

/**
 * API Gateway state as stored. Each REST API is one document holding its
 * resources (with methods, integrations and responses in the wire shape of
 * GetMethod), authorizers and request validators. Deployments and stages are
 * records of their own, because a deployment is an immutable snapshot.
 */
export const SERVICE = 'apigateway';

export interface IntegrationResponse {
  statusCode: string;
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
  contentHandling?: string;
}

export interface Integration {
  type: string;
  httpMethod?: string;
  uri?: string;
  connectionType?: string;
  connectionId?: string;
  credentials?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior?: string;
  contentHandling?: string;
  timeoutInMillis: number;
  cacheNamespace: string;
  cacheKeyParameters: string[];
  integrationResponses?: Record<string, IntegrationResponse>;
}

export interface MethodResponse {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export interface Method {
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired: boolean;
  requestValidatorId?: string;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  methodResponses?: Record<string, MethodResponse>;
  methodIntegration?: Integration;
  authorizationScopes?: string[];
}

export interface Resource {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods?: Record<string, Method>;
}

export interface Authorizer {
  id: string;
  name: string;
  type: string;
  providerARNs?: string[];
  authType?: string;
  authorizerUri?: string;
  authorizerCredentials?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds?: number;
}

export interface RequestValidator {
  id: string;
  name?: string;
  validateRequestBody: boolean;
  validateRequestParameters: boolean;
}

/** The API content a deployment freezes and a stage serves. */
export interface ApiSnapshot {
  resources: Record<string, Resource>;
  authorizers: Record<string, Authorizer>;
  requestValidators: Record<string, RequestValidator>;
}

export interface RestApiRecord extends ApiSnapshot {
  id: string;
  name: string;
  description?: string;
  /** Epoch seconds, as the restJson1 wire carries timestamps. */
  createdDate: number;
  version?: string;
  binaryMediaTypes?: string[];
  minimumCompressionSize?: number;
  apiKeySource: string;
  endpointConfiguration: { types: string[]; ipAddressType?: string; vpcEndpointIds?: string[] };
  policy?: string;
  tags?: Record<string, string>;
  disableExecuteApiEndpoint: boolean;
  rootResourceId: string;
}

export interface DeploymentRecord {
  id: string;
  restApiId: string;
  description?: string;
  createdDate: number;
  snapshot: ApiSnapshot;
}

export interface StageRecord {
  restApiId: string;
  stageName: string;
  deploymentId: string;
  description?: string;
  cacheClusterEnabled: boolean;
  cacheClusterStatus: string;
  variables?: Record<string, string>;
  tracingEnabled: boolean;
  methodSettings: Record<string, unknown>;
  tags?: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function notFound(message: string): AwsError {
  return new AwsError('NotFoundException', message, 404);
}

export function badRequest(message: string): AwsError {
  return new AwsError('BadRequestException', message, 400);
}

export function conflict(message: string): AwsError {
  return new AwsError('ConflictException', message, 409);
}

export function loadRestApi(app: App, restApiId: unknown): RestApiRecord {
  const api = typeof restApiId === 'string' ? app.store.get<RestApiRecord>(SERVICE, 'restapi', restApiId) : undefined;
  if (!api) throw notFound('Invalid REST API identifier specified');
  return api;
}

export function saveRestApi(app: App, api: RestApiRecord): void {
  app.store.put(SERVICE, 'restapi', api.id, api);
}

export function findResource(api: RestApiRecord, resourceId: unknown): Resource {
  const resource = typeof resourceId === 'string' ? api.resources[resourceId] : undefined;
  if (!resource) throw notFound('Invalid Resource identifier specified');
  return resource;
}

export function findMethod(api: RestApiRecord, resourceId: unknown, httpMethod: unknown): Method {
  const resource = findResource(api, resourceId);
  const method = typeof httpMethod === 'string' ? resource.resourceMethods?.[httpMethod] : undefined;
  if (!method) throw notFound('Invalid Method identifier specified');
  return method;
}

export function deploymentKey(restApiId: string, deploymentId: string): string {
  return `${restApiId}/${deploymentId}`;
}

export function stageKey(restApiId: string, stageName: string): string {
  return `${restApiId}/${stageName}`;
}

export function loadStage(app: App, restApiId: string, stageName: unknown): StageRecord {
  const stage = typeof stageName === 'string' ? app.store.get<StageRecord>(SERVICE, 'stage', stageKey(restApiId, stageName)) : undefined;
  if (!stage) throw notFound('Invalid Stage identifier specified');
  return stage;
}

export function loadDeployment(app: App, restApiId: string, deploymentId: unknown): DeploymentRecord {
  const deployment = typeof deploymentId === 'string'
    ? app.store.get<DeploymentRecord>(SERVICE, 'deployment', deploymentKey(restApiId, deploymentId))
    : undefined;
  if (!deployment) throw notFound('Invalid Deployment identifier specified');
  return deployment;
}

/** Drop undefined members so the JSON body carries only what is set, as AWS omits absent members. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}
