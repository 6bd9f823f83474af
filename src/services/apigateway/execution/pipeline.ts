import { randomBytes } from 'node:crypto';
import type { App } from '../../../core/app.ts';
import type { HttpRequest, HttpResponse } from '../../../core/http.ts';
import type { HttpRoute } from '../../../core/service.ts';
import type { WafVerdict, WebRequest } from '../../../core/seams.ts';
import { requestId as newRequestId } from '../../../core/ids.ts';
import { log } from '../../../core/log.ts';
import { recordHop, type RequestTraceRef } from '../../../core/trace-ref.ts';
import { SERVICE, deploymentKey, stageKey, type DeploymentRecord, type StageRecord } from '../records.ts';
import { authorize } from './authorize.ts';
import { GatewayErrors, gatewayResponse, unsupported, type GatewayError } from './gateway-responses.ts';
import { runLambdaIntegration, runMockIntegration } from './integration-lambda.ts';
import { runProxyIntegration } from './integration-proxy.ts';
import { matchRoute } from './match.ts';
import type { MethodRequest } from './method-request.ts';
import { validateRequest } from './validate.ts';

/** `/restapis/{apiId}/{stageName}/_user_request_{/path...}`: where palisade serves a stage. */
const STAGE_PATH = /^\/restapis\/([a-z0-9]+)\/([^/]+)\/_user_request_(\/.*)?$/;

/** Build the loopback stage URL path from an invoke URL's API id, stage and the path below the stage. */
export function stageUrlPath(apiId: string, stage: string, rest: string): string {
  return `/restapis/${apiId}/${stage}/_user_request_${rest.startsWith('/') ? rest : `/${rest}`}`;
}

function isGatewayError(value: HttpResponse | GatewayError): value is GatewayError {
  return 'errorType' in value;
}

/**
 * Build the request the WAF inspects, as the client sent it to API Gateway.
 * The web ACL is associated with the stage and inspects the HTTP request that
 * API Gateway received ("Use AWS WAF to protect your REST APIs"). So on
 * `https://<id>.execute-api.<region>.amazonaws.com/Dev/?id=1` the URI path is
 * `/Dev/`, stage included. palisade's `/restapis/<id>/<stage>/_user_request_`
 * prefix is only its loopback addressing, so the WAF never sees it.
 */
function webRequest(req: HttpRequest, stage: string, resourcePath: string): WebRequest {
  return {
    method: req.method,
    uriPath: `/${stage}${resourcePath}`,
    queryString: req.rawQuery,
    headers: Object.entries(req.headers),
    body: req.body,
    clientIp: req.remoteAddress,
  };
}

function wafBlockResponse(verdict: WafVerdict, headers: Record<string, string>): HttpResponse {
  const custom = verdict.customResponse;
  if (!custom) return gatewayResponse(GatewayErrors.wafFiltered, headers);
  const out: Record<string, string> = { ...headers };
  for (const [name, value] of custom.headers) out[name.toLowerCase()] = value;
  if (custom.contentType) out['content-type'] = custom.contentType;
  return { status: custom.statusCode, headers: out, body: custom.body ?? '' };
}

/** Step 1: the stage's web ACL, before any other access control ("Use AWS WAF to protect your REST APIs"). */
function evaluateWaf(app: App, req: HttpRequest, request: MethodRequest, headers: Record<string, string>): HttpResponse | undefined {
  const stageArn = `arn:aws:apigateway:${request.region}::/restapis/${request.apiId}/stages/${request.stage}`;
  const verdict = app.seams.waf?.evaluateForResource(stageArn, webRequest(req, request.stage, request.resourcePath), request.trace);
  if (!verdict) return undefined;
  if (verdict.action === 'BLOCK') {
    recordHop(request.trace, 'apigateway', '403', { step: 'waf', webAclArn: verdict.webAclArn, terminatingRuleId: verdict.terminatingRuleId });
    return wafBlockResponse(verdict, headers);
  }
  if (verdict.action === 'CAPTCHA' || verdict.action === 'CHALLENGE') {
    // TODO: CAPTCHA and Challenge interstitials are not served; they fail closed.
    return gatewayResponse(unsupported(`the AWS WAF ${verdict.action} action`), headers);
  }
  // Allow and Count pass the request on with the headers their custom request handling inserts.
  for (const [name, value] of verdict.insertHeaders) request.headers[name.toLowerCase()] = value;
  return undefined;
}

