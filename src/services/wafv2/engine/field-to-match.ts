import type { InspectedRequest } from './request.ts';
import type { Scope, Statement } from './types.ts';

/**
 * Body bytes AWS WAF inspects by default: 8 KB for regional resources
 * (API Gateway, ALB, AppSync) and 16 KB for CloudFront ("Oversize web
 * request components", AWS WAF Developer Guide).
 */
export const BODY_INSPECTION_LIMIT: Record<Scope, number> = { REGIONAL: 8 * 1024, CLOUDFRONT: 16 * 1024 };
/** Headers and cookies: AWS inspects the first 8 KB and the first 200 of them. */
const HEADERS_INSPECTION_BYTES = 8 * 1024;
const HEADERS_INSPECTION_COUNT = 200;

/** The request component's values to inspect, and whether it was larger than AWS inspects. */
export interface ComponentValues {
  values: string[];
  oversize: boolean;
  /** OversizeHandling of the FieldToMatch; CONTINUE when it has none. */
  oversizeHandling: 'CONTINUE' | 'MATCH' | 'NO_MATCH';
}

/** FieldToMatch types the engine evaluates; the others are refused when a web ACL is written. */
export const SUPPORTED_FIELDS = ['UriPath', 'QueryString', 'SingleQueryArgument', 'AllQueryArguments', 'Method', 'SingleHeader', 'Headers', 'Cookies', 'Body'];

/**
 * Values of one FieldToMatch. A component the request does not have yields
 * no values, which matches no statement ("Unless otherwise noted, if a web
 * request doesn't contain the request component ... the request results as
 * not matching the rule", Request component options).
 */
export function componentValues(fieldToMatch: Statement, request: InspectedRequest, scope: Scope): ComponentValues {
  const [type] = Object.keys(fieldToMatch);
  const spec = fieldToMatch[type] ?? {};
  const plain = (values: string[]): ComponentValues => ({ values, oversize: false, oversizeHandling: 'CONTINUE' });
  switch (type) {
    case 'UriPath':
      return plain([request.uriPath]);
    case 'QueryString':
      return plain([request.queryString]);
    case 'Method':
      return plain([request.method]);
    case 'SingleQueryArgument': {
      // The argument name is not case sensitive (API_SingleQueryArgument).
      const name = String(spec.Name).toLowerCase();
      return plain(request.queryArguments.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value));
    }
    case 'AllQueryArguments':
      return plain(request.queryArguments.map(([, value]) => value));
    case 'SingleHeader': {
      const name = String(spec.Name).toLowerCase();
      return plain(request.headers.filter(([key]) => key === name).map(([, value]) => value));
    }
    case 'Headers':
      return mapValues(request.headers, spec, 'IncludedHeaders', 'ExcludedHeaders');
    case 'Cookies':
      return mapValues(request.cookies, spec, 'IncludedCookies', 'ExcludedCookies');
    case 'Body': {
      const limit = BODY_INSPECTION_LIMIT[scope];
      if (request.bodySize === 0) return plain([]);
      return { values: [request.body.slice(0, limit)], oversize: request.bodySize > limit, oversizeHandling: spec.OversizeHandling ?? 'CONTINUE' };
    }
    default:
      throw new Error(`FieldToMatch ${type} reached the engine without validation`);
  }
}

/** Headers and Cookies: keys, values or both of the pairs the MatchPattern selects. */
function mapValues(pairs: [string, string][], spec: Statement, included: string, excluded: string): ComponentValues {
  const pattern = spec.MatchPattern ?? {};
  const lower = (names: string[] | undefined) => (names ?? []).map((name) => name.toLowerCase());
  const selected = pairs.filter(([name]) => {
    const key = name.toLowerCase();
    if (pattern.All) return true;
    if (pattern[included]) return lower(pattern[included]).includes(key);
    return !lower(pattern[excluded]).includes(key);
  });
  const totalBytes = pairs.reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
  const oversize = totalBytes > HEADERS_INSPECTION_BYTES || pairs.length > HEADERS_INSPECTION_COUNT;
  const values: string[] = [];
  for (const [name, value] of selected.slice(0, HEADERS_INSPECTION_COUNT)) {
    if (spec.MatchScope === 'KEY' || spec.MatchScope === 'ALL') values.push(name);
    if (spec.MatchScope === 'VALUE' || spec.MatchScope === 'ALL') values.push(value);
  }
  return { values, oversize, oversizeHandling: spec.OversizeHandling };
}
