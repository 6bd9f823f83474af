import type { RequestContext } from '../../core/service.ts';
import { invalidParameter, REASON } from './errors.ts';
import type { Rule, Scope } from './engine/types.ts';
import { validateRuleAction, validateStatement } from './validate-statement.ts';
import {
  checkString, DESCRIPTION, ENTITY_NAME, exactlyOne, LABEL_NAME, METRIC_NAME, requireEnum, requireMember, requireNonNegativeInteger,
  requireString, type Input,
} from './validate-members.ts';

export const SCOPES = ['CLOUDFRONT', 'REGIONAL'] as const;

/** Scope, checking that CLOUDFRONT is used only in us-east-1, as AWS requires. */
export function validateScope(input: Input, ctx: RequestContext): Scope {
  const scope = requireEnum(input, 'Scope', 'SCOPE_VALUE', SCOPES) as Scope;
  if (scope === 'CLOUDFRONT' && ctx.region !== 'us-east-1') throw invalidParameter('SCOPE_VALUE', scope, REASON.invalidOption);
  return scope;
}

export function validateName(input: Input): string {
  return requireString(input, 'Name', 'WEB_ACL', ENTITY_NAME, 128);
}

export function validateVisibilityConfig(config: Input | undefined, field: string): void {
  const visibility = requireMember({ VisibilityConfig: config }, 'VisibilityConfig', field);
  for (const member of ['SampledRequestsEnabled', 'CloudWatchMetricsEnabled']) {
    if (typeof requireMember(visibility, member, field) !== 'boolean') throw invalidParameter(field, member, REASON.invalidFormat);
  }
  requireString(visibility, 'MetricName', 'METRIC_NAME', METRIC_NAME, 255);
}

/** The mutable part of a web ACL, shared by CreateWebACL and UpdateWebACL; returns the rules' WCU total. */
export function validateWebAclBody(input: Input, scope: Scope): number {
  const defaultAction = requireMember(input, 'DefaultAction', 'DEFAULT_ACTION');
  const actionType = exactlyOne(defaultAction, 'DEFAULT_ACTION', 'DefaultAction');
  if (actionType !== 'Allow' && actionType !== 'Block') throw invalidParameter('DEFAULT_ACTION', actionType, REASON.invalidOption);
  validateRuleAction(defaultAction);
  if (input.Description !== undefined) checkString(input.Description, 'Description', 'WEB_ACL', DESCRIPTION, 256);
  validateVisibilityConfig(input.VisibilityConfig, 'WEB_ACL');
  for (const unsupported of ['DataProtectionConfig', 'OnSourceDDoSProtectionConfig', 'ApplicationConfig']) {
    if (input[unsupported] !== undefined) throw invalidParameter('WEB_ACL', unsupported, `palisade does not implement ${unsupported} yet`);
  }
  validateCustomResponseBodies(input.CustomResponseBodies);
  const capacity = validateRules(input.Rules ?? [], scope);
  checkResponseBodyKeys([defaultAction, ...(input.Rules ?? []).map((rule: Input) => rule.Action)], input.CustomResponseBodies);
  return capacity;
}

/**
 * Check that each Block action's CustomResponseBodyKey names one of the
 * CustomResponseBodies defined beside the rules, since a response body is
 * looked up there when the rule blocks.
 */
export function checkResponseBodyKeys(actions: (Input | undefined)[], bodies: Input | undefined): void {
  for (const action of actions) {
    const key = action?.Block?.CustomResponse?.CustomResponseBodyKey;
    if (key !== undefined && bodies?.[key] === undefined) throw invalidParameter('CUSTOM_RESPONSE', String(key), REASON.invalidOption);
  }
}

/** Rules of a web ACL or of CheckCapacity; returns their WCU total. */
export function validateRules(rules: unknown, _scope: Scope): number {
  if (!Array.isArray(rules)) throw invalidParameter('RULE', 'Rules', REASON.invalidFormat);
  const names = new Set<string>();
  const priorities = new Set<number>();
  let capacity = 0;
  for (const rule of rules as Input[]) {
    const name = requireString(rule, 'Name', 'RULE', ENTITY_NAME, 128);
    const priority = requireNonNegativeInteger(rule, 'Priority', 'RULE');
    if (names.has(name)) throw invalidParameter('RULE', name, REASON.duplicate);
    if (priorities.has(priority)) throw invalidParameter('RULE', String(priority), REASON.duplicate);
    names.add(name);
    priorities.add(priority);
    validateVisibilityConfig(rule.VisibilityConfig, 'RULE');
    capacity += validateStatement(requireMember(rule, 'Statement', 'STATEMENT'), true);
    validateRuleActions(rule);
    for (const label of rule.RuleLabels ?? []) checkString(label?.Name, 'Name', 'RULE', LABEL_NAME, 1024);
    if (rule.CaptchaConfig !== undefined || rule.ChallengeConfig !== undefined) {
      throw invalidParameter('RULE', 'CaptchaConfig', 'palisade does not implement CaptchaConfig or ChallengeConfig yet');
    }
  }
  return capacity;
}

/**
 * A rule with a managed rule group or rule group reference takes OverrideAction and no Action; any
 * other rule takes Action and no OverrideAction.
 */
function validateRuleActions(rule: Input): void {
  const managed = rule.Statement?.ManagedRuleGroupStatement !== undefined || rule.Statement?.RuleGroupReferenceStatement !== undefined;
  if (managed) {
    if (rule.Action !== undefined) throw invalidParameter('RULE_ACTION', 'Action', REASON.exactlyOne);
    // A rule group's own rules add the labels ("AWS WAF rules that add labels"), so the referencing rule cannot.
    if (rule.RuleLabels?.length) throw invalidParameter('RULE', 'RuleLabels', 'A rule that references a rule group cannot add labels.');
    const override = exactlyOne(requireMember(rule, 'OverrideAction', 'OVERRIDE_ACTION'), 'OVERRIDE_ACTION', 'OverrideAction');
    if (override !== 'Count' && override !== 'None') throw invalidParameter('OVERRIDE_ACTION', override, REASON.invalidOption);
    return;
  }
  if (rule.OverrideAction !== undefined) throw invalidParameter('OVERRIDE_ACTION', 'OverrideAction', REASON.exactlyOne);
  validateRuleAction(requireMember(rule, 'Action', 'RULE_ACTION'));
}

function validateCustomResponseBodies(bodies: Input | undefined): void {
  for (const [key, body] of Object.entries(bodies ?? {})) {
    checkString(key, 'CustomResponseBodies', 'CUSTOM_RESPONSE_BODY', ENTITY_NAME, 128);
    requireEnum(body as Input, 'ContentType', 'RESPONSE_CONTENT_TYPE', ['TEXT_PLAIN', 'TEXT_HTML', 'APPLICATION_JSON']);
    requireString(body as Input, 'Content', 'CUSTOM_RESPONSE_BODY', /[\s\S]/, 10240);
  }
}
