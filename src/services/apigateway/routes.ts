import type { HttpResponse } from '../../core/http.ts';
import type { RestRoute } from '../../core/service.ts';
import { AwsError } from '../../core/errors.ts';

/**
 * The control-plane routes of botocore's apigateway service model
 * (`http.method`, `http.requestUri`, `http.responseCode`), with path labels
 * named after the input members they bind to.
 */
const API = '/restapis/{restApiId}';
const METHOD = `${API}/resources/{resourceId}/methods/{httpMethod}`;
const PAGING = { position: 'position', limit: 'limit' };

/** Delete operations return 202 or 204 with an empty body. */
function empty(status: number): (output: unknown) => HttpResponse {
  return () => ({ status, headers: { 'content-type': 'application/json' }, body: '' });
}

/**
 * PutIntegration's body carries the integration's own HTTP method as
 * `httpMethod` (the model's locationName for `integrationHttpMethod`), which
 * would otherwise collide with the `{httpMethod}` path label.
 */
function parseIntegrationBody(body: Buffer): Record<string, unknown> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.', 400);
  }
  const { httpMethod, ...rest } = parsed;
  return httpMethod === undefined ? rest : { ...rest, integrationHttpMethod: httpMethod };
}

export const routes: RestRoute[] = [
  { method: 'POST', path: '/restapis', operation: 'CreateRestApi', successStatus: 201 },
  { method: 'GET', path: '/restapis', operation: 'GetRestApis', query: PAGING },
  { method: 'GET', path: API, operation: 'GetRestApi' },
  { method: 'PATCH', path: API, operation: 'UpdateRestApi' },
  { method: 'DELETE', path: API, operation: 'DeleteRestApi', respond: empty(202) },

  { method: 'GET', path: `${API}/resources`, operation: 'GetResources', query: { ...PAGING, embed: 'embed' } },
  { method: 'GET', path: `${API}/resources/{resourceId}`, operation: 'GetResource', query: { embed: 'embed' } },
  { method: 'POST', path: `${API}/resources/{parentId}`, operation: 'CreateResource', successStatus: 201 },
  { method: 'DELETE', path: `${API}/resources/{resourceId}`, operation: 'DeleteResource', respond: empty(202) },

  { method: 'PUT', path: METHOD, operation: 'PutMethod', successStatus: 201 },
  { method: 'GET', path: METHOD, operation: 'GetMethod' },
  { method: 'PATCH', path: METHOD, operation: 'UpdateMethod' },
  { method: 'DELETE', path: METHOD, operation: 'DeleteMethod', respond: empty(204) },
  { method: 'PUT', path: `${METHOD}/responses/{statusCode}`, operation: 'PutMethodResponse', successStatus: 201 },
  { method: 'GET', path: `${METHOD}/responses/{statusCode}`, operation: 'GetMethodResponse' },
  { method: 'DELETE', path: `${METHOD}/responses/{statusCode}`, operation: 'DeleteMethodResponse', respond: empty(204) },

  { method: 'PUT', path: `${METHOD}/integration`, operation: 'PutIntegration', successStatus: 201, parseBody: parseIntegrationBody },
  { method: 'GET', path: `${METHOD}/integration`, operation: 'GetIntegration' },
  { method: 'DELETE', path: `${METHOD}/integration`, operation: 'DeleteIntegration', respond: empty(204) },
  { method: 'PUT', path: `${METHOD}/integration/responses/{statusCode}`, operation: 'PutIntegrationResponse', successStatus: 201 },
  { method: 'GET', path: `${METHOD}/integration/responses/{statusCode}`, operation: 'GetIntegrationResponse' },
  { method: 'DELETE', path: `${METHOD}/integration/responses/{statusCode}`, operation: 'DeleteIntegrationResponse', respond: empty(204) },

  { method: 'POST', path: `${API}/requestvalidators`, operation: 'CreateRequestValidator', successStatus: 201 },
  { method: 'GET', path: `${API}/requestvalidators`, operation: 'GetRequestValidators', query: PAGING },
  { method: 'GET', path: `${API}/requestvalidators/{requestValidatorId}`, operation: 'GetRequestValidator' },
  { method: 'PATCH', path: `${API}/requestvalidators/{requestValidatorId}`, operation: 'UpdateRequestValidator' },
  { method: 'DELETE', path: `${API}/requestvalidators/{requestValidatorId}`, operation: 'DeleteRequestValidator', respond: empty(202) },

  { method: 'POST', path: `${API}/authorizers`, operation: 'CreateAuthorizer', successStatus: 201 },
  { method: 'GET', path: `${API}/authorizers`, operation: 'GetAuthorizers', query: PAGING },
  { method: 'GET', path: `${API}/authorizers/{authorizerId}`, operation: 'GetAuthorizer' },
  { method: 'PATCH', path: `${API}/authorizers/{authorizerId}`, operation: 'UpdateAuthorizer' },
  { method: 'DELETE', path: `${API}/authorizers/{authorizerId}`, operation: 'DeleteAuthorizer', respond: empty(202) },

  { method: 'POST', path: `${API}/deployments`, operation: 'CreateDeployment', successStatus: 201 },
  { method: 'GET', path: `${API}/deployments`, operation: 'GetDeployments', query: PAGING },
  { method: 'GET', path: `${API}/deployments/{deploymentId}`, operation: 'GetDeployment', query: { embed: 'embed' } },
  { method: 'DELETE', path: `${API}/deployments/{deploymentId}`, operation: 'DeleteDeployment', respond: empty(202) },

  { method: 'POST', path: `${API}/stages`, operation: 'CreateStage', successStatus: 201 },
  { method: 'GET', path: `${API}/stages`, operation: 'GetStages', query: { deploymentId: 'deploymentId' } },
  { method: 'GET', path: `${API}/stages/{stageName}`, operation: 'GetStage' },
  { method: 'PATCH', path: `${API}/stages/{stageName}`, operation: 'UpdateStage' },
  { method: 'DELETE', path: `${API}/stages/{stageName}`, operation: 'DeleteStage', respond: empty(202) },
];