/** Steps 2 to 5: route, authorizer, request validator, integration. */
async function execute(app: App, request: MethodRequest): Promise<HttpResponse | GatewayError> {
  const match = matchRoute(request.snapshot.resources, request.httpMethod, request.resourcePath);
  if (!match) {
    recordHop(request.trace, 'apigateway', '403', { step: 'route', httpMethod: request.httpMethod, path: request.resourcePath, reason: 'no resource or method matches' });
    return GatewayErrors.missingAuthenticationToken;
  }
  request.match = match;
  recordHop(request.trace, 'apigateway', 'MATCH', { step: 'route', resourceId: match.resource.id, resourcePath: match.resource.path, httpMethod: match.method.httpMethod });

  const authorization = await authorize(app, request);
  if ('error' in authorization) return authorization.error;
  request.claims = authorization.claims;

  const invalid = validateRequest(request);
  if (invalid) return invalid;

  const integration = match.method.methodIntegration!;
  switch (integration.type) {
    case 'AWS':
      return runLambdaIntegration(app, request);
    case 'AWS_PROXY':
      return runProxyIntegration(app, request);
    case 'MOCK':
      return runMockIntegration(request);
    default:
      // TODO: HTTP and HTTP_PROXY integrations are not served; palisade never reaches another host, so they fail closed.
      return unsupported(`${integration.type} integrations`);
  }
}

/** Load what the stage serves: the snapshot of its deployment, never the API as currently edited. */
function loadStageSnapshot(app: App, apiId: string, stageName: string): { stage: StageRecord; deployment: DeploymentRecord } | undefined {
  const stage = app.store.get<StageRecord>(SERVICE, 'stage', stageKey(apiId, stageName));
  const deployment = stage && app.store.get<DeploymentRecord>(SERVICE, 'deployment', deploymentKey(apiId, stage.deploymentId));
  return stage && deployment ? { stage, deployment } : undefined;
}

async function invokeStage(app: App, req: HttpRequest, apiId: string, stageName: string, resourcePath: string): Promise<HttpResponse> {
  // CloudFront sends its request id as x-amz-cf-id, which ties this hop to the edge's trace.
  const trace: RequestTraceRef = { traceId: req.headers['x-amz-cf-id'] ?? newRequestId(), log: app.traces };
  const requestId = newRequestId();
  // x-amz-apigw-id carries the extended request id, 16 base64 characters on AWS.
  const extendedRequestId = randomBytes(11).toString('base64');
  const headers = { 'x-amzn-requestid': requestId, 'x-amz-apigw-id': extendedRequestId };

  const served = loadStageSnapshot(app, apiId, stageName);
  if (!served) {
    recordHop(trace, 'apigateway', '403', { step: 'stage', apiId, stage: stageName, reason: 'no such API or stage' });
    return gatewayResponse(GatewayErrors.unknownStage, headers);
  }
  const request: MethodRequest = {
    apiId,
    accountId: app.accountId,
    region: app.region,
    stage: stageName,
    deploymentId: served.deployment.id,
    snapshot: served.deployment.snapshot,
    stageVariables: served.stage.variables ?? {},
    httpMethod: req.method,
    resourcePath,
    rawQuery: req.rawQuery,
    query: req.query,
    headers: { ...req.headers },
    body: req.body,
    sourceIp: req.remoteAddress,
    requestId,
    extendedRequestId,
    requestTime: new Date(),
    trace,
  };

  try {
    const blocked = evaluateWaf(app, req, request, headers);
    if (blocked) return blocked;
    const result = await execute(app, request);
    if (isGatewayError(result)) return gatewayResponse(result, headers);
    recordHop(trace, 'apigateway', String(result.status), { step: 'method-response', resourcePath: request.match?.resource.path });
    return { ...result, headers: { ...result.headers, ...headers } };
  } catch (error) {
    log('error', 'apigateway', 'execution failed', { traceId: trace.traceId, apiId, stage: stageName, error: String((error as Error)?.stack ?? error) });
    recordHop(trace, 'apigateway', '500', { step: 'execution', reason: 'internal failure' });
    return gatewayResponse(GatewayErrors.internalServerError, headers);
  }
}

/** Route a client request for a deployed stage into the execution pipeline. */
export function stageRoute(app: App): HttpRoute {
  return {
    name: 'apigateway-stage',
    match: (req) => STAGE_PATH.test(req.rawPath),
    handle: (req) => {
      const [, apiId, stageName, rest] = STAGE_PATH.exec(req.rawPath)!;
      return invokeStage(app, req, apiId, stageName, rest || '/');
    },
  };
}
