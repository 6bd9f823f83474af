import type { WafAction } from '../../../core/seams.ts';
import { matchesStatement, type EvaluationContext } from './statements.ts';
import type { CustomRequestHandling, CustomResponse, Rule, RuleAction, Statement } from './types.ts';

/** The effect of a matching rule on the request: its action, with the settings the action carries. */
export interface RuleOutcome {
  action: WafAction;
  ruleNameWithinRuleGroup?: string;
  handling?: CustomRequestHandling;
  response?: CustomResponse;
  /** The rule group's CustomResponseBodies, where a group rule's CustomResponseBodyKey is looked up. */
  responseBodies?: Record<string, { ContentType: string; Content: string }>;
  /** Group rules that matched and counted, in evaluation order. */
  countedWithinRuleGroup?: string[];
}

/** Counting rules of a rule group collected so far, as one COUNT outcome. */
export interface GroupCounts {
  counted?: RuleOutcome;
}

/**
 * Settle one matching rule of a rule group. A counting rule is collected
 * and evaluation goes on (undefined). Any other action ends the group,
 * carrying the rules counted before it, and becomes a count when the
 * referencing rule's OverrideAction is Count.
 */
export function settleGroupRule(counts: GroupCounts, outcome: RuleOutcome, overrideCount: boolean): RuleOutcome | undefined {
  if (outcome.action === 'COUNT') {
    counts.counted ??= { ...outcome, countedWithinRuleGroup: [] };
    counts.counted.countedWithinRuleGroup!.push(outcome.ruleNameWithinRuleGroup!);
    return undefined;
  }
  const countedBefore = counts.counted ? { countedWithinRuleGroup: counts.counted.countedWithinRuleGroup } : {};
  if (overrideCount) return { action: 'COUNT', ruleNameWithinRuleGroup: outcome.ruleNameWithinRuleGroup, ...countedBefore };
  return { ...outcome, ...countedBefore };
}

/**
 * RuleGroupReferenceStatement: the group's rules run in ascending Priority
 * with their own actions; ExcludedRules count instead, RuleActionOverrides
 * replace an action, and the referencing rule's OverrideAction Count turns
 * a terminating action into Count. Labels of group rules live in the
 * group's namespace `awswaf:<account>:rulegroup:<name>:` (AWS WAF
 * Developer Guide, "Rule group reference statement", "Label syntax").
 * `matches` decides whether a group rule matches; the caller counts
 * rate-based rules per web ACL, referencing rule and group rule.
 */
export function evaluateRuleGroup(
  rule: Rule,
  statement: Statement,
  context: EvaluationContext,
  matches: (groupRule: Rule) => boolean = (groupRule) => matchesStatement(groupRule.Statement, context),
): RuleOutcome | undefined {
  const excluded = new Set((statement.ExcludedRules ?? []).map((entry: { Name: string }) => entry.Name));
  const overrides = new Map<string, RuleAction>((statement.RuleActionOverrides ?? []).map((entry: { Name: string; ActionToUse: RuleAction }) => [entry.Name, entry.ActionToUse]));
  const rules = [...(statement.Rules as Rule[])].sort((a, b) => a.Priority - b.Priority);
  const counts: GroupCounts = {};
  for (const groupRule of rules) {
    if (!matches(groupRule)) continue;
    for (const label of groupRule.RuleLabels ?? []) {
      const name = statement.LabelNamespace + label.Name;
      if (!context.labels.includes(name)) context.labels.push(name);
    }
    const action = excluded.has(groupRule.Name) ? { Count: {} } : overrides.get(groupRule.Name) ?? groupRule.Action!;
    const outcome = { ...actionOutcome(action), ruleNameWithinRuleGroup: groupRule.Name, responseBodies: statement.CustomResponseBodies };
    const settled = settleGroupRule(counts, outcome, rule.OverrideAction?.Count !== undefined);
    if (settled) return settled;
  }
  return counts.counted;
}

/** Turn a rule action into its outcome. */
export function actionOutcome(action: RuleAction): RuleOutcome {
  if (action.Allow) return { action: 'ALLOW', handling: action.Allow.CustomRequestHandling };
  if (action.Block) return { action: 'BLOCK', response: action.Block.CustomResponse };
  if (action.Count) return { action: 'COUNT', handling: action.Count.CustomRequestHandling };
  if (action.Captcha) return { action: 'CAPTCHA' };
  return { action: 'CHALLENGE' };
}
