import type { WafAction } from '../../../core/seams.ts';
import { findManagedRuleGroup } from '../managed/index.ts';
import type { GeoSource } from './geo.ts';
import { aggregationKey, DEFAULT_EVALUATION_WINDOW_SEC, RateTracker, rateLimitSettingsOf } from './rate-based.ts';
import type { InspectedRequest } from './request.ts';
import { actionOutcome, evaluateRuleGroup, settleGroupRule, type GroupCounts, type RuleOutcome } from './rule-group.ts';
import type { ManagedRule, ManagedRuleGroup } from '../managed/types.ts';
import { matchesComponent, matchesStatement, type EvaluationContext } from './statements.ts';
import type { CustomRequestHandling, CustomResponse, Rule, RuleAction, Statement, WebAclDefinition } from './types.ts';

/** A rule that matched the request: the one that decided, or one that counted. */
export interface RuleMatch {
  ruleName: string;
  metricName: string;
  sampled: boolean;
  action: WafAction;
  ruleNameWithinRuleGroup?: string;
  /** Rules of the rule group that matched and counted, in evaluation order (for WAF logs). */
  countedWithinRuleGroup?: string[];
}

export interface Evaluation {
  action: WafAction;
  /** Rule that decided, or `Default_Action` (as in WAF logs' `terminatingRuleId`). */
  terminatingRuleId: string;
  ruleNameWithinRuleGroup?: string;
  labels: string[];
  matches: RuleMatch[];
  customResponse?: { statusCode: number; headers: [string, string][]; body?: string; contentType?: string };
  insertHeaders: [string, string][];
}

/** Request state that outlives one evaluation, injectable so tests control time and counts. */
export interface EvaluationOptions {
  /** Current time in epoch milliseconds; Date.now() when unset. */
  now?: number;
  /** Counts of rate-based rules; one tracker shared by every web ACL when unset. */
  rateTracker?: RateTracker;
  geo?: GeoSource;
}

/** Rate-based counts of the running palisade, kept in memory as AWS keeps them outside the web ACL. */
export const SHARED_RATE_TRACKER = new RateTracker();

const CONTENT_TYPES: Record<string, string> = { TEXT_PLAIN: 'text/plain', TEXT_HTML: 'text/html', APPLICATION_JSON: 'application/json' };

/**
 * Evaluate a web ACL's rules in ascending Priority ("How AWS WAF processes
 * a web ACL"). A match adds the rule's labels; Count continues to the next
 * rule, Allow, Block, Captcha and Challenge stop evaluation. With no
 * terminating match the DefaultAction applies.
 *
 * Captcha and Challenge: palisade issues no AWS WAF tokens, so no request
 * carries a valid one and a matching Captcha or Challenge rule always
 * terminates, as AWS does for a request without a valid token: Captcha
 * returns HTTP 405 and Challenge HTTP 202 (AWS WAF Developer Guide,
 * "CAPTCHA and Challenge in AWS WAF").
 */
export function evaluateRules(acl: WebAclDefinition, request: InspectedRequest, options: EvaluationOptions = {}): Evaluation {
  const context: EvaluationContext = { request, scope: acl.Scope, labels: [], labelNamespace: acl.LabelNamespace, geo: options.geo };
  const matches: RuleMatch[] = [];
  const insertHeaders: [string, string][] = [];
  for (const rule of rulesByPriority(acl.Rules)) {
    const outcome = evaluateRule(rule, context, acl, options);
    if (!outcome) continue;
    const match: RuleMatch = {
      ruleName: rule.Name,
      metricName: rule.VisibilityConfig.MetricName,
      sampled: rule.VisibilityConfig.SampledRequestsEnabled,
      action: outcome.action,
      ruleNameWithinRuleGroup: outcome.ruleNameWithinRuleGroup,
      ...(outcome.countedWithinRuleGroup ? { countedWithinRuleGroup: outcome.countedWithinRuleGroup } : {}),
    };
    matches.push(match);
    insertHeaders.push(...requestHeaders(outcome.handling));
    if (match.action === 'COUNT') continue;
    return {
      action: match.action,
      terminatingRuleId: rule.Name,
      ruleNameWithinRuleGroup: outcome.ruleNameWithinRuleGroup,
      labels: context.labels,
      matches,
      customResponse: responseFor(match.action, outcome.response, outcome.responseBodies ?? acl.CustomResponseBodies),
      insertHeaders: match.action === 'ALLOW' ? insertHeaders : [],
    };
  }
  const allow = acl.DefaultAction.Allow;
  return {
    action: allow ? 'ALLOW' : 'BLOCK',
    terminatingRuleId: 'Default_Action',
    labels: context.labels,
    matches,
    customResponse: allow ? undefined : responseFor('BLOCK', acl.DefaultAction.Block?.CustomResponse, acl.CustomResponseBodies),
    insertHeaders: allow ? [...insertHeaders, ...requestHeaders(allow.CustomRequestHandling)] : [],
  };
}

