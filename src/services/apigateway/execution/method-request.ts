import type { RequestTraceRef } from '../../../core/trace-ref.ts';
import type { TokenClaims } from '../../../core/seams.ts';
import type { ApiSnapshot } from '../records.ts';
import type { RouteMatch } from './match.ts';
import type { RequestParams } from './vtl.ts';

/** One client request as the execution pipeline carries it from step to step. */
export interface MethodRequest {
  apiId: string;
  accountId: string;
  region: string;
  stage: string;
  deploymentId: string;
  snapshot: ApiSnapshot;
  stageVariables: Record<string, string>;
  httpMethod: string;
  /** Path below the stage, percent-encoded as received, always starting with `/`. */
  resourcePath: string;
  rawQuery: string;
  query: URLSearchParams;
  /** Header names are lower-case (the endpoint reads them so). */
  headers: Record<string, string>;
  body: Buffer;
  sourceIp: string;
  requestId: string;
  extendedRequestId: string;
  requestTime: Date;
  trace: RequestTraceRef;
  match?: RouteMatch;
  /** Claims of the token a Cognito authorizer accepted, every value a string. */
  claims?: TokenClaims;
}

/** Return the `{apiId}.execute-api.{region}.amazonaws.com` host the client addressed. */
export function domainName(request: MethodRequest): string {
  return `${request.apiId}.execute-api.${request.region}.amazonaws.com`;
}

/** Single-value query parameters; a repeated name keeps its last value, as in the proxy event. */
export function singleQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of query) out[name] = value;
  return out;
}

export function requestParams(request: MethodRequest): RequestParams {
  return { path: { ...request.match?.pathParameters }, querystring: singleQuery(request.query), header: { ...request.headers } };
}

/** `$context.requestTime` in the CLF form `dd/MMM/yyyy:HH:mm:ss +0000`. */
export function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** Convert authorizer claims to strings, as API Gateway passes them on. */
export function stringClaims(claims: TokenClaims | undefined): Record<string, string> | undefined {
  if (!claims) return undefined;
  return Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : String(value)]));
}

/** Build the `requestContext` members shared by `$context` and the Lambda proxy event. */
export function requestContext(request: MethodRequest) {
  const match = request.match;
  const claims = stringClaims(request.claims);
  return {
    resourceId: match?.resource.id,
    resourcePath: match?.resource.path,
    httpMethod: request.httpMethod,
    extendedRequestId: request.extendedRequestId,
    requestTime: clfTime(request.requestTime),
    path: `/${request.stage}${request.resourcePath}`,
    accountId: request.accountId,
    protocol: 'HTTP/1.1',
    stage: request.stage,
    domainPrefix: request.apiId,
    requestTimeEpoch: request.requestTime.getTime(),
    requestId: request.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: request.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: request.headers['user-agent'] ?? null,
      user: null,
    },
    domainName: domainName(request),
    apiId: request.apiId,
    ...(claims ? { authorizer: { claims } } : {}),
  };
}
