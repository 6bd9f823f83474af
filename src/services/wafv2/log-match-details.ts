import type { WebRequest } from '../../core/seams.ts';
import { foldTokens, tokenizeSql, type QuoteContext, type SqlToken } from './detectors/sql-tokens.ts';
import { detectSqlInjection, type SensitivityLevel } from './detectors/sqli.ts';
import { detectXss } from './detectors/xss.ts';
import { transformedComponent } from './engine/component-cache.ts';
import { aggregationKey, DEFAULT_EVALUATION_WINDOW_SEC } from './engine/rate-based.ts';
import { inspectRequest } from './engine/request.ts';
import { matchesStatement, type EvaluationContext } from './engine/statements.ts';
import type { Rule, Statement, WebAclDefinition } from './engine/types.ts';

/**
 * Match details of WAF log records ("Log fields for web ACL traffic"):
 * `ruleMatchDetails` for SQL injection and XSS match statements, and the
 * `rateBasedRuleList` entries of rate-based rules. The engine keeps no
 * trace of why a rule matched, so evaluation costs the same with or without
 * logging. When a record is written, the details of the rules that matched
 * are worked out again here.
 */

/** One entry of `terminatingRuleMatchDetails` or `ruleMatchDetails`. */
export interface RuleMatchDetail {
  conditionType: 'SQL_INJECTION' | 'XSS';
  sensitivityLevel?: SensitivityLevel;
  location: string;
  matchedData: string[];
}

/** One entry of `rateBasedRuleList`. */
export interface RateBasedRuleEntry {
  rateBasedRuleId: string;
  rateBasedRuleName: string;
  limitKey: string;
  maxRateAllowed: number;
  evaluationWindowSec: string;
  customValues?: { key: string; name?: string; value: string }[];
  limitValue?: string;
}

/** Build the inspection context of a logged request: its components again, and the labels the evaluation ended with. */
export function logInspectionContext(acl: WebAclDefinition, request: WebRequest, labels: string[]): EvaluationContext {
  // A copy, because statements evaluated again here (GeoMatchStatement) may add labels.
  return { request: inspectRequest(request), scope: acl.Scope, labels: [...labels], labelNamespace: acl.LabelNamespace };
}

/**
 * List the SQL injection and XSS statements of a matched rule's statement
 * that matched, with where and what. Every statement of an AND matched, and
 * an OR stops at its first matching statement, as evaluation does. A NOT
 * matched because its statement did not, so it has nothing to report.
 */
export function ruleMatchDetails(statement: Statement | undefined, context: EvaluationContext): RuleMatchDetail[] {
  const details: RuleMatchDetail[] = [];
  if (statement) collectDetails(statement, context, details);
  return details;
}

function collectDetails(statement: Statement, context: EvaluationContext, details: RuleMatchDetail[]): void {
  const [type] = Object.keys(statement);
  const body = statement[type];
  if (type === 'SqliMatchStatement' || type === 'XssMatchStatement') {
    const detail = type === 'SqliMatchStatement' ? sqlInjectionDetail(body, context) : xssDetail(body, context);
    if (detail) details.push(detail);
  } else if (type === 'AndStatement') {
    for (const nested of body.Statements as Statement[]) collectDetails(nested, context, details);
  } else if (type === 'OrStatement') {
    const first = (body.Statements as Statement[]).find((nested) => matchesStatement(nested, context));
    if (first) collectDetails(first, context, details);
  }
}

function sqlInjectionDetail(body: Statement, context: EvaluationContext): RuleMatchDetail | undefined {
  const level: SensitivityLevel = body.SensitivityLevel ?? 'LOW';
  for (const value of transformedComponent(body, context.request, context.scope).values) {
    const verdict = detectSqlInjection(value, level);
    if (verdict.matched) {
      return { conditionType: 'SQL_INJECTION', sensitivityLevel: level, location: locationOf(body.FieldToMatch), matchedData: sqlTokenTexts(value, verdict.context ?? 'none') };
    }
  }
  return undefined;
}

