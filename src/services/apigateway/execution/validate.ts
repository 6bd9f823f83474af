import { recordHop } from '../../../core/trace-ref.ts';
import { missingParameters, unsupported, type GatewayError } from './gateway-responses.ts';
import type { MethodRequest } from './method-request.ts';

/** Check whether the request carries a parameter of the given kind (`querystring`, `header`, `path`, ...). */
function hasParameter(request: MethodRequest, kind: string, name: string): boolean {
  switch (kind) {
    case 'querystring':
    case 'multivaluequerystring':
      return request.query.has(name);
    case 'header':
    case 'multivalueheader':
      return request.headers[name.toLowerCase()] !== undefined;
    case 'path':
      return request.match?.pathParameters[name] !== undefined;
    default:
      return false;
  }
}

/**
 * Run the method's request validator ("Request validation for REST APIs"):
 * with `validateRequestParameters`, every request parameter marked `true`
 * must be present, else 400 naming the missing ones.
 */
export function validateRequest(request: MethodRequest): GatewayError | undefined {
  const method = request.match!.method;
  const validator = method.requestValidatorId ? request.snapshot.requestValidators[method.requestValidatorId] : undefined;
  if (!validator) return undefined;
  if (validator.validateRequestParameters) {
    const missing: string[] = [];
    for (const [parameter, required] of Object.entries(method.requestParameters ?? {})) {
      const [, , kind, ...rest] = parameter.split('.');
      const name = rest.join('.');
      // NOTE: a parameter present with an empty value (`?id=`) counts as present here.
      if (required && !hasParameter(request, kind, name)) missing.push(name);
    }
    if (missing.length) {
      recordHop(request.trace, 'apigateway', '400', { step: 'validator', requestValidatorId: validator.id, missing });
      return missingParameters(missing);
    }
  }
  if (validator.validateRequestBody) {
    const models = Object.values(method.requestModels ?? {}).filter((model) => model !== 'Empty');
    // TODO: body validation against JSON schema models is not served; a method that requires it fails closed.
    if (models.length) return unsupported('request body validation against models');
  }
  recordHop(request.trace, 'apigateway', 'PASS', { step: 'validator', requestValidatorId: validator.id });
  return undefined;
}
