import type { WafAction } from '../../../core/seams.ts';
import { matchesStatement, type EvaluationContext } from './statements.ts';
import type { CustomRequestHandling, CustomResponse, Rule, RuleAction, Statement } from './types.ts';

export interface GroupOutcome {
  action: WafAction;
  ruleNameWithinRuleGroup?: string;
  handling?: CustomRequestHandling;
  response?: CustomResponse;
  responseBodies?: Record<string, { ContentType: string; Content: string }>;
  /** Group rules that matched and counted, in evaluation order. */
  countedWithinRuleGroup?: string[];
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
): GroupOutcome | undefined {
  const excluded = new Set((statement.ExcludedRules ?? []).map((entry: { Name: string }) => entry.Name));
  const overrides = new Map<string, RuleAction>((statement.RuleActionOverrides ?? []).map((entry: { Name: string; ActionToUse: RuleAction }) => [entry.Name, entry.ActionToUse]));
  const rules = [...(statement.Rules as Rule[])].sort((a, b) => a.Priority - b.Priority);
  let counted: GroupOutcome | undefined;
  for (const groupRule of rules) {
    if (!matches(groupRule)) continue;
    for (const label of groupRule.RuleLabels ?? []) {
      const name = statement.LabelNamespace + label.Name;
      if (!context.labels.includes(name)) context.labels.push(name);
    }
    const action = excluded.has(groupRule.Name) ? { Count: {} } : overrides.get(groupRule.Name) ?? groupRule.Action!;
    const outcome = { ...outcomeOf(action), ruleNameWithinRuleGroup: groupRule.Name, responseBodies: statement.CustomResponseBodies };
    if (outcome.action === 'COUNT') {
      counted ??= { ...outcome, countedWithinRuleGroup: [] };
      counted.countedWithinRuleGroup!.push(groupRule.Name);
      continue;
    }
    const countedBefore = counted ? { countedWithinRuleGroup: counted.countedWithinRuleGroup } : {};
    if (rule.OverrideAction?.Count) return { action: 'COUNT', ruleNameWithinRuleGroup: groupRule.Name, ...countedBefore };
    return { ...outcome, ...countedBefore };
  }
  return counted;
}

function outcomeOf(action: RuleAction): GroupOutcome {
  if (action.Allow) return { action: 'ALLOW', handling: action.Allow.CustomRequestHandling };
  if (action.Block) return { action: 'BLOCK', response: action.Block.CustomResponse };
  if (action.Count) return { action: 'COUNT', handling: action.Count.CustomRequestHandling };
  if (action.Captcha) return { action: 'CAPTCHA' };
  return { action: 'CHALLENGE' };
}