function xssDetail(body: Statement, context: EvaluationContext): RuleMatchDetail | undefined {
  const value = transformedComponent(body, context.request, context.scope).values.find((candidate) => detectXss(candidate).matched);
  return value === undefined ? undefined : { conditionType: 'XSS', location: locationOf(body.FieldToMatch), matchedData: xssPieces(value).map(displayText) };
}

/**
 * `location` values of the request components. AWS's log examples show
 * HEADER, SINGLE_QUERY_ARG, BODY and COOKIE, and UNKNOWN for JSON body
 * inspection.
 * NOTE: the other values are palisade's reading: AWS documents no log value
 * for them, so they take the names of WAF Classic's MatchFieldType (URI,
 * QUERY_STRING, ALL_QUERY_ARGS, METHOD); HeaderOrder is logged as UNKNOWN.
 */
const LOCATIONS: Record<string, string> = {
  UriPath: 'URI',
  QueryString: 'QUERY_STRING',
  SingleQueryArgument: 'SINGLE_QUERY_ARG',
  AllQueryArguments: 'ALL_QUERY_ARGS',
  Method: 'METHOD',
  SingleHeader: 'HEADER',
  Headers: 'HEADER',
  Cookies: 'COOKIE',
  Body: 'BODY',
  JsonBody: 'UNKNOWN',
  HeaderOrder: 'UNKNOWN',
};

function locationOf(fieldToMatch: Statement): string {
  return LOCATIONS[Object.keys(fieldToMatch)[0]] ?? 'UNKNOWN';
}

/** Tokens shown of a SQL injection: libinjection's fingerprints have at most five. */
const SHOWN_SQL_TOKENS = 5;

/**
 * Return the first tokens of the sequence the detector judged, as they
 * appear in the inspected value. An operator between two operands folds
 * into the first operand, as libinjection folds `1=1`, so `10 AND 1=1`
 * shows as `10`, `AND`, `1`, the tokens AWS's SQL injection example logs.
 */
function sqlTokenTexts(value: string, context: QuoteContext): string[] {
  const judged = foldTokens(tokenizeSql(value, context, 80)).slice(0, 40);
  const logged = foldOperands(judged).filter((token) => token.value !== '').slice(0, SHOWN_SQL_TOKENS);
  return textsInValue(logged, value).map(displayText);
}

function foldOperands(tokens: SqlToken[]): SqlToken[] {
  const folded: SqlToken[] = [];
  for (const token of tokens) {
    const last = folded.length - 1;
    if (isOperand(token) && folded[last]?.type === 'o' && isOperand(folded[last - 1])) folded.pop();
    else folded.push(token);
  }
  return folded;
}

function isOperand(token: SqlToken | undefined): boolean {
  return token !== undefined && (token.type === '1' || token.type === 'n');
}

/** Token values are lower-cased; take each one's text from the value, in order, keeping its case. */
function textsInValue(tokens: SqlToken[], value: string): string[] {
  const lower = value.toLowerCase();
  let cursor = 0;
  return tokens.map((token) => {
    const at = lower.indexOf(token.value, cursor);
    if (at < 0) return token.value;
    cursor = at + token.value.length;
    return value.slice(at, cursor);
  });
}

/**
 * Return the pieces of an XSS match that name it: the opening `<` and the
 * name of the first tag, as AWS's example logs `<`, `frameset` for
 * `<frameset onload=alert(1)>`. Without markup, they are an event handler
 * attribute, a script scheme or the name of a called function.
 * NOTE: AWS does not document how it picks these pieces; palisade's can
 * differ from AWS's for the same request.
 */
