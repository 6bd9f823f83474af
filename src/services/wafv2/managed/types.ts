import type { Statement } from '../engine/types.ts';

/** One rule of a managed rule group; every rule palisade ships blocks by default. */
export interface ManagedRule {
  Name: string;
  /** Label name added when the rule matches, under the group's LabelNamespace. */
  Label: string;
  Statement: Statement;
}

export interface ManagedRuleGroup {
  VendorName: string;
  Name: string;
  Description: string;
  Capacity: number;
  LabelNamespace: string;
  Rules: ManagedRule[];
}