const sortedRules = new WeakMap<Rule[], Rule[]>();

/** Rules in ascending Priority, sorted once per rules array rather than per request. */
function rulesByPriority(rules: Rule[]): Rule[] {
  let sorted = sortedRules.get(rules);
  if (!sorted) {
    sorted = [...rules].sort((a, b) => a.Priority - b.Priority);
    sortedRules.set(rules, sorted);
  }
  return sorted;
}

function evaluateRule(rule: Rule, context: EvaluationContext, acl: WebAclDefinition, options: EvaluationOptions): RuleOutcome | undefined {
  const managed = rule.Statement.ManagedRuleGroupStatement;
  if (managed) return evaluateManagedRuleGroup(rule, managed, context);
  const group = rule.Statement.RuleGroupReferenceStatement;
  if (group) return evaluateRuleGroup(rule, group, context, (groupRule) => matchesRule(groupRule, rateKeyPrefix(acl.ARN, rule.Name, groupRule.Name), context, options));
  const matched = matchesRule(rule, rateKeyPrefix(acl.ARN, rule.Name), context, options);
  if (!matched) return undefined;
  for (const label of rule.RuleLabels ?? []) addLabel(context, context.labelNamespace + label.Name);
  return actionOutcome(rule.Action!);
}

/**
 * Evaluate a managed rule group's rules in order. ExcludedRules count
 * instead of acting, and RuleActionOverrides replace a rule's action. The
 * web ACL rule's OverrideAction Count turns the group's terminating action
 * into Count, keeping its labels.
 */
function evaluateManagedRuleGroup(rule: Rule, statement: Statement, context: EvaluationContext): RuleOutcome | undefined {
  if (statement.ScopeDownStatement && !matchesStatement(statement.ScopeDownStatement, context)) return undefined;
  const { group, excluded, overrides } = managedGroupSettings(statement);
  const counts: GroupCounts = {};
  for (const groupRule of group.Rules) {
    if (!matchesManagedRule(groupRule, context)) continue;
    addLabel(context, group.LabelNamespace + groupRule.Label);
    const action: RuleAction = excluded.has(groupRule.Name) ? { Count: {} } : overrides.get(groupRule.Name) ?? { Block: {} };
    const settled = settleGroupRule(counts, { ...actionOutcome(action), ruleNameWithinRuleGroup: groupRule.Name }, rule.OverrideAction?.Count !== undefined);
    if (settled) return settled;
  }
  return counts.counted;
}

interface ManagedGroupSettings {
  group: ManagedRuleGroup;
  excluded: Set<string>;
  overrides: Map<string, RuleAction>;
}

const managedSettings = new WeakMap<Statement, ManagedGroupSettings>();

