import type { App } from '../../core/app.ts';
import { parseArn } from '../../core/arn.ts';
import { log } from '../../core/log.ts';
import type { WebRequest } from '../../core/seams.ts';
import type { Evaluation } from './engine/evaluate.ts';
import { configuredGeoSource, UNKNOWN_COUNTRY } from './engine/geo.ts';
import type { EvaluationContext } from './engine/statements.ts';
import type { Rule, Statement, WebAclDefinition } from './engine/types.ts';
import { logInspectionContext, rateBasedRuleEntry, ruleMatchDetails } from './log-match-details.ts';
import type { LoggingConfiguration, LoggingStore } from './logging-store.ts';
import { findManagedRuleGroup } from './managed/index.ts';
import { logGroupName } from './operations/logging.ts';

/** Which resource the request reached the web ACL through: `httpSourceName` and `httpSourceId` of the log record. */
export interface HttpSource {
  name: 'CF' | 'APIGW' | 'ALB' | 'APPSYNC' | '-';
  id: string;
}

const REDACTED = 'REDACTED';

/**
 * Writes one AWS WAF log record per evaluated request to the web ACL's
 * `aws-waf-logs-` log group, in the format of "Log fields for web ACL
 * traffic" (formatVersion 1).
 */
export class WafLogWriter {
  constructor(
    private readonly app: App,
    private readonly logging: LoggingStore,
  ) {}

  /** True when the web ACL has a logging configuration, so the caller resolves the source only then. */
  configured(webAclArn: string): boolean {
    return this.logging.get(webAclArn) !== undefined;
  }

  write(acl: WebAclDefinition, request: WebRequest, evaluation: Evaluation, source: HttpSource, requestId: string, now = Date.now()): void {
    const config = this.logging.get(acl.ARN);
    if (!config || !keep(config, evaluation)) return;
    const group = logGroupName(config.LogDestinationConfigs[0]);
    if (!group) return;
    const record = logRecord(acl, request, evaluation, source, requestId, now, config);
    // CloudWatch Logs streams of WAF logs are named `<region>_<web ACL name>_<n>`.
    const stream = `${parseArn(acl.ARN)?.region ?? 'us-east-1'}_${acl.Name}_0`;
    try {
      this.app.seam('logs').append(group, stream, [{ timestamp: now, message: JSON.stringify(record) }]);
    } catch (error) {
      log('error', 'wafv2', 'WAF log delivery failed', { webAclArn: acl.ARN, error: String((error as Error)?.message ?? error) });
    }
  }
}

/** LoggingFilter: the first filter whose conditions the request meets decides; otherwise DefaultBehavior. */
function keep(config: LoggingConfiguration, evaluation: Evaluation): boolean {
  const filter = config.LoggingFilter;
  if (!filter) return true;
  for (const one of filter.Filters) {
    const results = one.Conditions.map((condition) =>
      condition.ActionCondition ? condition.ActionCondition.Action === evaluation.action : evaluation.labels.includes(condition.LabelNameCondition!.LabelName),
    );
    const met = one.Requirement === 'MEETS_ALL' ? results.every(Boolean) : results.some(Boolean);
    if (met) return one.Behavior === 'KEEP';
  }
  return filter.DefaultBehavior === 'KEEP';
}

/** Build the log record of one evaluated request; match details are worked out here, never during evaluation. */
export function logRecord(acl: WebAclDefinition, request: WebRequest, evaluation: Evaluation, source: HttpSource, requestId: string, now: number, config?: LoggingConfiguration) {
  const terminating = acl.Rules.find((rule) => rule.Name === evaluation.terminatingRuleId);
  const context = logInspectionContext(acl, request, evaluation.labels);
  return {
    timestamp: now,
    formatVersion: 1,
    webaclId: acl.ARN,
    terminatingRuleId: evaluation.terminatingRuleId,
    terminatingRuleType: terminating ? ruleType(terminating) : 'REGULAR',
    action: evaluation.action,
    terminatingRuleMatchDetails: terminating ? ruleMatchDetails(matchedStatement(terminating, evaluation.ruleNameWithinRuleGroup), context) : [],
    httpSourceName: source.name,
    httpSourceId: source.id,
    ruleGroupList: ruleGroupList(acl, evaluation, context),
    rateBasedRuleList: rateBasedRuleList(acl, evaluation, context),
    nonTerminatingMatchingRules: evaluation.matches
      .filter((match) => match.action === 'COUNT' && !isGroup(acl, match.ruleName))
      .map((match) => ({ ruleId: match.ruleName, action: match.action, ruleMatchDetails: ruleMatchDetails(ruleNamed(acl, match.ruleName)?.Statement, context) })),
    requestHeadersInserted: evaluation.insertHeaders.length > 0 ? evaluation.insertHeaders.map(([name, value]) => ({ name, value })) : null,
    responseCodeSent: evaluation.customResponse?.statusCode ?? null,
    httpRequest: httpRequest(request, requestId, config),
    ...(evaluation.labels.length > 0 ? { labels: evaluation.labels.map((name) => ({ name })) } : {}),
  };
}

function ruleNamed(acl: WebAclDefinition, ruleName: string): Rule | undefined {
  return acl.Rules.find((candidate) => candidate.Name === ruleName);
}

