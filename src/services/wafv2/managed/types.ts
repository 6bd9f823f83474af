import type { Statement } from '../engine/types.ts';
import type { TextTransformation } from '../engine/transformations.ts';

/**
 * palisade's own detection for a rule whose test the WAFv2 rule language
 * cannot express (a regular expression or a parser): the FieldToMatch and
 * TextTransformations are evaluated as in any match statement, then `test`
 * judges each transformed value.
 */
export interface ComponentTest {
  FieldToMatch: Statement;
  TextTransformations: TextTransformation[];
  test: (value: string) => boolean;
}

/** One rule of a managed rule group; every rule palisade ships blocks by default. */
export interface ManagedRule {
  Name: string;
  /** Label name added when the rule matches, under the group's LabelNamespace. */
  Label: string;
  /** The rule as a WAFv2 statement, or `Component` when the language has no statement for it. */
  Statement?: Statement;
  Component?: ComponentTest;
}

export interface ManagedRuleGroup {
  VendorName: string;
  Name: string;
  Description: string;
  Capacity: number;
  LabelNamespace: string;
  /** Version names palisade publishes for the group; a web ACL may name one of them in Version. */
  Versions: string[];
  Rules: ManagedRule[];
}
