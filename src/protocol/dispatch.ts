import type { App } from '../core/app.ts';
import { AwsError } from '../core/errors.ts';
import type { HttpRequest, HttpResponse } from '../core/http.ts';
import { requestId as newRequestId } from '../core/ids.ts';
import type { RequestContext, RestRoute, ServiceDefinition } from '../core/service.ts';
import { internalError, serializeError, signatureError } from './errors.ts';
import { parseQueryForm } from './query.ts';
import { bindRestRequest, compileRoutes, type CompiledRoute } from './rest.ts';
import { credentialScope, isSigned, verifySigV4 } from './sigv4.ts';
import { buildXml } from './xml.ts';
import { log } from '../core/log.ts';

/**
 * The AWS API front door: find the service a request is for, verify its
 * signature, parse it into an operation and input, run the operation and
 * write the output or error in the service's protocol.
 */
export class ApiDispatcher {
  private readonly compiled = new Map<ServiceDefinition, CompiledRoute[]>();

  constructor(private readonly app: App) {}

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const requestId = newRequestId();
    const service = this.resolveService(req);
    if (!service) {
      const error = new AwsError('UnknownServiceException', 'palisade could not tell which AWS service this request is for: it has no X-Amz-Target header and no SigV4 credential scope naming a service palisade serves.', 400);
      return serializeError('json', error, requestId);
    }
    try {
      const call = this.parse(service, req);
      const ctx = await this.authenticate(service, call.operation, req, requestId);
      const handler = service.operations[call.operation];
      if (!handler) {
        throw new AwsError('NotImplementedException', `palisade does not implement ${service.signingName}:${call.operation} yet; the request was not carried out`, 501);
      }
      const output = await handler(call.input, ctx);
      return this.serialize(service, call, output ?? {}, requestId);
    } catch (error) {
      if (error instanceof AwsError) return serializeError(service.protocol, error, requestId, service.xmlNamespace, service.jsonVersion);
      log('error', 'endpoint', 'internal failure', { service: service.signingName, requestId, error: String((error as Error)?.stack ?? error) });
      return serializeError(service.protocol, internalError(), requestId, service.xmlNamespace);
    }
  }

  private resolveService(req: HttpRequest): ServiceDefinition | undefined {
    const target = req.headers['x-amz-target'];
    if (target) {
      const prefix = target.slice(0, target.lastIndexOf('.'));
      for (const service of this.app.services.values()) if (service.targetPrefix === prefix) return service;
    }
    const scope = credentialScope(req);
    return scope ? this.app.services.get(scope.service) : undefined;
  }

  private parse(service: ServiceDefinition, req: HttpRequest): { operation: string; input: Record<string, unknown>; route?: RestRoute } {
    switch (service.protocol) {
      case 'json':
        return parseJsonCall(service, req);
      case 'query': {
        const form = parseQueryForm(req.method === 'GET' ? req.rawQuery : req.body.toString('utf8'));
        if (!form.action) throw new AwsError('MissingAction', 'The request is missing the Action parameter.', 400);
        return { operation: form.action, input: form.input };
      }
      case 'rest-json':
      case 'rest-xml': {
        let routes = this.compiled.get(service);
        if (!routes) {
          routes = compileRoutes(service.routes ?? []);
          this.compiled.set(service, routes);
        }
        const bound = bindRestRequest(routes, req);
        if (!bound) {
          throw new AwsError('NotImplementedException', `palisade does not implement ${req.method} ${req.rawPath} of ${service.signingName} yet; the request was not carried out`, 501);
        }
        return { operation: bound.route.operation, input: bound.input, route: bound.route };
      }
    }
  }

  private async authenticate(service: ServiceDefinition, operation: string, req: HttpRequest, requestId: string): Promise<RequestContext> {
    const base = { accountId: this.app.accountId, region: this.app.region, requestId, internal: false };
    // Operations AWS serves unsigned (Cognito's SignUp, InitiateAuth, ...) are
    // verified only when the client chose to sign them.
    if (service.unsignedOperations?.has(operation) && !isSigned(req)) return base;
    const result = await verifySigV4(req, [this.app.credentials]);
    if ('kind' in result) throw signatureError(service.protocol, result);
    return { ...base, accessKeyId: result.accessKeyId, region: result.region };
  }

  private serialize(service: ServiceDefinition, call: { operation: string; route?: RestRoute }, output: any, requestId: string): HttpResponse {
    const headers = { 'x-amzn-requestid': requestId };
    switch (service.protocol) {
      case 'json':
        return {
          status: 200,
          headers: { ...headers, 'content-type': `application/x-amz-json-${service.jsonVersion ?? '1.1'}` },
          body: JSON.stringify(output, jsonDates),
        };
      case 'query':
        return {
          status: 200,
          headers: { ...headers, 'content-type': 'text/xml' },
          body: buildXml(
            `${call.operation}Response`,
            { [`${call.operation}Result`]: output, ResponseMetadata: { RequestId: requestId } },
            service.xmlNamespace,
          ),
        };
      case 'rest-json':
      case 'rest-xml': {
        if (call.route?.respond) {
          const response = call.route.respond(output);
          return { ...response, headers: { ...headers, ...response.headers } };
        }
        return {
          status: call.route?.successStatus ?? 200,
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(output, jsonDates),
        };
      }
    }
  }
}

function parseJsonCall(service: ServiceDefinition, req: HttpRequest): { operation: string; input: Record<string, unknown> } {
  const target = req.headers['x-amz-target'] ?? '';
  const operation = target.slice(target.lastIndexOf('.') + 1);
  if (!operation) throw new AwsError('UnknownOperationException', 'The X-Amz-Target header is missing.', 400);
  const text = req.body.toString('utf8').trim();
  if (!text) return { operation, input: {} };
  try {
    return { operation, input: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new AwsError('SerializationException', `The request body of ${service.signingName}:${operation} is not valid JSON.`, 400);
  }
}

/**
 * JSON protocols send timestamps as epoch seconds (`"timestampFormat":
 * "unixTimestamp"` is their default), so Date members are written that way.
 */
function jsonDates(this: any, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}
