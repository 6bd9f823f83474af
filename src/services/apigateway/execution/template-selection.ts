import { GatewayErrors, type GatewayError } from './gateway-responses.ts';
import type { Integration, IntegrationResponse } from '../records.ts';

/**
 * Choose how the integration request body is built from the method request
 * ("Method request behavior for payloads without mapping templates"):
 * the template for the request's Content-Type (application/json when absent),
 * else pass the body through as the passthrough behavior allows, else 415.
 */
export function selectRequestTemplate(integration: Integration, contentTypeHeader: string | undefined): { template?: string; passthrough?: true } | { error: GatewayError } {
  const contentType = (contentTypeHeader ?? 'application/json').split(';')[0].trim().toLowerCase() || 'application/json';
  const templates = integration.requestTemplates ?? {};
  const matched = Object.entries(templates).find(([type]) => type.toLowerCase() === contentType);
  if (matched) return { template: matched[1] };
  const behavior = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
  const hasTemplates = Object.keys(templates).length > 0;
  if (behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && !hasTemplates)) return { passthrough: true };
  return { error: GatewayErrors.unsupportedMediaType };
}

/**
 * Choose the integration response: the first whose selection pattern fully
 * matches the selector (a Lambda error's `errorMessage`, or the status code of
 * HTTP and MOCK integrations), else the default one with no pattern.
 */
export function selectIntegrationResponse(integration: Integration, selector: string | undefined): IntegrationResponse | undefined {
  const responses = Object.values(integration.integrationResponses ?? {});
  if (selector !== undefined) {
    for (const response of responses) {
      if (!response.selectionPattern) continue;
      if (new RegExp(`^(?:${response.selectionPattern})$`).test(selector)) return response;
    }
  }
  return responses.find((response) => !response.selectionPattern);
}

/** Select the response template: the `application/json` one when configured, else the first one. */
export function selectResponseTemplate(response: IntegrationResponse): { contentType: string; template: string } | undefined {
  const templates = Object.entries(response.responseTemplates ?? {});
  const chosen = templates.find(([type]) => type.toLowerCase() === 'application/json') ?? templates[0];
  return chosen ? { contentType: chosen[0], template: chosen[1] } : undefined;
}
