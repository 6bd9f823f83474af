import { detectSqlInjection } from '../detectors/sqli.ts';
import { detectXss } from '../detectors/xss.ts';
import { componentValues } from './field-to-match.ts';
import type { InspectedRequest } from './request.ts';
import { applyTransformations } from './transformations.ts';
import type { Scope, Statement } from './types.ts';

export interface EvaluationContext {
  request: InspectedRequest;
  scope: Scope;
  /** Labels added so far by rules evaluated earlier in this web ACL. */
  labels: string[];
  /** Namespace that unqualified label keys belong to: `awswaf:<account>:webacl:<name>:`. */
  labelNamespace: string;
}

/** Statement types the engine evaluates; the others are refused when a web ACL is written. */
export const NESTABLE_STATEMENTS = ['ByteMatchStatement', 'SqliMatchStatement', 'XssMatchStatement', 'SizeConstraintStatement', 'AndStatement', 'OrStatement', 'NotStatement', 'LabelMatchStatement'];

/** True when the request matches `statement` (any statement except ManagedRuleGroupStatement, which rules evaluate). */
export function matchesStatement(statement: Statement, context: EvaluationContext): boolean {
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
    case 'ByteMatchStatement': {
      const search = Buffer.from(body.SearchString, 'base64').toString('latin1');
      return matchesComponent(body, context, (value) => byteMatch(value, search, body.PositionalConstraint));
    }
    case 'SqliMatchStatement':
      return matchesComponent(body, context, (value) => detectSqlInjection(value, body.SensitivityLevel ?? 'LOW').matched);
    case 'XssMatchStatement':
      return matchesComponent(body, context, (value) => detectXss(value).matched);
    case 'SizeConstraintStatement':
      return matchesComponent(body, context, (value) => compareSize(value.length, body.ComparisonOperator, Number(body.Size)));
    default:
      throw new Error(`statement ${type} reached the engine without validation`);
  }
}

/**
 * Transform each value of the statement's FieldToMatch and test it. An
 * oversize component is handled as its OversizeHandling sets: MATCH and
 * NO_MATCH decide without inspecting, CONTINUE inspects what is within the limit.
 */
function matchesComponent(body: Statement, context: EvaluationContext, test: (value: string) => boolean): boolean {
  const component = componentValues(body.FieldToMatch, context.request, context.scope);
  if (component.oversize && component.oversizeHandling === 'MATCH') return true;
  if (component.oversize && component.oversizeHandling === 'NO_MATCH') return false;
  return component.values.some((value) => test(applyTransformations(value, body.TextTransformations)));
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

function compareSize(size: number, operator: string, limit: number): boolean {
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
