import type { App } from '../../../core/app.ts';
import { badRequest, compact, findMethod, loadRestApi, notFound, saveRestApi, type Integration, type IntegrationResponse, type Method } from '../records.ts';

const INTEGRATION_TYPES = new Set(['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY']);
const PASSTHROUGH_BEHAVIORS = new Set(['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER']);
/** Integration timeouts run from 50 ms to 29 s by default (API Gateway quotas for REST APIs). */
const DEFAULT_TIMEOUT_MILLIS = 29000;

function findIntegration(method: Method): Integration {
  if (!method.methodIntegration) throw notFound('No integration defined for method');
  return method.methodIntegration;
}

function checkIntegration(input: Record<string, any>): void {
  if (!INTEGRATION_TYPES.has(input.type)) throw badRequest(`Invalid integration type specified: ${input.type ?? ''}. Valid values are HTTP, AWS, MOCK, HTTP_PROXY, AWS_PROXY`);
  if (input.passthroughBehavior !== undefined && !PASSTHROUGH_BEHAVIORS.has(input.passthroughBehavior)) {
    throw badRequest(`Invalid passthrough behavior specified: ${input.passthroughBehavior}. Valid values are WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER`);
  }
  if (input.type === 'MOCK') return;
  if (!input.integrationHttpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
  if (!input.uri) throw badRequest(`Invalid integration URI specified: a uri is required for integrations of type ${input.type}`);
  if ((input.type === 'AWS' || input.type === 'AWS_PROXY') && !String(input.uri).startsWith('arn:')) {
    throw badRequest('AWS ARN for integration must contain path or action');
  }
  if (input.type === 'AWS_PROXY' && !/:lambda:path\/[^/]+\/functions\/.+\/invocations$/.test(input.uri)) {
    throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
  }
}

export function integrationOperations(app: App) {
  return {
    PutIntegration(input: Record<string, any>) {
      const api = loadRestApi(app, input.restApiId);
      const method = findMethod(api, input.resourceId, input.httpMethod);
      checkIntegration(input);
      const integration: Integration = compact({
        type: input.type,
        httpMethod: input.type === 'MOCK' ? undefined : input.integrationHttpMethod,
        uri: input.uri,
        connectionType: input.connectionType,
        connectionId: input.connectionId,
        credentials: input.credentials,
        requestParameters: input.requestParameters,
        requestTemplates: input.requestTemplates,
        passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH',
        contentHandling: input.contentHandling,
        timeoutInMillis: input.timeoutInMillis ?? DEFAULT_TIMEOUT_MILLIS,
        // The cache namespace defaults to the resource id (PutIntegration, cacheNamespace).
        cacheNamespace: input.cacheNamespace ?? input.resourceId,
        cacheKeyParameters: input.cacheKeyParameters ?? [],
      });
      method.methodIntegration = integration;
      saveRestApi(app, api);
      return integration;
    },

    GetIntegration(input: { restApiId: string; resourceId: string; httpMethod: string }) {
      return findIntegration(findMethod(loadRestApi(app, input.restApiId), input.resourceId, input.httpMethod));
    },

    DeleteIntegration(input: { restApiId: string; resourceId: string; httpMethod: string }) {
      const api = loadRestApi(app, input.restApiId);
      const method = findMethod(api, input.resourceId, input.httpMethod);
      findIntegration(method);
      delete method.methodIntegration;
      saveRestApi(app, api);
      return {};
    },

    PutIntegrationResponse(input: Record<string, any>) {
      const api = loadRestApi(app, input.restApiId);
      const method = findMethod(api, input.resourceId, input.httpMethod);
      const integration = findIntegration(method);
      // An integration response maps onto a method response of the same status.
      if (!method.methodResponses?.[input.statusCode]) throw notFound('Invalid Response status code specified');
      if (input.selectionPattern !== undefined) {
        try {
          new RegExp(input.selectionPattern);
        } catch {
          throw badRequest(`Invalid selection pattern specified: ${input.selectionPattern}`);
        }
      }
      const response: IntegrationResponse = compact({
        statusCode: input.statusCode,
        selectionPattern: input.selectionPattern,
        responseParameters: input.responseParameters,
        responseTemplates: input.responseTemplates,
        contentHandling: input.contentHandling,
      });
      integration.integrationResponses = { ...integration.integrationResponses, [response.statusCode]: response };
      saveRestApi(app, api);
      return response;
    },

    GetIntegrationResponse(input: { restApiId: string; resourceId: string; httpMethod: string; statusCode: string }) {
      const integration = findIntegration(findMethod(loadRestApi(app, input.restApiId), input.resourceId, input.httpMethod));
      const response = integration.integrationResponses?.[input.statusCode];
      if (!response) throw notFound('Invalid Response status code specified');
      return response;
    },

    DeleteIntegrationResponse(input: { restApiId: string; resourceId: string; httpMethod: string; statusCode: string }) {
      const api = loadRestApi(app, input.restApiId);
      const integration = findIntegration(findMethod(api, input.resourceId, input.httpMethod));
      if (!integration.integrationResponses?.[input.statusCode]) throw notFound('Invalid Response status code specified');
      delete integration.integrationResponses[input.statusCode];
      saveRestApi(app, api);
      return {};
    },
  };
}