function xssPieces(value: string): string[] {
  const tag = /<\s*([A-Za-z!?][\w:.-]*)/.exec(value);
  if (tag) return ['<', tag[1]];
  const handler = /\b(on[a-z]+)\s*=/i.exec(value);
  if (handler) return [handler[1], '='];
  const scheme = /\b((?:java|vb|live)script|mocha|data)\s*:/i.exec(value);
  if (scheme) return [`${scheme[1]}:`];
  const call = /([A-Za-z_$][\w$.]*)\s*[(`]/.exec(value);
  if (call) return [call[1], '('];
  return [value.slice(0, 20)];
}

/** Inspected values are binary strings of UTF-8 bytes; logs show them as text. */
function displayText(binary: string): string {
  return /^[\x00-\x7f]*$/.test(binary) ? binary : Buffer.from(binary, 'latin1').toString('utf8');
}

/**
 * `limitKey` of each AggregateKeyType as AWS's log fields spell it.
 */
const LIMIT_KEYS: Record<string, string> = { IP: 'IP', FORWARDED_IP: 'FORWARDEDIP', CUSTOM_KEYS: 'CUSTOMKEYS', CONSTANT: 'CONSTANT' };

/**
 * `customValues` keys of the custom aggregation keys, with the member that
 * names the component. AWS's example shows HEADER with the header's name.
 * NOTE: the other keys are palisade's reading (the custom key type in
 * upper snake case); AWS documents no log value for them.
 */
const CUSTOM_VALUE_KEYS: Record<string, { key: string; name?: string }> = {
  Header: { key: 'HEADER', name: 'Name' },
  Cookie: { key: 'COOKIE', name: 'Name' },
  QueryArgument: { key: 'QUERY_ARGUMENT', name: 'Name' },
  QueryString: { key: 'QUERY_STRING' },
  UriPath: { key: 'URI_PATH' },
  HTTPMethod: { key: 'HTTP_METHOD' },
  IP: { key: 'IP' },
  ForwardedIP: { key: 'FORWARDED_IP' },
  LabelNamespace: { key: 'LABEL_NAMESPACE', name: 'Namespace' },
};

/**
 * Describe a rate-based rule that matched the request, for `rateBasedRuleList`.
 * NOTE: AWS logs an internal ID as `rateBasedRuleId`, which no API returns.
 * Its guide gives it as equal to `terminatingRuleId` when the rule
 * terminated, so palisade logs the rule's name there.
 */
export function rateBasedRuleEntry(rule: Rule, context: EvaluationContext): RateBasedRuleEntry {
  const statement = rule.Statement.RateBasedStatement;
  const entry: RateBasedRuleEntry = {
    rateBasedRuleId: rule.Name,
    rateBasedRuleName: rule.Name,
    limitKey: LIMIT_KEYS[statement.AggregateKeyType],
    maxRateAllowed: statement.Limit,
    // AWS's example writes the window as a string.
    evaluationWindowSec: String(statement.EvaluationWindowSec ?? DEFAULT_EVALUATION_WINDOW_SEC),
  };
  const key = aggregationKey(statement, context.request, context.labels);
  if (statement.AggregateKeyType === 'CUSTOM_KEYS') entry.customValues = customValues(statement.CustomKeys, key);
  // An address that is not valid is logged as INVALID ("Log fields", limitValue).
  if (statement.AggregateKeyType === 'IP' || statement.AggregateKeyType === 'FORWARDED_IP') entry.limitValue = key === 'fallback' || key === null ? 'INVALID' : key;
  return entry;
}

/** Pair each custom key with its value in the aggregation instance, whose values are joined by NUL characters. */
function customValues(customKeys: Statement[], instance: string | null): RateBasedRuleEntry['customValues'] {
  const values = instance === null || instance === 'fallback' ? [] : instance.split('\0');
  if (values.length !== customKeys.length) return [];
  return customKeys.map((customKey, index) => {
    const [type] = Object.keys(customKey);
    const { key, name } = CUSTOM_VALUE_KEYS[type];
    return name ? { key, name: String(customKey[type][name]), value: displayText(values[index]) } : { key, value: displayText(values[index]) };
  });
}
