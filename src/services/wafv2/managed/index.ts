import { ADMIN_PROTECTION_RULE_SET } from './admin-protection.ts';
import { COMMON_RULE_SET } from './common-rule-set.ts';
import { KNOWN_BAD_INPUTS_RULE_SET } from './known-bad-inputs.ts';
import { SQLI_RULE_SET } from './sqli-rule-set.ts';
import type { ManagedRuleGroup } from './types.ts';

/** Managed rule groups palisade evaluates; any other group is refused when a web ACL is written. */
export const MANAGED_RULE_GROUPS: ManagedRuleGroup[] = [COMMON_RULE_SET, SQLI_RULE_SET, KNOWN_BAD_INPUTS_RULE_SET, ADMIN_PROTECTION_RULE_SET];

export function findManagedRuleGroup(vendorName: string, name: string): ManagedRuleGroup | undefined {
  return MANAGED_RULE_GROUPS.find((group) => group.VendorName === vendorName && group.Name === name);
}
