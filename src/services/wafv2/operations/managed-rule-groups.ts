import type { RequestContext } from '../../../core/service.ts';
import { nonexistentItem } from '../errors.ts';
import { MANAGED_RULE_GROUPS, findManagedRuleGroup } from '../managed/index.ts';
import { requireMember, type Input } from '../validate-members.ts';
import { validateRules, validateScope } from '../validate-web-acl.ts';
import type { EntityStore } from '../entity-store.ts';
import { checkReferences } from '../references.ts';

export function managedRuleGroupOperations(entities?: EntityStore) {
  return {
    CheckCapacity(input: Input, ctx: RequestContext) {
      const scope = validateScope(input, ctx);
      const rules = requireMember(input, 'Rules', 'RULE');
      return { Capacity: validateRules(rules, scope) + (entities && Array.isArray(rules) ? checkReferences(rules, scope, entities) : 0) };
    },

    DescribeManagedRuleGroup(input: Input, ctx: RequestContext) {
      validateScope(input, ctx);
      const group = findManagedRuleGroup(requireMember(input, 'VendorName', 'MANAGED_RULE_SET'), requireMember(input, 'Name', 'MANAGED_RULE_SET'));
      if (!group || input.VersionName !== undefined) throw nonexistentItem();
      return {
        Capacity: group.Capacity,
        Rules: group.Rules.map((rule) => ({ Name: rule.Name, Action: { Block: {} } })),
        LabelNamespace: group.LabelNamespace,
        AvailableLabels: group.Rules.map((rule) => ({ Name: group.LabelNamespace + rule.Label })),
        ConsumedLabels: [],
      };
    },

    /**
     * palisade implements one unversioned release of each group
     * (VersioningSupported false), so there are no static versions to list.
     */
    ListAvailableManagedRuleGroupVersions(input: Input, ctx: RequestContext) {
      validateScope(input, ctx);
      const group = findManagedRuleGroup(requireMember(input, 'VendorName', 'MANAGED_RULE_SET'), requireMember(input, 'Name', 'MANAGED_RULE_SET'));
      if (!group) throw nonexistentItem();
      return { Versions: [] };
    },

    ListAvailableManagedRuleGroups(input: Input, ctx: RequestContext) {
      validateScope(input, ctx);
      return {
        ManagedRuleGroups: MANAGED_RULE_GROUPS.map((group) => ({
          VendorName: group.VendorName,
          Name: group.Name,
          VersioningSupported: false,
          Description: group.Description,
        })),
      };
    },
  };
}