/** The group, ExcludedRules and RuleActionOverrides of a ManagedRuleGroupStatement, resolved once per statement. */
function managedGroupSettings(statement: Statement): ManagedGroupSettings {
  let settings = managedSettings.get(statement);
  if (settings) return settings;
  const group = findManagedRuleGroup(statement.VendorName, statement.Name);
  if (!group) throw new Error(`managed rule group ${statement.VendorName}/${statement.Name} reached the engine without validation`);
  settings = {
    group,
    excluded: new Set((statement.ExcludedRules ?? []).map((excludedRule: { Name: string }) => excludedRule.Name)),
    overrides: new Map((statement.RuleActionOverrides ?? []).map((override: { Name: string; ActionToUse: RuleAction }) => [override.Name, override.ActionToUse])),
  };
  managedSettings.set(statement, settings);
  return settings;
}

/**
 * RateBasedStatement: count the request under its aggregation instance
 * (only when it matches the ScopeDownStatement) and match while that
 * instance's count within EvaluationWindowSec is over Limit, so the rule's
 * action applies to each request of the instance until its rate drops
 * (AWS WAF Developer Guide, "Rate-based rule statement").
 */
function matchesRateBased(statement: Statement, keyPrefix: string, context: EvaluationContext, options: EvaluationOptions): boolean {
  if (statement.ScopeDownStatement && !matchesStatement(statement.ScopeDownStatement, context)) return false;
  const key = aggregationKey(statement, context.request, context.labels);
  if (key === null) return false;
  if (key === 'fallback') return statement.ForwardedIPConfig?.FallbackBehavior === 'MATCH';
  const tracker = options.rateTracker ?? SHARED_RATE_TRACKER;
  tracker.useSettings(keyPrefix, rateLimitSettingsOf(statement));
  const count = tracker.record(keyPrefix + key, options.now ?? Date.now(), statement.EvaluationWindowSec ?? DEFAULT_EVALUATION_WINDOW_SEC);
  return count > statement.Limit;
}

/** Match a rule's statement, counting the request first when it is rate-based. */
function matchesRule(rule: Rule, keyPrefix: string, context: EvaluationContext, options: EvaluationOptions): boolean {
  const rateBased = rule.Statement.RateBasedStatement;
  return rateBased ? matchesRateBased(rateBased, keyPrefix, context, options) : matchesStatement(rule.Statement, context);
}

/**
 * Return the prefix of a rate-based rule instance's count keys. AWS counts each
 * combination of web ACL, rule group reference and rate-based rule apart
 * (API Reference, GetRateBasedStatementManagedKeys).
 */
export function rateKeyPrefix(webAclArn: string, ruleName: string, groupRuleName?: string): string {
  return groupRuleName === undefined ? `${webAclArn}\n${ruleName}\n` : `${webAclArn}\n${ruleName}\n${groupRuleName}\n`;
}

function matchesManagedRule(rule: ManagedRule, context: EvaluationContext): boolean {
  if (rule.Statement) return matchesStatement(rule.Statement, context);
  const component = rule.Component!;
  return matchesComponent(component, context, component.test);
}


function addLabel(context: EvaluationContext, label: string): void {
  if (!context.labels.includes(label)) context.labels.push(label);
}

/** Headers that Allow and Count insert into the request, prefixed `x-amzn-waf-` as AWS does. */
function requestHeaders(handling: CustomRequestHandling | undefined): [string, string][] {
  return (handling?.InsertHeaders ?? []).map((header): [string, string] => [`x-amzn-waf-${header.Name}`, header.Value]);
}

function responseFor(action: WafAction, custom: CustomResponse | undefined, bodies: WebAclDefinition['CustomResponseBodies']): Evaluation['customResponse'] {
  if (action === 'CAPTCHA') return { statusCode: 405, headers: [] };
  if (action === 'CHALLENGE') return { statusCode: 202, headers: [] };
  if (action !== 'BLOCK' || !custom) return undefined;
  const body = custom.CustomResponseBodyKey ? bodies?.[custom.CustomResponseBodyKey] : undefined;
  return {
    statusCode: custom.ResponseCode,
    headers: (custom.ResponseHeaders ?? []).map((header): [string, string] => [header.Name, header.Value]),
    body: body?.Content,
    contentType: body ? CONTENT_TYPES[body.ContentType] : undefined,
  };
}
