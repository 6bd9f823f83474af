import { invalidParameter, REASON } from './errors.ts';
import { COUNTRY_CODES } from './engine/country-codes.ts';
import { TEXT_TRANSFORMATIONS } from './engine/transformations.ts';
import { checkString, exactlyOne, LABEL_NAME, NON_BLANK, requireEnum, requireMember, requireNonNegativeInteger, type Input } from './validate-members.ts';

/** ForwardedIPHeaderName pattern and FallbackBehavior values from the WAFv2 service model. */
const FORWARDED_HEADER_NAME = /^[a-zA-Z0-9-]+$/;
const EVALUATION_WINDOWS = [60, 120, 300, 600];
const AGGREGATE_KEY_TYPES = ['IP', 'FORWARDED_IP', 'CONSTANT', 'CUSTOM_KEYS'];
/** RateLimit bounds in the WAFv2 service model. */
const MIN_RATE_LIMIT = 10;
const MAX_RATE_LIMIT = 2_000_000_000;
/** AWS allows at most five custom aggregation keys per rate-based statement. */
const MAX_CUSTOM_KEYS = 5;
const SUPPORTED_CUSTOM_KEYS = ['Header', 'Cookie', 'QueryArgument', 'QueryString', 'HTTPMethod', 'ForwardedIP', 'IP', 'LabelNamespace', 'UriPath'];

export function validateForwardedIPConfig(config: Input | undefined): void {
  if (config === undefined) return;
  checkString(requireMember(config, 'HeaderName', 'FORWARDED_IP_CONFIG'), 'HeaderName', 'FORWARDED_IP_CONFIG', FORWARDED_HEADER_NAME, 255);
  requireEnum(config, 'FallbackBehavior', 'FALLBACK_BEHAVIOR', ['MATCH', 'NO_MATCH']);
}

/** GeoMatchStatement: CountryCodes from the API's CountryCode list; WCU 1. */
export function validateGeoMatch(body: Input, field: string): number {
  const codes = requireMember(body, 'CountryCodes', field);
  if (!Array.isArray(codes) || codes.length < 1) throw invalidParameter(field, 'CountryCodes', REASON.missing);
  for (const code of codes) if (!COUNTRY_CODES.has(code)) throw invalidParameter(field, String(code), REASON.invalidOption);
  validateForwardedIPConfig(body.ForwardedIPConfig);
  return 1;
}

/**
 * RateBasedStatement, top level only. Returns its WCU: 2, plus 30 per
 * custom key and 10 per text transformation other than NONE, plus the
 * scope-down statement.
 * NOTE: the per-key figure follows AWS's rate-based WCU description as
 * palisade reads it; check CheckCapacity against AWS when it matters.
 */
export function validateRateBased(body: Input, field: string, topLevel: boolean, validateNested: (statement: Input, topLevel: boolean) => number): number {
  if (!topLevel) throw invalidParameter(field, 'RateBasedStatement', 'You can only use this statement at the top level of a rule.');
  const limit = requireMember(body, 'Limit', field);
  if (!Number.isInteger(limit) || limit < MIN_RATE_LIMIT || limit > MAX_RATE_LIMIT) throw invalidParameter('RATE_BASED_STATEMENT', 'Limit', REASON.invalidFormat);
  const keyType = requireEnum(body, 'AggregateKeyType', 'RATE_BASED_STATEMENT', AGGREGATE_KEY_TYPES);
  if (body.EvaluationWindowSec !== undefined && !EVALUATION_WINDOWS.includes(body.EvaluationWindowSec)) {
    throw invalidParameter('RATE_BASED_STATEMENT', String(body.EvaluationWindowSec), REASON.invalidOption);
  }
  validateForwardedIPConfig(body.ForwardedIPConfig);
  const keys: Input[] | undefined = body.CustomKeys;
  const needsForwarded = keyType === 'FORWARDED_IP' || (keys ?? []).some((key) => key?.ForwardedIP !== undefined);
  if (needsForwarded && body.ForwardedIPConfig === undefined) throw invalidParameter('FORWARDED_IP_CONFIG', 'ForwardedIPConfig', REASON.missing);
  if ((keyType === 'CUSTOM_KEYS') !== (keys !== undefined)) throw invalidParameter('CUSTOM_KEYS', 'CustomKeys', keyType === 'CUSTOM_KEYS' ? REASON.missing : REASON.invalidFormat);
  let capacity = 2;
  if (keys !== undefined) {
    if (!Array.isArray(keys) || keys.length < 1 || keys.length > MAX_CUSTOM_KEYS) throw invalidParameter('CUSTOM_KEYS', 'CustomKeys', REASON.invalidFormat);
    for (const key of keys) capacity += 30 + validateCustomKey(key);
  }
  if (body.ScopeDownStatement !== undefined) capacity += validateNested(body.ScopeDownStatement, false);
  return capacity;
}

