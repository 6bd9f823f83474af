import { parseJsonBody, pointerWithin, type ParsedJson } from './json-body.ts';
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
  /** Set when the component decides the statement without inspection (JsonBody's InvalidFallbackBehavior MATCH or NO_MATCH). */
  verdict?: boolean;
}

/** FieldToMatch types the engine evaluates; the others are refused when a web ACL is written. */
export const SUPPORTED_FIELDS = ['UriPath', 'QueryString', 'SingleQueryArgument', 'AllQueryArguments', 'Method', 'SingleHeader', 'Headers', 'Cookies', 'Body', 'JsonBody', 'HeaderOrder'];

/**
 * Values of one FieldToMatch. A component the request does not have yields
 * no values, which matches no statement ("Unless otherwise noted, if a web
 * request doesn't contain the request component ... the request results as
 * not matching the rule", Request component options).
 */
export function componentValues(fieldToMatch: Statement, request: InspectedRequest, scope: Scope): ComponentValues {
  const [type] = Object.keys(fieldToMatch);
  const spec = fieldToMatch[type] ?? {};
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
    case 'JsonBody':
      return jsonBodyValues(request, spec, scope);
    case 'HeaderOrder':
      return headerOrderValues(request, spec);
    default:
      throw new Error(`FieldToMatch ${type} reached the engine without validation`);
  }
}

function plain(values: string[]): ComponentValues {
  return { values, oversize: false, oversizeHandling: 'CONTINUE' };
}

/** Headers and Cookies: keys, values or both of the pairs the MatchPattern selects. */
function mapValues(pairs: [string, string][], spec: Statement, included: string, excluded: string): ComponentValues {
  const pattern = spec.MatchPattern ?? {};
  const names: string[] | undefined = pattern.All ? undefined : lowerNames(pattern[included] ?? pattern[excluded]);
  const keepListed = pattern[included] !== undefined;
  const withKeys = spec.MatchScope === 'KEY' || spec.MatchScope === 'ALL';
  const withValues = spec.MatchScope === 'VALUE' || spec.MatchScope === 'ALL';
  const values: string[] = [];
  let selected = 0;
  for (const [name, value] of pairs) {
    if (names && names.includes(name.toLowerCase()) !== keepListed) continue;
    if (++selected > HEADERS_INSPECTION_COUNT) break;
    if (withKeys) values.push(name);
    if (withValues) values.push(value);
  }
  return { values, oversize: pairsOversize(pairs), oversizeHandling: spec.OversizeHandling };
}

const loweredNames = new WeakMap<string[], string[]>();

/** Included or excluded names lower-cased once per match pattern. */
function lowerNames(names: string[]): string[] {
  let lowered = loweredNames.get(names);
  if (!lowered) {
    lowered = names.map((name) => name.toLowerCase());
    loweredNames.set(names, lowered);
  }
  return lowered;
}

/** Headers or cookies past the 8 KB or 200-entry inspection limit. */
function pairsOversize(pairs: [string, string][]): boolean {
  if (pairs.length > HEADERS_INSPECTION_COUNT) return true;
  let totalBytes = 0;
  for (const [name, value] of pairs) totalBytes += name.length + value.length + 4;
  return totalBytes > HEADERS_INSPECTION_BYTES;
}

/**
 * HeaderOrder: the request's header names in the order received, lower
 * case, joined by colons with no spaces (API_HeaderOrder), for example
 * `host:user-agent:accept`.
 */
function headerOrderValues(request: InspectedRequest, spec: Statement): ComponentValues {
  let order = '';
  const count = Math.min(request.headers.length, HEADERS_INSPECTION_COUNT);
  for (let i = 0; i < count; i++) order += (i === 0 ? '' : ':') + request.headers[i][0];
  return { values: [order], oversize: pairsOversize(request.headers), oversizeHandling: spec.OversizeHandling };
}

const parsedBodies = new WeakMap<InspectedRequest, { limit: number; parsed: ParsedJson }>();

/** Parse the inspected part of the body once per request, whatever number of JsonBody statements read it. */
function parsedJson(request: InspectedRequest, limit: number): ParsedJson {
  const cached = parsedBodies.get(request);
  if (cached && cached.limit === limit) return cached.parsed;
  const parsed = parseJsonBody(request.body.slice(0, limit));
  parsedBodies.set(request, { limit, parsed });
  return parsed;
}

/**
 * JsonBody: keys, values or both of the members the MatchPattern selects
 * (All, or IncludedPaths as JSON pointers that select the node and all
 * below it). A body that is not valid JSON follows InvalidFallbackBehavior:
 * MATCH and NO_MATCH decide the statement, EVALUATE_AS_STRING inspects the
 * whole body as text, and without it AWS evaluates what it parsed before
 * the first error (API_JsonBody).
 */
function jsonBodyValues(request: InspectedRequest, spec: Statement, scope: Scope): ComponentValues {
  const limit = BODY_INSPECTION_LIMIT[scope];
  const oversizeHandling = spec.OversizeHandling ?? 'CONTINUE';
  const oversize = request.bodySize > limit;
  if (request.bodySize === 0) return { values: [], oversize: false, oversizeHandling };
  const parsed = parsedJson(request, limit);
  if (!parsed.valid) {
    if (spec.InvalidFallbackBehavior === 'MATCH') return { values: [], oversize, oversizeHandling, verdict: true };
    if (spec.InvalidFallbackBehavior === 'NO_MATCH') return { values: [], oversize, oversizeHandling, verdict: false };
    if (spec.InvalidFallbackBehavior === 'EVALUATE_AS_STRING') return { values: [request.body.slice(0, limit)], oversize, oversizeHandling };
  }
  const paths: string[] | undefined = spec.MatchPattern.IncludedPaths;
  const values: string[] = [];
  for (const item of parsed.items) {
    if (spec.MatchScope !== 'ALL' && item.kind !== spec.MatchScope) continue;
    if (paths && !paths.some((path) => pointerWithin(item.pointer, path))) continue;
    values.push(item.text);
  }
  return { values, oversize, oversizeHandling };
}
