import { invalidParameter, notSupported, REASON } from './errors.ts';
import { SUPPORTED_FIELDS } from './engine/field-to-match.ts';
import { TEXT_TRANSFORMATIONS } from './engine/transformations.ts';
import type { Statement } from './engine/types.ts';
import { findManagedRuleGroup } from './managed/index.ts';
import { validateReference } from './validate-references.ts';
import { tlsFingerprintUnavailable, validateGeoMatch, validateJsonBody, validateRateBased } from './validate-geo-rate.ts';
import { exactlyOne, LABEL_NAME, requireEnum, requireMember, requireNonNegativeInteger, checkString, NON_BLANK, type Input } from './validate-members.ts';

/** Statement member → ParameterExceptionField, for errors that name the statement. */
const STATEMENT_FIELDS: Record<string, string> = {
  ByteMatchStatement: 'BYTE_MATCH_STATEMENT',
  SqliMatchStatement: 'SQLI_MATCH_STATEMENT',
  XssMatchStatement: 'XSS_MATCH_STATEMENT',
  SizeConstraintStatement: 'SIZE_CONSTRAINT_STATEMENT',
  GeoMatchStatement: 'GEO_MATCH_STATEMENT',
  RuleGroupReferenceStatement: 'RULE_GROUP_REFERENCE_STATEMENT',
  IPSetReferenceStatement: 'IP_SET_REFERENCE_STATEMENT',
  RegexPatternSetReferenceStatement: 'REGEX_PATTERN_REFERENCE_STATEMENT',
  RateBasedStatement: 'RATE_BASED_STATEMENT',
  AndStatement: 'AND_STATEMENT',
  OrStatement: 'OR_STATEMENT',
  NotStatement: 'NOT_STATEMENT',
  ManagedRuleGroupStatement: 'MANAGED_RULE_SET_STATEMENT',
  LabelMatchStatement: 'LABEL_MATCH_STATEMENT',
  RegexMatchStatement: 'STATEMENT',
  AsnMatchStatement: 'STATEMENT',
};

const POSITIONAL_CONSTRAINTS = ['EXACTLY', 'STARTS_WITH', 'ENDS_WITH', 'CONTAINS', 'CONTAINS_WORD'];
const COMPARISON_OPERATORS = ['EQ', 'NE', 'LE', 'LT', 'GE', 'GT'];
const OVERSIZE_HANDLING = ['CONTINUE', 'MATCH', 'NO_MATCH'];
const MAP_MATCH_SCOPES = ['ALL', 'KEY', 'VALUE'];
/** AWS's limit on a string match statement's search string, in bytes. */
const MAX_SEARCH_STRING_BYTES = 200;

/**
 * Validate one statement, returning its WCU cost. Statement types,
 * FieldToMatch types and options the engine cannot evaluate are refused.
 * `topLevel` allows the statements AWS does not let you nest (managed rule groups).
 */
