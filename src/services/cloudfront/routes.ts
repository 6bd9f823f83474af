import type { HttpResponse } from '../../core/http.ts';
import type { RestRoute } from '../../core/service.ts';
import { AwsError } from '../../core/errors.ts';
import { parseXmlPayload, buildXmlPayload } from './xml-shapes.ts';

/**
 * CloudFront's REST routes (botocore cloudfront 2020-05-31 `http` traits).
 * Request payloads are XML documents bound to one input member; responses
 * are XML payloads with ETag / Location bound to headers.
 */
const V = '/2020-05-31';

/** Parse a body whose root element may be any of `roots` (root element name → input member and shape). */
function xmlBody(roots: Record<string, string>): (body: Buffer) => Record<string, unknown> {
  return (body) => {
    const text = body.toString('utf8');
    for (const [root, shape] of Object.entries(roots)) {
      if (new RegExp(`<${root}[\\s>/]`).test(text)) return { [root]: parseXmlPayload(body, root, shape) };
    }
    throw new AwsError('MalformedXML', `The XML you provided was not well-formed or did not validate against our published schema: expected ${Object.keys(roots).join(' or ')}.`, 400);
  };
}

function xmlResponse(status: number, root: string, shape: string, headers: Record<string, string> = {}) {
  return (output: any): HttpResponse => ({
    status,
    headers: { 'content-type': 'text/xml', ...headers, ...(output.ETag ? { etag: output.ETag } : {}), ...(output.Location ? { location: output.Location } : {}) },
    body: buildXmlPayload(root, shape, output[root]),
  });
}

const noContent = (): HttpResponse => ({ status: 204 });

export const ROUTES: RestRoute[] = [
  {
    method: 'POST', path: `${V}/distribution`, operation: 'CreateDistribution', successStatus: 201,
    // `?WithTags` selects CreateDistributionWithTags; the root element tells the two apart.
    parseBody: xmlBody({ DistributionConfigWithTags: 'DistributionConfigWithTags', DistributionConfig: 'DistributionConfig' }),
    respond: xmlResponse(201, 'Distribution', 'Distribution'),
  },
  { method: 'GET', path: `${V}/distribution`, operation: 'ListDistributions', query: { Marker: 'Marker', MaxItems: 'MaxItems' }, respond: xmlResponse(200, 'DistributionList', 'DistributionList') },
  { method: 'GET', path: `${V}/distribution/{Id}`, operation: 'GetDistribution', respond: xmlResponse(200, 'Distribution', 'Distribution') },
  { method: 'GET', path: `${V}/distribution/{Id}/config`, operation: 'GetDistributionConfig', respond: xmlResponse(200, 'DistributionConfig', 'DistributionConfig') },
  {
    method: 'PUT', path: `${V}/distribution/{Id}/config`, operation: 'UpdateDistribution', headers: { 'If-Match': 'IfMatch' },
    parseBody: xmlBody({ DistributionConfig: 'DistributionConfig' }),
    respond: xmlResponse(200, 'Distribution', 'Distribution'),
  },
  { method: 'DELETE', path: `${V}/distribution/{Id}`, operation: 'DeleteDistribution', successStatus: 204, headers: { 'If-Match': 'IfMatch' }, respond: noContent },
  {
    method: 'POST', path: `${V}/distribution/{DistributionId}/invalidation`, operation: 'CreateInvalidation', successStatus: 201,
    parseBody: xmlBody({ InvalidationBatch: 'InvalidationBatch' }),
    respond: xmlResponse(201, 'Invalidation', 'Invalidation'),
  },
  { method: 'GET', path: `${V}/distribution/{DistributionId}/invalidation`, operation: 'ListInvalidations', query: { Marker: 'Marker', MaxItems: 'MaxItems' }, respond: xmlResponse(200, 'InvalidationList', 'InvalidationList') },
  { method: 'GET', path: `${V}/distribution/{DistributionId}/invalidation/{Id}`, operation: 'GetInvalidation', respond: xmlResponse(200, 'Invalidation', 'Invalidation') },
  {
    method: 'POST', path: `${V}/tagging`, operation: 'TagResource', successStatus: 204, query: { Resource: 'Resource', Operation: 'Operation' },
    parseBody: xmlBody({ Tags: 'Tags', TagKeys: 'TagKeys' }),
    respond: noContent,
  },
  { method: 'GET', path: `${V}/tagging`, operation: 'ListTagsForResource', query: { Resource: 'Resource' }, respond: xmlResponse(200, 'Tags', 'Tags') },
];
