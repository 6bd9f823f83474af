import type { App } from '../../../core/app.ts';
import type { HttpResponse } from '../../../core/http.ts';
import { recordHop } from '../../../core/trace-ref.ts';
import { GatewayErrors, unsupported, type GatewayError } from './gateway-responses.ts';
import { invokeFunction, lambdaFunctionOf } from './integration-lambda.ts';
import { requestContext, singleQuery, type MethodRequest } from './method-request.ts';

function orNull<T extends object>(value: T): T | null {
  return Object.keys(value).length ? value : null;
}

function multiValueQuery(query: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of query) (out[name] ??= []).push(value);
  return out;
}

/**
 * The Lambda proxy integration event, payload format 1.0 ("Input format of a
 * Lambda function for proxy integration").
 */
export function proxyEvent(request: MethodRequest): Record<string, unknown> {
  const match = request.match!;
  // TODO: header names reach the function lower-cased; AWS keeps the case the client sent.
  const headers = { ...request.headers };
  const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
  return {
    resource: match.resource.path,
    path: decodeURIComponent(request.resourcePath),
    httpMethod: request.httpMethod,
    headers: orNull(headers),
    multiValueHeaders: orNull(multiValueHeaders),
    queryStringParameters: orNull(singleQuery(request.query)),
    multiValueQueryStringParameters: orNull(multiValueQuery(request.query)),
    pathParameters: orNull(match.pathParameters),
    stageVariables: orNull(request.stageVariables),
    requestContext: requestContext(request),
    body: request.body.length ? request.body.toString('utf8') : null,
    isBase64Encoded: false,
  };
}

const PROXY_RESPONSE_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Parse the function's proxy response. Anything but an object of
 * `statusCode`, `headers`, `multiValueHeaders`, `body` (a string) and
 * `isBase64Encoded` is malformed, and API Gateway returns 502 for it.
 */
export function parseProxyResponse(payload: Buffer): HttpResponse | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  if (Object.keys(parsed).some((key) => !PROXY_RESPONSE_KEYS.has(key))) return undefined;
  const status = typeof parsed.statusCode === 'string' && /^\d+$/.test(parsed.statusCode) ? Number(parsed.statusCode) : parsed.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if (parsed.body !== undefined && parsed.body !== null && typeof parsed.body !== 'string') return undefined;

  const headers: Record<string, string> = {};
  for (const [source, joiner] of [[parsed.headers, undefined], [parsed.multiValueHeaders, ', ']] as const) {
    if (source === undefined || source === null) continue;
    if (typeof source !== 'object' || Array.isArray(source)) return undefined;
    // multiValueHeaders come second, so they win when both maps name a header.
    for (const [name, value] of Object.entries(source)) {
      if (joiner) {
        if (!Array.isArray(value)) return undefined;
        headers[name.toLowerCase()] = value.map(String).join(joiner);
      } else {
        if (value !== null && typeof value === 'object') return undefined;
        headers[name.toLowerCase()] = String(value);
      }
    }
  }
  headers['content-type'] ??= 'application/json';
  const text = typeof parsed.body === 'string' ? parsed.body : '';
  const body = parsed.isBase64Encoded === true ? Buffer.from(text, 'base64') : text;
  return { status, headers, body };
}

/** Run a Lambda proxy integration (type AWS_PROXY). */
export async function runProxyIntegration(app: App, request: MethodRequest): Promise<HttpResponse | GatewayError> {
  const integration = request.match!.method.methodIntegration!;
  const functionArn = lambdaFunctionOf(integration.uri);
  if (!functionArn) return unsupported(`AWS_PROXY integrations other than Lambda (${integration.uri ?? 'no uri'})`);
  const result = await invokeFunction(app, request, functionArn, Buffer.from(JSON.stringify(proxyEvent(request))));
  if (!result) return GatewayErrors.internalServerError;
  const response = result.functionError ? undefined : parseProxyResponse(result.payload);
  if (!response) {
    recordHop(request.trace, 'apigateway', '502', { step: 'integration-response', reason: result.functionError ? 'function error' : 'malformed Lambda proxy response' });
    return GatewayErrors.badGateway;
  }
  return response;
}
