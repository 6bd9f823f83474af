import type { RequestContext } from '../../../core/service.ts';
import type { Rule, Scope } from '../engine/types.ts';
import type { EntityRecord, EntityStore } from '../entity-store.ts';
import { invalidParameter, limitsExceeded, REASON } from '../errors.ts';
import { checkReferences, statementsIn } from '../references.ts';
import { requireMember, type Input } from '../validate-members.ts';
import { checkResponseBodyKeys, validateRules, validateVisibilityConfig } from '../validate-web-acl.ts';
import type { WebAclStore } from '../web-acl-store.ts';
import { entityOperations, type EntitySpec } from './entity-crud.ts';

/** A rule group's capacity is set at creation, 1 to 5,000 WCU, and never changes (CreateRuleGroup, Capacity). */
const MAX_CAPACITY = 5000;
/** Statements a rule group cannot hold: AWS does not nest rule groups. */
const NOT_IN_RULE_GROUP = ['ManagedRuleGroupStatement', 'RuleGroupReferenceStatement'];

function validateGroupRules(rules: Rule[], scope: Scope, entities: EntityStore): number {
  for (const rule of rules) {
    for (const [type] of statementsIn(rule.Statement)) {
      if (NOT_IN_RULE_GROUP.includes(type)) throw invalidParameter('STATEMENT', type, REASON.invalidOption);
    }
  }
  return validateRules(rules, scope) + checkReferences(rules, scope, entities);
}

function ruleGroupSpec(entities: EntityStore): EntitySpec {
  return {
    kind: 'rulegroup',
    noun: 'RuleGroup',
    listMember: 'RuleGroups',
    field: 'RULE_GROUP',
    body(input: Input, scope: Scope, ctx: RequestContext, existing?: EntityRecord) {
      const capacity = existing ? existing.Body.Capacity : requireMember(input, 'Capacity', 'RULE_GROUP');
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) throw invalidParameter('RULE_GROUP', 'Capacity', REASON.invalidFormat);
      validateVisibilityConfig(input.VisibilityConfig, 'RULE_GROUP');
      const rules = (input.Rules ?? []) as Rule[];
      // The rules' WCU must fit the capacity declared at creation.
      if (validateGroupRules(rules, scope, entities) > capacity) throw limitsExceeded();
      checkResponseBodyKeys(rules.map((rule) => rule.Action as Input | undefined), input.CustomResponseBodies);
      const name = existing?.Name ?? input.Name;
      return {
        Capacity: capacity,
        Rules: rules,
        VisibilityConfig: input.VisibilityConfig,
        CustomResponseBodies: input.CustomResponseBodies,
        LabelNamespace: `awswaf:${ctx.accountId}:rulegroup:${name}:`,
      };
    },
    output(record) {
      const rules = record.Body.Rules as Rule[];
      return {
        Name: record.Name,
        Id: record.Id,
        Capacity: record.Body.Capacity,
        ARN: record.ARN,
        Description: record.Description,
        Rules: rules,
        VisibilityConfig: record.Body.VisibilityConfig,
        LabelNamespace: record.Body.LabelNamespace,
        CustomResponseBodies: record.Body.CustomResponseBodies,
        AvailableLabels: rules.flatMap((rule) => rule.RuleLabels ?? []).map((label) => ({ Name: record.Body.LabelNamespace + label.Name })),
        ConsumedLabels: rules.flatMap((rule) => [...statementsIn(rule.Statement)]).filter(([type]) => type === 'LabelMatchStatement').map(([, body]) => ({ Name: body.Key })),
      };
    },
  };
}

export function ruleGroupOperations(entities: EntityStore, webAcls: WebAclStore) {
  return entityOperations(ruleGroupSpec(entities), entities, webAcls);
}
