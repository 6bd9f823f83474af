import type { HttpResponse } from '../../../core/http.ts';
import type { IntegrationResponse } from '../records.ts';
import { evaluateJsonPath } from './jsonpath.ts';
import { requestContext, requestParams, type MethodRequest } from './method-request.ts';
import { selectResponseTemplate } from './template-selection.ts';
import { renderTemplate, type TemplateInput } from './vtl.ts';

/** Build the variables of a mapping template for this request, with `body` as the `$input` payload. */
export function templateInput(request: MethodRequest, body: string): TemplateInput {
  return {
    body,
    params: requestParams(request),
    context: { ...requestContext(request), deploymentId: request.deploymentId },
    stageVariables: request.stageVariables,
  };
}

/**
 * Resolve one integration response parameter mapping expression: a quoted
 * static value, `integration.response.header.<name>`, or
 * `integration.response.body[.<JSONPath>]`. Undefined leaves the header out.
 */
function mappingValue(expression: string, body: string, headers: Record<string, string>): string | undefined {
  if (/^'.*'$/s.test(expression)) return expression.slice(1, -1);
  const header = /^integration\.response\.header\.(.+)$/.exec(expression);
  if (header) return headers[header[1].toLowerCase()];
  const bodyPath = /^integration\.response\.body(\..+)?$/.exec(expression);
  if (!bodyPath) return undefined;
  if (!bodyPath[1]) return body;
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return undefined;
  }
  const value = evaluateJsonPath(document, `$${bodyPath[1]}`);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Build the method response from the selected integration response: its
 * status, its response template (or the integration body passed through)
 * and its header mappings, then any `$context.responseOverride`.
 */
export function mapIntegrationResponse(request: MethodRequest, response: IntegrationResponse, body: string, integrationHeaders: Record<string, string> = {}): HttpResponse {
  const chosen = selectResponseTemplate(response);
  let status = Number(response.statusCode);
  let text = body;
  const headers: Record<string, string> = { 'content-type': chosen?.contentType ?? 'application/json' };

  for (const [target, expression] of Object.entries(response.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    const value = name ? mappingValue(expression, body, integrationHeaders) : undefined;
    // Content-Length is the endpoint's to write from the body it sends.
    if (name && value !== undefined && name.toLowerCase() !== 'content-length') headers[name.toLowerCase()] = value;
  }

  if (chosen) {
    const rendered = renderTemplate(chosen.template, templateInput(request, body));
    text = rendered.text;
    const override = Number(rendered.responseOverride.status);
    if (Number.isInteger(override) && override >= 100 && override <= 599) status = override;
    for (const [name, value] of Object.entries(rendered.responseOverride.header)) headers[name.toLowerCase()] = String(value);
  }
  return { status, headers, body: text };
}
