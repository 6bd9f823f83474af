import type { RequestContext } from '../../../core/service.ts';
import { nonexistentItem } from '../errors.ts';
import { MANAGED_RULE_GROUPS, findManagedRuleGroup } from '../managed/index.ts';
import type { ManagedRuleGroup } from '../managed/types.ts';
import { requireMember, type Input } from '../validate-members.ts';
import { validateRules, validateScope } from '../validate-web-acl.ts';
import type { EntityStore } from '../entity-store.ts';
import { checkReferences } from '../references.ts';

/** When palisade's implementation of each managed group was published, for LastUpdateTimestamp. */
const VERSION_PUBLISHED = new Date(Date.UTC(2026, 11, 1));

/** Return the newest published version, which a rule without Version gets. */
function defaultVersion(group: ManagedRuleGroup): string {
  return group.Versions[group.Versions.length - 1];
}

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
      if (!group || (input.VersionName !== undefined && !group.Versions.includes(input.VersionName))) throw nonexistentItem();
      return {
        VersionName: input.VersionName ?? defaultVersion(group),
        Capacity: group.Capacity,
        Rules: group.Rules.map((rule) => ({ Name: rule.Name, Action: { Block: {} } })),
        LabelNamespace: group.LabelNamespace,
        AvailableLabels: group.Rules.map((rule) => ({ Name: group.LabelNamespace + rule.Label })),
        ConsumedLabels: [],
      };
    },

    /** The versions palisade publishes for a group, newest first, which a web ACL may name in Version. */
    ListAvailableManagedRuleGroupVersions(input: Input, ctx: RequestContext) {
      validateScope(input, ctx);
      const group = findManagedRuleGroup(requireMember(input, 'VendorName', 'MANAGED_RULE_SET'), requireMember(input, 'Name', 'MANAGED_RULE_SET'));
      if (!group) throw nonexistentItem();
      return {
        Versions: [...group.Versions].reverse().map((name) => ({ Name: name, LastUpdateTimestamp: VERSION_PUBLISHED })),
        CurrentDefaultVersion: defaultVersion(group),
      };
    },

    ListAvailableManagedRuleGroups(input: Input, ctx: RequestContext) {
      validateScope(input, ctx);
      return {
        ManagedRuleGroups: MANAGED_RULE_GROUPS.map((group) => ({
          VendorName: group.VendorName,
          Name: group.Name,
          VersioningSupported: true,
          Description: group.Description,
        })),
      };
    },
  };
}