function isGroup(acl: WebAclDefinition, ruleName: string): boolean {
  const rule = ruleNamed(acl, ruleName);
  return rule !== undefined && ruleType(rule) !== 'REGULAR' && ruleType(rule) !== 'RATE_BASED';
}

function ruleType(rule: Rule): string {
  if (rule.Statement.ManagedRuleGroupStatement) return 'MANAGED_RULE_GROUP';
  if (rule.Statement.RuleGroupReferenceStatement) return 'GROUP';
  if (rule.Statement.RateBasedStatement) return 'RATE_BASED';
  return 'REGULAR';
}

/**
 * Return the statement whose SQLi and XSS matches are logged for a matched
 * web ACL rule: its own, or that of the rule within its rule group that
 * matched. Rate-based rules are logged in `rateBasedRuleList` instead.
 */
function matchedStatement(rule: Rule, ruleNameWithinRuleGroup: string | undefined): Statement | undefined {
  if (rule.Statement.RateBasedStatement) return undefined;
  if (ruleType(rule) === 'REGULAR') return rule.Statement;
  const inner = ruleNameWithinRuleGroup === undefined ? undefined : ruleWithinGroup(rule, ruleNameWithinRuleGroup);
  return inner?.Statement?.RateBasedStatement ? undefined : inner?.Statement;
}

/** Find a rule, by name, of the rule group a web ACL rule references: a managed rule, or a rule of a referenced rule group. */
function ruleWithinGroup(rule: Rule, name: string): { Name: string; Statement?: Statement } | undefined {
  const managed = rule.Statement.ManagedRuleGroupStatement;
  if (managed) return findManagedRuleGroup(managed.VendorName, managed.Name)?.Rules.find((candidate) => candidate.Name === name);
  return (rule.Statement.RuleGroupReferenceStatement.Rules as Rule[] | undefined)?.find((candidate) => candidate.Name === name);
}

/**
 * List one entry per rule group the web ACL uses, naming the group rule
 * that matched. As in AWS's rule group example, a terminating group rule's
 * details go to `terminatingRuleMatchDetails` and its `ruleMatchDetails` is
 * null, while a counting group rule carries its own details.
 */
function ruleGroupList(acl: WebAclDefinition, evaluation: Evaluation, context: EvaluationContext) {
  return acl.Rules.filter((rule) => ruleType(rule) === 'MANAGED_RULE_GROUP' || ruleType(rule) === 'GROUP').map((rule) => {
    const managed = rule.Statement.ManagedRuleGroupStatement;
    const groupId = managed ? `${managed.VendorName}#${managed.Name}` : String(rule.Statement.RuleGroupReferenceStatement.ARN);
    const match = evaluation.matches.find((candidate) => candidate.ruleName === rule.Name);
    const inner = match?.ruleNameWithinRuleGroup;
    const terminates = match !== undefined && match.action !== 'COUNT';
    // Group rules that counted, and the rule whose action OverrideAction Count turned into a count.
    const counted = [...(match?.countedWithinRuleGroup ?? [])];
    if (!terminates && inner && !counted.includes(inner)) counted.push(inner);
    return {
      ruleGroupId: groupId,
      terminatingRule: terminates && inner ? { ruleId: inner, action: match.action, ruleMatchDetails: null } : null,
      nonTerminatingMatchingRules: counted.map((name) => ({ ruleId: name, action: 'COUNT', ruleMatchDetails: ruleMatchDetails(matchedStatement(rule, name), context) })),
      excludedRules: null,
      customerConfig: null,
    };
  });
}

/** List the rate-based rules that matched the request, in the web ACL or within a referenced rule group. */
function rateBasedRuleList(acl: WebAclDefinition, evaluation: Evaluation, context: EvaluationContext) {
  const entries = [];
  for (const match of evaluation.matches) {
    const rule = ruleNamed(acl, match.ruleName);
    if (!rule) continue;
    const inner = match.ruleNameWithinRuleGroup === undefined ? undefined : ruleWithinGroup(rule, match.ruleNameWithinRuleGroup);
    if (rule.Statement.RateBasedStatement) entries.push(rateBasedRuleEntry(rule, context));
    else if (inner?.Statement?.RateBasedStatement) entries.push(rateBasedRuleEntry(inner as Rule, context));
  }
  return entries;
}

function countryOf(address: string): string {
  const { country } = configuredGeoSource().locate(address);
  return country === UNKNOWN_COUNTRY ? '-' : country;
}

function httpRequest(request: WebRequest, requestId: string, config?: LoggingConfiguration) {
  const redacted = config?.RedactedFields ?? [];
  const redactedHeaders = new Set(redacted.filter((field) => field.SingleHeader).map((field) => String(field.SingleHeader.Name).toLowerCase()));
  const has = (type: string) => redacted.some((field) => field[type] !== undefined);
  return {
    clientIp: request.clientIp,
    // The configured geo map's country; `-` where no range covers the address, as AWS writes when it cannot tell.
    country: countryOf(request.clientIp),
    headers: request.headers.map(([name, value]) => ({ name, value: redactedHeaders.has(name.toLowerCase()) ? REDACTED : value })),
    uri: has('UriPath') ? REDACTED : request.uriPath,
    args: has('QueryString') ? REDACTED : request.queryString,
    httpVersion: 'HTTP/1.1',
    httpMethod: has('Method') ? REDACTED : request.method,
    requestId,
  };
}
