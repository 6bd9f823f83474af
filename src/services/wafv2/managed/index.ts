import { SQLI_RULE_SET } from './sqli-rule-set.ts';
import type { ManagedRuleGroup } from './types.ts';

/** Managed rule groups palisade evaluates; any other group is refused when a web ACL is written. */
export const MANAGED_RULE_GROUPS: ManagedRuleGroup[] = [SQLI_RULE_SET];

export function findManagedRuleGroup(vendorName: string, name: string): ManagedRuleGroup | undefined {
  return MANAGED_RULE_GROUPS.find((group) => group.VendorName === vendorName && group.Name === name);
}