function validateCustomKey(key: Input): number {
  const type = exactlyOne(key, 'CUSTOM_KEYS', 'CustomKeys');
  if (type === 'JA3Fingerprint' || type === 'JA4Fingerprint') throw tlsFingerprintUnavailable(type);
  if (!SUPPORTED_CUSTOM_KEYS.includes(type)) throw invalidParameter('CUSTOM_KEYS', type, `palisade does not implement the ${type} aggregation key yet, so it cannot evaluate this rule`);
  const spec = key[type] ?? {};
  if (type === 'Header' || type === 'Cookie' || type === 'QueryArgument') checkString(requireMember(spec, 'Name', 'CUSTOM_KEYS'), 'Name', 'CUSTOM_KEYS', NON_BLANK, 64);
  if (type === 'LabelNamespace') {
    const namespace = requireMember(spec, 'Namespace', 'CUSTOM_KEYS');
    checkString(namespace, 'Namespace', 'CUSTOM_KEYS', LABEL_NAME, 1024);
    // A label namespace ends with a colon (API_RateLimitLabelNamespace).
    if (!namespace.endsWith(':')) throw invalidParameter('CUSTOM_KEYS', 'Namespace', REASON.invalidFormat);
  }
  if (!['Header', 'Cookie', 'QueryArgument', 'QueryString', 'UriPath'].includes(type)) return 0;
  return validateTransformations(requireMember(spec, 'TextTransformations', 'TEXT_TRANSFORMATION'));
}

function validateTransformations(transformations: unknown): number {
  if (!Array.isArray(transformations) || transformations.length < 1) throw invalidParameter('TEXT_TRANSFORMATION', 'TextTransformations', REASON.missing);
  const priorities = new Set<number>();
  for (const transformation of transformations as Input[]) {
    const priority = requireNonNegativeInteger(transformation, 'Priority', 'TEXT_TRANSFORMATION');
    if (priorities.has(priority)) throw invalidParameter('TEXT_TRANSFORMATION', 'Priority', REASON.duplicate);
    priorities.add(priority);
    requireEnum(transformation, 'Type', 'TEXT_TRANSFORMATION', Object.keys(TEXT_TRANSFORMATIONS));
  }
  return (transformations as Input[]).filter((t) => t.Type !== 'NONE').length * 10;
}

/** JA3 and JA4 fingerprints hash a TLS Client Hello, and palisade's endpoint serves plain HTTP on loopback. */
export function tlsFingerprintUnavailable(type: string) {
  return invalidParameter('FIELD_TO_MATCH', type, `palisade serves plain HTTP on loopback and sees no TLS Client Hello, so it cannot evaluate ${type}`);
}

/** JsonBody: MatchPattern All or IncludedPaths (JSON pointers), MatchScope, InvalidFallbackBehavior, OversizeHandling. */
export function validateJsonBody(spec: Input): void {
  const pattern = requireMember(spec, 'MatchPattern', 'JSON_MATCH_PATTERN');
  const member = exactlyOne(pattern, 'JSON_MATCH_PATTERN', 'MatchPattern');
  if (member === 'IncludedPaths') {
    const paths = pattern.IncludedPaths;
    if (!Array.isArray(paths) || paths.length < 1) throw invalidParameter('JSON_POINTER', 'IncludedPaths', REASON.missing);
    for (const path of paths) checkString(path, 'IncludedPaths', 'JSON_POINTER', /^(?:\/|(?:\/(?:[^~]|~[01])+)+)$/, 512);
  } else if (member !== 'All') {
    throw invalidParameter('JSON_MATCH_PATTERN', member, REASON.invalidOption);
  }
  requireEnum(spec, 'MatchScope', 'JSON_MATCH_SCOPE', ['ALL', 'KEY', 'VALUE']);
  if (spec.InvalidFallbackBehavior !== undefined) requireEnum(spec, 'InvalidFallbackBehavior', 'BODY_PARSING_FALLBACK_BEHAVIOR', ['MATCH', 'NO_MATCH', 'EVALUATE_AS_STRING']);
  if (spec.OversizeHandling !== undefined) requireEnum(spec, 'OversizeHandling', 'OVERSIZE_HANDLING', ['CONTINUE', 'MATCH', 'NO_MATCH']);
}
