import type { App } from '../../../core/app.ts';
import type { HttpResponse } from '../../../core/http.ts';
import type { InvokeResult } from '../../../core/seams.ts';
import { log } from '../../../core/log.ts';
import { recordHop } from '../../../core/trace-ref.ts';
import { GatewayErrors, badRequestBody, unsupported, type GatewayError } from './gateway-responses.ts';
import { mapIntegrationResponse, templateInput } from './integration-response.ts';
import type { MethodRequest } from './method-request.ts';
import { selectIntegrationResponse, selectRequestTemplate } from './template-selection.ts';
import { TemplateBodyError, renderTemplate } from './vtl.ts';

/** The function of a Lambda integration URI `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<functionArn>/invocations`. */
export function lambdaFunctionOf(uri: string | undefined): string | undefined {
  return /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri ?? '')?.[1];
}

/** Invoke through the Lambda seam; undefined when the invocation itself failed (no such function, throttled). */
export async function invokeFunction(app: App, request: MethodRequest, functionArn: string, payload: Buffer): Promise<InvokeResult | undefined> {
  // TODO: AWS also checks that the function's resource policy lets apigateway.amazonaws.com invoke it from this API (SourceArn); palisade does not.
  try {
    const result = await app.seam('lambda').invoke(functionArn, payload, { traceId: request.trace.traceId });
    recordHop(request.trace, 'apigateway', String(result.statusCode), { step: 'integration', functionArn, functionError: result.functionError });
    return result;
  } catch (error) {
    log('error', 'apigateway', 'Lambda invocation failed', { traceId: request.trace.traceId, functionArn, error: String(error) });
    recordHop(request.trace, 'apigateway', '500', { step: 'integration', functionArn, reason: 'invocation failed' });
    return undefined;
  }
}

/** The integration request body: the rendered template, or the method request body passed through. */
export function integrationRequestBody(request: MethodRequest): Buffer | GatewayError {
  const integration = request.match!.method.methodIntegration!;
  const selected = selectRequestTemplate(integration, request.headers['content-type']);
  if ('error' in selected) return selected.error;
  if (selected.passthrough) return request.body;
  try {
    return Buffer.from(renderTemplate(selected.template!, templateInput(request, request.body.toString('utf8'))).text);
  } catch (error) {
    if (error instanceof TemplateBodyError) return badRequestBody(error.message);
    throw error;
  }
}

function errorMessageOf(payload: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown };
    return typeof parsed?.errorMessage === 'string' ? parsed.errorMessage : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A non-proxy Lambda integration (type AWS): build the event from the
 * request template, invoke the function, then map its result through the
 * integration response whose selection pattern matches the function error's
 * `errorMessage`, or the default integration response ("Handle Lambda errors
 * in API Gateway").
 */
export async function runLambdaIntegration(app: App, request: MethodRequest): Promise<HttpResponse | GatewayError> {
  const integration = request.match!.method.methodIntegration!;
  const functionArn = lambdaFunctionOf(integration.uri);
  if (!functionArn) return unsupported(`AWS integrations other than Lambda (${integration.uri ?? 'no uri'})`);

  const payload = integrationRequestBody(request);
  if (!Buffer.isBuffer(payload)) return payload;
  const result = await invokeFunction(app, request, functionArn, payload);
  if (!result) return GatewayErrors.internalServerError;

  const selector = result.functionError ? errorMessageOf(result.payload) ?? '' : undefined;
  const response = selectIntegrationResponse(integration, selector);
  if (!response) {
    // AWS logs "Execution failed due to configuration error: No match for output mapping and no default output mapping configured".
    recordHop(request.trace, 'apigateway', '500', { step: 'integration-response', reason: 'no integration response matches and none is the default' });
    return GatewayErrors.internalServerError;
  }
  return mapIntegrationResponse(request, response, result.payload.toString('utf8'));
}

/** Run a MOCK integration, whose request template's `statusCode` selects the integration response. */
export function runMockIntegration(request: MethodRequest): HttpResponse | GatewayError {
  const integration = request.match!.method.methodIntegration!;
  const payload = integrationRequestBody(request);
  if (!Buffer.isBuffer(payload)) return payload;
  let statusCode = 200;
  try {
    const parsed = JSON.parse(payload.toString('utf8') || '{}') as { statusCode?: unknown };
    if (parsed?.statusCode !== undefined) statusCode = Number(parsed.statusCode);
  } catch {
    return GatewayErrors.internalServerError;
  }
  const response = selectIntegrationResponse(integration, String(statusCode));
  if (!response) return GatewayErrors.internalServerError;
  return mapIntegrationResponse(request, response, '');
}