export function validateStatement(statement: Input | undefined, topLevel: boolean): number {
  const type = exactlyOne(statement, 'STATEMENT', 'Statement');
  const body = statement![type];
  const field = STATEMENT_FIELDS[type] ?? 'STATEMENT';
  switch (type) {
    case 'AndStatement':
    case 'OrStatement': {
      const nested = requireMember(body, 'Statements', field);
      // AND and OR need at least two nested statements (AWS's minimum-requirement error).
      if (!Array.isArray(nested) || nested.length < 2) throw invalidParameter(field, 'Statements', 'You haven\'t met a minimum requirement for a threshold setting.');
      // NOTE: logical statements cost the sum of their nested statements; AWS documents no extra cost for them.
      return nested.reduce((sum: number, inner: Input) => sum + validateStatement(inner, false), 0);
    }
    case 'NotStatement':
      return validateStatement(requireMember(body, 'Statement', field), false);
    case 'LabelMatchStatement':
      requireEnum(body, 'Scope', field, ['LABEL', 'NAMESPACE']);
      checkString(requireMember(body, 'Key', field), 'Key', field, LABEL_NAME, 1024);
      return 1;
    case 'ByteMatchStatement':
      return validateByteMatch(body, field);
    case 'SqliMatchStatement': {
      const level = body?.SensitivityLevel ?? 'LOW';
      if (!['LOW', 'HIGH'].includes(level)) throw invalidParameter(field, String(level), REASON.invalidOption);
      return (level === 'HIGH' ? 30 : 20) + validateComponent(body, field);
    }
    case 'XssMatchStatement':
      return 40 + validateComponent(body, field);
    case 'SizeConstraintStatement': {
      requireEnum(body, 'ComparisonOperator', field, COMPARISON_OPERATORS);
      const size = requireMember(body, 'Size', field);
      if (!Number.isInteger(size) || size < 0 || size > 21474836480) throw invalidParameter(field, 'Size', REASON.invalidFormat);
      return 1 + validateComponent(body, field);
    }
    case 'ManagedRuleGroupStatement':
      if (!topLevel) throw invalidParameter(field, type, 'You can only use this statement at the top level of a rule.');
      return validateManagedRuleGroup(body, field);
    case 'GeoMatchStatement':
      return validateGeoMatch(body, field);
    case 'RateBasedStatement':
      return validateRateBased(body, field, topLevel, validateStatement);
    case 'IPSetReferenceStatement':
    case 'RegexPatternSetReferenceStatement':
    case 'RegexMatchStatement':
    case 'RuleGroupReferenceStatement':
      return validateReference(type, body, field, topLevel, validateComponent);
    default:
      // A member the Statement shape does not have is a mistake in the request, not a statement palisade lacks.
      if (!(type in STATEMENT_FIELDS)) throw invalidParameter('STATEMENT', type, REASON.invalidOption);
      throw notSupported(field, type);
  }
}

function validateByteMatch(body: Input, field: string): number {
  const constraint = requireEnum(body, 'PositionalConstraint', field, POSITIONAL_CONSTRAINTS);
  const search = requireMember(body, 'SearchString', field);
  // SearchString is a blob: base64 on the wire, raw bytes from an in-process caller.
  const bytes = typeof search === 'string' ? Buffer.from(search, 'base64') : Buffer.from(search as Uint8Array);
  if (typeof search === 'string' && bytes.toString('base64').replace(/=+$/, '') !== search.replace(/=+$/, '')) {
    throw invalidParameter(field, 'SearchString', REASON.invalidFormat);
  }
  if (bytes.length < 1 || bytes.length > MAX_SEARCH_STRING_BYTES) throw invalidParameter(field, 'SearchString', REASON.invalidFormat);
  body.SearchString = bytes.toString('base64');
  // String match base cost per AWS: EXACTLY, STARTS_WITH and ENDS_WITH 2, CONTAINS and CONTAINS_WORD 10.
  const base = constraint === 'CONTAINS' || constraint === 'CONTAINS_WORD' ? 10 : 2;
  return base + validateComponent(body, field);
}

/**
 * FieldToMatch and TextTransformations of a statement that inspects a
 * request component; returns their WCU surcharge (10 for all query
 * arguments, 10 per transformation other than NONE).
 */
function validateComponent(body: Input, field: string): number {
  const fieldToMatch = requireMember(body, 'FieldToMatch', field);
  const type = exactlyOne(fieldToMatch, 'FIELD_TO_MATCH', 'FieldToMatch');
  if (type === 'JA3Fingerprint' || type === 'JA4Fingerprint') throw tlsFingerprintUnavailable(type);
  if (!SUPPORTED_FIELDS.includes(type)) throw notSupported('FIELD_TO_MATCH', type);
  validateFieldToMatch(type, fieldToMatch[type]);
  const transformations = requireMember(body, 'TextTransformations', 'TEXT_TRANSFORMATION');
  if (!Array.isArray(transformations) || transformations.length < 1) throw invalidParameter('TEXT_TRANSFORMATION', 'TextTransformations', REASON.missing);
  const priorities = new Set<number>();
  for (const transformation of transformations) {
    const priority = requireNonNegativeInteger(transformation, 'Priority', 'TEXT_TRANSFORMATION');
    if (priorities.has(priority)) throw invalidParameter('TEXT_TRANSFORMATION', 'Priority', REASON.duplicate);
    priorities.add(priority);
    requireEnum(transformation, 'Type', 'TEXT_TRANSFORMATION', Object.keys(TEXT_TRANSFORMATIONS));
  }
  const transformationCost = transformations.filter((t: Input) => t.Type !== 'NONE').length * 10;
  return transformationCost + (type === 'AllQueryArguments' ? 10 : 0);
}

