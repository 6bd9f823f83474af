import type { HttpResponse } from '../../../core/http.ts';

/**
 * Responses API Gateway itself generates, before or instead of the
 * integration ("Gateway responses for REST APIs"). The bodies are written
 * byte for byte as AWS sends them: the default template is
 * `{"message":$context.error.messageString}`, yet some errors come from
 * older code paths that put a space after the colon (the request validator's
 * `{"message": "Missing required request parameters: [id]"}`).
 */
export interface GatewayError {
  status: number;
  /** `x-amzn-ErrorType` header value. */
  errorType: string;
  body: string;
}

export const GatewayErrors = {
  /** WAF_FILTERED: the web ACL blocked the request. */
  wafFiltered: { status: 403, errorType: 'ForbiddenException', body: '{"message":"Forbidden"}' },
  /** The stage does not exist on the API. */
  unknownStage: { status: 403, errorType: 'ForbiddenException', body: '{"message":"Forbidden"}' },
  /** MISSING_AUTHENTICATION_TOKEN: no resource or method matches (on an API with no IAM auth). */
  missingAuthenticationToken: { status: 403, errorType: 'MissingAuthenticationTokenException', body: '{"message":"Missing Authentication Token"}' },
  /** UNAUTHORIZED: the Cognito authorizer had no token or rejected it. */
  unauthorized: { status: 401, errorType: 'UnauthorizedException', body: '{"message":"Unauthorized"}' },
  /** UNSUPPORTED_MEDIA_TYPE: no request template matches and the passthrough behavior forbids passing the body. */
  unsupportedMediaType: { status: 415, errorType: 'UnsupportedMediaTypeException', body: '{"message": "Unsupported Media Type"}' },
  /** Integration failures and configuration errors (DEFAULT_5XX). */
  internalServerError: { status: 500, errorType: 'InternalServerErrorException', body: '{"message": "Internal server error"}' },
  /** A Lambda proxy integration returned a malformed response or failed (DEFAULT_5XX with status 502). */
  badGateway: { status: 502, errorType: 'InternalServerErrorException', body: '{"message": "Internal server error"}' },
} satisfies Record<string, GatewayError>;

/** BAD_REQUEST_PARAMETERS from the request validator, listing the missing names in method order. */
export function missingParameters(names: string[]): GatewayError {
  return { status: 400, errorType: 'BadRequestException', body: `{"message": "Missing required request parameters: [${names.join(', ')}]"}` };
}

/** BAD_REQUEST_BODY when a template reads a body that is not JSON. */
export function badRequestBody(message: string): GatewayError {
  return { status: 400, errorType: 'BadRequestException', body: JSON.stringify({ message }) };
}

/**
 * Build a 500 gateway error naming a feature palisade does not serve yet, so
 * the request fails closed instead of passing unchecked.
 */
export function unsupported(feature: string): GatewayError {
  return { status: 500, errorType: 'InternalServerErrorException', body: JSON.stringify({ message: `palisade does not support ${feature} yet; the request was not processed` }) };
}

export function gatewayResponse(error: GatewayError, headers: Record<string, string>): HttpResponse {
  return {
    status: error.status,
    headers: { ...headers, 'content-type': 'application/json', 'x-amzn-errortype': error.errorType },
    body: error.body,
  };
}
