import type { App } from '../../../core/app.ts';
import { applyPatch, patchBoolean, requirePatchValue, type PatchRule } from '../patch.ts';
import {
  badRequest, compact, conflict, findMethod, findResource, loadRestApi, notFound, saveRestApi,
  type Method, type MethodResponse, type RestApiRecord,
} from '../records.ts';

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);
const AUTHORIZATION_TYPES = new Set(['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS']);
/** Method request parameter names: `method.request.{querystring|path|header|multivalue...}.<name>`. */
const REQUEST_PARAMETER = /^method\.request\.(querystring|path|header|multivaluequerystring|multivalueheader)\.[^\s]+$/;
const STATUS_CODE = /^[1-5]\d\d$/;

function checkRequestParameters(parameters: Record<string, boolean> | undefined): void {
  for (const name of Object.keys(parameters ?? {})) {
    if (!REQUEST_PARAMETER.test(name)) throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid method request parameter name specified: ${name}]`);
  }
}

/** Check the authorizer and validator references once a method's members are final. */
function checkMethodReferences(api: RestApiRecord, method: Method): void {
  if (!AUTHORIZATION_TYPES.has(method.authorizationType)) {
    throw badRequest(`Invalid authorization type specified. Valid values are NONE, AWS_IAM, CUSTOM and COGNITO_USER_POOLS, got ${method.authorizationType}`);
  }
  const needsAuthorizer = method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS';
  if (needsAuthorizer) {
    const authorizer = method.authorizerId ? api.authorizers[method.authorizerId] : undefined;
    if (!authorizer) throw badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
    const expected = method.authorizationType === 'COGNITO_USER_POOLS' ? ['COGNITO_USER_POOLS'] : ['TOKEN', 'REQUEST'];
    if (!expected.includes(authorizer.type)) {
      throw badRequest(`Invalid authorizer ID specified: authorizer ${authorizer.id} is of type ${authorizer.type}, which authorization type ${method.authorizationType} cannot use.`);
    }
  } else {
    delete method.authorizerId;
  }
  if (method.requestValidatorId && !api.requestValidators[method.requestValidatorId]) {
    throw badRequest('Invalid Request Validator identifier specified');
  }
  checkRequestParameters(method.requestParameters);
}

function mapRule<T>(path: string, get: () => Record<string, T> | undefined, set: (map: Record<string, T> | undefined) => void, parse: (value: string | undefined, key: string) => T): PatchRule {
  return {
    path,
    isMap: true,
    ops: ['add', 'replace', 'remove'],
    apply(op, value, key) {
      const map = { ...(get() ?? {}) };
      if (op === 'remove') {
        if (!(key in map)) throw badRequest(`Invalid patch path '${path}${key}': no such key to remove`);
        delete map[key];
      } else {
        map[key] = parse(value, key);
      }
      set(Object.keys(map).length ? map : undefined);
    },
  };
}

/** List the patch paths UpdateMethod accepts (UpdateMethod, API Gateway API reference, "patchOperations"). */
function methodPatchRules(method: Method): PatchRule[] {
  return [
    { path: '/authorizationType', ops: ['replace'], apply: (_op, value) => { method.authorizationType = requirePatchValue('/authorizationType', value); } },
    { path: '/authorizerId', ops: ['replace'], apply: (_op, value) => { method.authorizerId = value || undefined; } },
    { path: '/requestValidatorId', ops: ['replace'], apply: (_op, value) => { method.requestValidatorId = value || undefined; } },
    { path: '/apiKeyRequired', ops: ['replace'], apply: (_op, value) => { method.apiKeyRequired = patchBoolean('/apiKeyRequired', value); } },
    { path: '/operationName', ops: ['replace'], apply: (_op, value) => { method.operationName = value || undefined; } },
    mapRule('/requestParameters/', () => method.requestParameters, (map) => { method.requestParameters = map; }, (value, key) => patchBoolean(`/requestParameters/${key}`, value ?? 'false')),
    mapRule('/requestModels/', () => method.requestModels, (map) => { method.requestModels = map; }, (value, key) => requirePatchValue(`/requestModels/${key}`, value)),
    {
      path: '/authorizationScopes',
      ops: ['add', 'remove'],
      apply(op, value) {
        const scope = requirePatchValue('/authorizationScopes', value);
        const scopes = (method.authorizationScopes ?? []).filter((existing) => existing !== scope);
        if (op === 'add') scopes.push(scope);
        method.authorizationScopes = scopes.length ? scopes : undefined;
      },
    },
  ];
}

export function methodOperations(app: App) {
  return {
    PutMethod(input: Record<string, any>) {
      const api = loadRestApi(app, input.restApiId);
      const resource = findResource(api, input.resourceId);
      if (!HTTP_METHODS.has(input.httpMethod)) throw badRequest(`Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY`);
      if (resource.resourceMethods?.[input.httpMethod]) throw conflict('Method already exists for this resource');
      if (typeof input.authorizationType !== 'string') throw badRequest('Invalid authorization type specified: authorizationType is required');
      const method: Method = compact({
        httpMethod: input.httpMethod,
        authorizationType: input.authorizationType,
        authorizerId: input.authorizerId,
        apiKeyRequired: input.apiKeyRequired ?? false,
        requestValidatorId: input.requestValidatorId,
        operationName: input.operationName,
        requestParameters: input.requestParameters,
        requestModels: input.requestModels,
        authorizationScopes: input.authorizationScopes,
      });
      checkMethodReferences(api, method);
      resource.resourceMethods = { ...resource.resourceMethods, [method.httpMethod]: method };
      saveRestApi(app, api);
      return method;
    },

    GetMethod(input: { restApiId: string; resourceId: string; httpMethod: string }) {
      return findMethod(loadRestApi(app, input.restApiId), input.resourceId, input.httpMethod);
    },

    UpdateMethod(input: { restApiId: string; resourceId: string; httpMethod: string; patchOperations?: unknown }) {
      const api = loadRestApi(app, input.restApiId);
      const method = findMethod(api, input.resourceId, input.httpMethod);
      applyPatch(input.patchOperations, methodPatchRules(method));
      checkMethodReferences(api, method);
      saveRestApi(app, api);
      return method;
    },

    DeleteMethod(input: { restApiId: string; resourceId: string; httpMethod: string }) {
      const api = loadRestApi(app, input.restApiId);
      findMethod(api, input.resourceId, input.httpMethod);
      const resource = findResource(api, input.resourceId);
      delete resource.resourceMethods![input.httpMethod];
      if (Object.keys(resource.resourceMethods!).length === 0) delete resource.resourceMethods;
      saveRestApi(app, api);
      return {};
    },

    PutMethodResponse(input: Record<string, any>) {
      const api = loadRestApi(app, input.restApiId);
      const method = findMethod(api, input.resourceId, input.httpMethod);
      if (!STATUS_CODE.test(String(input.statusCode))) throw badRequest('Invalid Response status code specified');
      if (method.methodResponses?.[input.statusCode]) throw conflict('Response already exists for this resource');
      const response: MethodResponse = compact({
        statusCode: input.statusCode,
        responseParameters: input.responseParameters,
        responseModels: input.responseModels,
      });
      method.methodResponses = { ...method.methodResponses, [response.statusCode]: response };
      saveRestApi(app, api);
      return response;
    },

    GetMethodResponse(input: { restApiId: string; resourceId: string; httpMethod: string; statusCode: string }) {
      const method = findMethod(loadRestApi(app, input.restApiId), input.resourceId, input.httpMethod);
      const response = method.methodResponses?.[input.statusCode];
      if (!response) throw notFound('Invalid Response status code specified');
      return response;
    },

    DeleteMethodResponse(input: { restApiId: string; resourceId: string; httpMethod: string; statusCode: string }) {
      const api = loadRestApi(app, input.restApiId);
      const method = findMethod(api, input.resourceId, input.httpMethod);
      if (!method.methodResponses?.[input.statusCode]) throw notFound('Invalid Response status code specified');
      delete method.methodResponses[input.statusCode];
      saveRestApi(app, api);
      return {};
    },
  };
}