function validateFieldToMatch(type: string, spec: Input): void {
  switch (type) {
    case 'SingleHeader':
      checkString(requireMember(spec, 'Name', 'SINGLE_HEADER'), 'Name', 'SINGLE_HEADER', NON_BLANK, 64);
      return;
    case 'SingleQueryArgument':
      checkString(requireMember(spec, 'Name', 'SINGLE_QUERY_ARGUMENT'), 'Name', 'SINGLE_QUERY_ARGUMENT', NON_BLANK, 64);
      return;
    case 'Body':
      if (spec?.OversizeHandling !== undefined && !OVERSIZE_HANDLING.includes(spec.OversizeHandling)) {
        throw invalidParameter('OVERSIZE_HANDLING', String(spec.OversizeHandling), REASON.invalidOption);
      }
      return;
    case 'JsonBody':
      validateJsonBody(spec);
      return;
    case 'HeaderOrder':
      requireEnum(spec, 'OversizeHandling', 'OVERSIZE_HANDLING', OVERSIZE_HANDLING);
      return;
    case 'Headers':
    case 'Cookies': {
      const patternField = type === 'Headers' ? 'HEADER_MATCH_PATTERN' : 'COOKIE_MATCH_PATTERN';
      exactlyOne(requireMember(spec, 'MatchPattern', patternField), patternField, 'MatchPattern');
      requireEnum(spec, 'MatchScope', 'MAP_MATCH_SCOPE', MAP_MATCH_SCOPES);
      requireEnum(spec, 'OversizeHandling', 'OVERSIZE_HANDLING', OVERSIZE_HANDLING);
      return;
    }
    default:
      return;
  }
}

function validateManagedRuleGroup(body: Input, field: string): number {
  const vendor = requireMember(body, 'VendorName', field);
  const name = requireMember(body, 'Name', field);
  const group = findManagedRuleGroup(vendor, name);
  if (!group) throw invalidParameter(field, `${vendor}/${name}`, 'palisade does not provide this managed rule group');
  if (body.Version !== undefined && !group.Versions.includes(body.Version)) throw invalidParameter(field, String(body.Version), REASON.invalidOption);
  if (body.ManagedRuleGroupConfigs !== undefined) throw notSupported('MANAGED_RULE_GROUP_CONFIG', 'ManagedRuleGroupConfigs');
  const ruleNames = new Set(group.Rules.map((rule) => rule.Name));
  for (const excluded of body.ExcludedRules ?? []) {
    if (!ruleNames.has(excluded?.Name)) throw invalidParameter('EXCLUDED_RULE', String(excluded?.Name), REASON.invalidOption);
  }
  for (const override of body.RuleActionOverrides ?? []) {
    if (!ruleNames.has(override?.Name)) throw invalidParameter('RULE', String(override?.Name), REASON.invalidOption);
    validateRuleAction(requireMember(override, 'ActionToUse', 'RULE_ACTION'));
  }
  const scopeDown = body.ScopeDownStatement ? validateStatement(body.ScopeDownStatement, false) : 0;
  return group.Capacity + scopeDown;
}

export function validateRuleAction(action: Input): void {
  const type = exactlyOne(action, 'RULE_ACTION', 'RuleAction');
  if (!['Allow', 'Block', 'Count', 'Captcha', 'Challenge'].includes(type)) throw invalidParameter('RULE_ACTION', type, REASON.invalidOption);
  const custom = action[type]?.CustomResponse;
  if (custom !== undefined) {
    const code = requireMember(custom, 'ResponseCode', 'CUSTOM_RESPONSE');
    if (!Number.isInteger(code) || code < 200 || code > 599) throw invalidParameter('CUSTOM_RESPONSE', 'ResponseCode', REASON.invalidFormat);
  }
}

export type { Statement };
