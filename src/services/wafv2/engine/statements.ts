import { detectSqlInjection } from '../detectors/sqli.ts';
import { detectXss } from '../detectors/xss.ts';
import { inspectedAddress } from './client-address.ts';
import { compiledStatement } from './compile.ts';
import { decodedSearchString, transformedComponent } from './component-cache.ts';
import { matchesAnyRegex, matchesIpSet } from './reference-statements.ts';
import { configuredGeoSource, geoLabels, type GeoSource } from './geo.ts';
import type { InspectedRequest } from './request.ts';
import type { Scope, Statement } from './types.ts';

export interface EvaluationContext {
  request: InspectedRequest;
  scope: Scope;
  /** Labels added so far by rules evaluated earlier in this web ACL. */
  labels: string[];
  /** Namespace that unqualified label keys belong to: `awswaf:<account>:webacl:<name>:`. */
  labelNamespace: string;
  /** Where GeoMatchStatement looks up countries; PALISADE_WAF_GEO_MAP when unset. */
  geo?: GeoSource;
}

/** Statement types the engine evaluates; the others are refused when a web ACL is written. */
export const NESTABLE_STATEMENTS = ['ByteMatchStatement', 'SqliMatchStatement', 'XssMatchStatement', 'SizeConstraintStatement', 'AndStatement', 'OrStatement', 'NotStatement', 'LabelMatchStatement', 'GeoMatchStatement'];

/** True when the request matches `statement` (any statement except ManagedRuleGroupStatement, which rules evaluate). */
export function matchesStatement(statement: Statement, context: EvaluationContext): boolean {
  return compiledStatement(statement)(context);
}

/** Evaluate `statement` without compiling it; compile.ts falls back to this for the types it does not compile. */
export function interpretStatement(statement: Statement, context: EvaluationContext): boolean {
  const [type] = Object.keys(statement);
  const body = statement[type];
  switch (type) {
    case 'AndStatement':
      return (body.Statements as Statement[]).every((nested) => matchesStatement(nested, context));
    case 'OrStatement':
      return (body.Statements as Statement[]).some((nested) => matchesStatement(nested, context));
    case 'NotStatement':
      return !matchesStatement(body.Statement, context);
    case 'LabelMatchStatement':
      return matchesLabel(body, context);
    case 'GeoMatchStatement':
      return matchesGeo(body, context);
    case 'ByteMatchStatement': {
      const search = decodedSearchString(body);
      return matchesComponent(body, context, (value) => byteMatch(value, search, body.PositionalConstraint));
    }
    case 'SqliMatchStatement':
      return matchesComponent(body, context, (value) => detectSqlInjection(value, body.SensitivityLevel ?? 'LOW').matched);
    case 'XssMatchStatement':
      return matchesComponent(body, context, (value) => detectXss(value).matched);
    case 'SizeConstraintStatement':
      return matchesComponent(body, context, (value) => compareSize(value.length, body.ComparisonOperator, Number(body.Size)));
    case 'IPSetReferenceStatement':
      return matchesIpSet(body, context.request);
    case 'RegexMatchStatement':
      return matchesComponent(body, context, (value) => matchesAnyRegex(value, [body.RegexString]));
    case 'RegexPatternSetReferenceStatement':
      return matchesComponent(body, context, (value) => matchesAnyRegex(value, body.RegularExpressionList.map((entry: { RegexString: string }) => entry.RegexString)));
    default:
      throw new Error(`statement ${type} reached the engine without validation`);
  }
}

/**
 * Transform each value of the statement's FieldToMatch (once per request
 * for each FieldToMatch and TextTransformations pair) and test it. An
 * oversize component is handled as its OversizeHandling sets: MATCH and
 * NO_MATCH decide without inspecting, CONTINUE inspects what is within the limit.
 */
export function matchesComponent(body: Statement, context: EvaluationContext, test: (value: string) => boolean): boolean {
  const component = transformedComponent(body, context.request, context.scope);
  if (component.verdict !== undefined) return component.verdict;
  return component.values.some(test);
}

export function byteMatch(value: string, search: string, constraint: string): boolean {
  switch (constraint) {
    case 'EXACTLY':
      return value === search;
    case 'STARTS_WITH':
      return value.startsWith(search);
    case 'ENDS_WITH':
      return value.endsWith(search);
    case 'CONTAINS':
      return value.includes(search);
    case 'CONTAINS_WORD':
      return containsWord(value, search);
    default:
      throw new Error(`PositionalConstraint ${constraint} reached the engine without validation`);
  }
}

/**
 * CONTAINS_WORD: the search string appears with a character other than a
 * letter, digit or underscore (or the start or end of the value) on each side.
 */
function containsWord(value: string, search: string): boolean {
  const isWordChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_]/.test(ch);
  for (let at = value.indexOf(search); at >= 0; at = value.indexOf(search, at + 1)) {
    if (!isWordChar(value[at - 1]) && !isWordChar(value[at + search.length])) return true;
  }
  return false;
}

export function compareSize(size: number, operator: string, limit: number): boolean {
  switch (operator) {
    case 'EQ':
      return size === limit;
    case 'NE':
      return size !== limit;
    case 'LE':
      return size <= limit;
    case 'LT':
      return size < limit;
    case 'GE':
      return size >= limit;
    case 'GT':
      return size > limit;
    default:
      throw new Error(`ComparisonOperator ${operator} reached the engine without validation`);
  }
}

/**
 * LabelMatchStatement: a key without the `awswaf:` prefix is taken in the
 * web ACL's own namespace, as AWS does for labels that are not fully qualified.
 * NAMESPACE scope matches every label under the key (which ends with `:`).
 */
function matchesLabel(body: Statement, context: EvaluationContext): boolean {
  const key = String(body.Key);
  const qualified = key.startsWith('awswaf:') ? key : context.labelNamespace + key;
  if (body.Scope === 'NAMESPACE') return context.labels.some((label) => label.startsWith(qualified));
  return context.labels.includes(qualified);
}

/**
 * GeoMatchStatement: labels the request with its country and region
 * whether or not it matches, then matches when the country is one of
 * CountryCodes (API_GeoMatchStatement). With ForwardedIPConfig, a missing
 * header leaves the request unlabelled and unmatched, and a header without a
 * valid address takes the FallbackBehavior.
 */
function matchesGeo(body: Statement, context: EvaluationContext): boolean {
  const address = inspectedAddress(context.request, body.ForwardedIPConfig);
  if (address === 'missing') return false;
  if (address === 'invalid') return body.ForwardedIPConfig.FallbackBehavior === 'MATCH';
  const location = (context.geo ?? configuredGeoSource()).locate(address);
  for (const label of geoLabels(location, body.ForwardedIPConfig !== undefined)) {
    if (!context.labels.includes(label)) context.labels.push(label);
  }
  return (body.CountryCodes as string[]).includes(location.country);
}
