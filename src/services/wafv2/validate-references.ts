import { invalidParameter, REASON } from './errors.ts';
import { validRegex } from './engine/reference-statements.ts';
import { checkString, NON_BLANK, requireEnum, requireMember, type Input } from './validate-members.ts';
import { validateRuleAction } from './validate-statement.ts';

/** ARN of a WAFv2 resource of the given kind. */
const ARN_OF = (kind: string) => new RegExp(`^arn:aws[\\w-]*:wafv2:[\\w-]*:\\d{12}:(regional|global)/${kind}/[\\w-]+/[0-9a-f-]{36}$`);
const HEADER_NAME = /^[a-zA-Z0-9-]+$/;
/** AWS's limit on a regular expression's length, in characters. */
const MAX_REGEX_LENGTH = 512;

/**
 * Structure and WCU cost of the statements that name other resources
 * (IPSetReference 1, RegexPatternSetReference 25, RegexMatch 3, plus the
 * text transformation surcharge; a rule group reference costs the group's
 * capacity, added by checkReferences once the group is read).
 * That the named resource exists is checked by references.ts.
 */
export function validateReference(type: string, body: Input, field: string, topLevel: boolean, component: (body: Input, field: string) => number): number {
  switch (type) {
    case 'IPSetReferenceStatement':
      checkArn(body, field, 'ipset');
      if (body.IPSetForwardedIPConfig !== undefined) validateIpSetForwardedIpConfig(body.IPSetForwardedIPConfig);
      return 1;
    case 'RegexPatternSetReferenceStatement':
      checkArn(body, field, 'regexpatternset');
      return 25 + component(body, field);
    case 'RegexMatchStatement': {
      const pattern = requireMember(body, 'RegexString', field);
      checkString(pattern, 'RegexString', field, NON_BLANK, MAX_REGEX_LENGTH);
      if (!validRegex(pattern)) throw invalidParameter(field, 'RegexString', REASON.invalidFormat);
      return 3 + component(body, field);
    }
    case 'RuleGroupReferenceStatement':
      // AWS allows rule group references only as a rule's top-level statement.
      if (!topLevel) throw invalidParameter(field, type, 'You can only use this statement at the top level of a rule.');
      checkArn(body, field, 'rulegroup');
      if (body.ExcludedRules !== undefined && body.RuleActionOverrides !== undefined) {
        throw invalidParameter(field, 'ExcludedRules', 'You can specify either ExcludedRules or RuleActionOverrides, not both.');
      }
      for (const override of body.RuleActionOverrides ?? []) validateRuleAction(requireMember(override, 'ActionToUse', 'RULE_ACTION'));
      return 0;
    default:
      throw new Error(`${type} is not a reference statement`);
  }
}

function checkArn(body: Input, field: string, kind: string): void {
  const arn = requireMember(body, 'ARN', field);
  if (typeof arn !== 'string' || !ARN_OF(kind).test(arn)) throw invalidParameter('RESOURCE_ARN', String(arn), REASON.invalidFormat);
}

function validateIpSetForwardedIpConfig(config: Input): void {
  checkString(requireMember(config, 'HeaderName', 'HEADER_NAME'), 'HeaderName', 'HEADER_NAME', HEADER_NAME, 255);
  requireEnum(config, 'FallbackBehavior', 'FALLBACK_BEHAVIOR', ['MATCH', 'NO_MATCH']);
  requireEnum(config, 'Position', 'POSITION', ['FIRST', 'LAST', 'ANY']);
}
