import { XMLBuilder } from 'fast-xml-parser';
import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import type { HttpRequest, HttpResponse } from '../../core/http.ts';
import { requestId as newRequestId } from '../../core/ids.ts';
import { log } from '../../core/log.ts';
import type { HttpRoute, Operation } from '../../core/service.ts';
import { internalError, serializeError, signatureError } from '../../protocol/errors.ts';
import { parseQueryForm } from '../../protocol/query.ts';
import { credentialScope, verifySigV4 } from '../../protocol/sigv4.ts';
import { LIST_ITEM_NAMES } from './query-lists.ts';

export const RDS_NAMESPACE = 'http://rds.amazonaws.com/doc/2014-10-31/';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, processEntities: true });

/**
 * RDS's API on the AWS endpoint. palisade's shared awsQuery serializer
 * writes every list item as `<member>`, but RDS names them after the shape
 * (`<DBInstances><DBInstance>`), and the SDKs and the CLI read only those
 * names. So this route serves RDS requests itself, verifying and parsing
 * them with the shared SigV4 and query-form code.
 * TODO: move list item names into the shared awsQuery serializer and drop this route.
 */
export function rdsQueryRoute(app: App, operations: Record<string, Operation>): HttpRoute {
  return {
    name: 'rds-query',
    match: (req) => credentialScope(req)?.service === 'rds',
    handle: (req) => handleQuery(app, operations, req),
  };
}

async function handleQuery(app: App, operations: Record<string, Operation>, req: HttpRequest): Promise<HttpResponse> {
  const requestId = newRequestId();
  try {
    const verified = await verifySigV4(req, [app.credentials]);
    if ('kind' in verified) throw signatureError('query', verified);
    const form = parseQueryForm(req.method === 'GET' ? req.rawQuery : req.body.toString('utf8'));
    if (!form.action) throw new AwsError('MissingAction', 'The request is missing the Action parameter.', 400);
    const handler = operations[form.action];
    if (!handler) throw new AwsError('InvalidAction', `palisade does not implement rds:${form.action} yet; the request was not carried out`, 400);
    const ctx = { accountId: app.accountId, region: verified.region, requestId, accessKeyId: verified.accessKeyId, internal: false };
    const output = (await handler(form.input, ctx)) ?? {};
    const body = buildQueryResponse(form.action, output, requestId);
    return { status: 200, headers: { 'x-amzn-requestid': requestId, 'content-type': 'text/xml' }, body };
  } catch (error) {
    if (error instanceof AwsError) return serializeError('query', error, requestId, RDS_NAMESPACE);
    log('error', 'rds', 'internal failure', { requestId, error: String((error as Error)?.stack ?? error) });
    return serializeError('query', internalError(), requestId, RDS_NAMESPACE);
  }
}

export function buildQueryResponse(action: string, output: unknown, requestId: string): string {
  const root = {
    '@_xmlns': RDS_NAMESPACE,
    [`${action}Result`]: toXml(output),
    ResponseMetadata: { RequestId: requestId },
  };
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ [`${action}Response`]: root });
}

/** Convert a value into the fast-xml-parser tree, writing each list as repeated items named per LIST_ITEM_NAMES. */
function toXml(value: unknown, listName?: string): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return { [LIST_ITEM_NAMES[listName ?? ''] ?? 'member']: value.map((item) => toXml(item)) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      out[key] = Array.isArray(child) && child.length === 0 ? '' : toXml(child, key);
    }
    return out;
  }
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return value;
}
