import { associatedItem, invalidParameter, REASON, unavailableEntity } from './errors.ts';
import type { Rule, Scope, Statement, WebAclDefinition } from './engine/types.ts';
import type { EntityKind, EntityRecord, EntityStore } from './entity-store.ts';
import type { WebAclStore } from './web-acl-store.ts';

/** Reference statement → the kind of resource its ARN names. */
const REFERENCE_KINDS: Record<string, EntityKind> = {
  IPSetReferenceStatement: 'ipset',
  RegexPatternSetReferenceStatement: 'regexpatternset',
  RuleGroupReferenceStatement: 'rulegroup',
};

/** Every statement in a tree, depth first: nested logical, Not, rate-based and managed scope-down statements included. */
export function* statementsIn(statement: Statement | undefined): Generator<[string, any]> {
  if (!statement) return;
  for (const [type, body] of Object.entries(statement)) {
    yield [type, body];
    for (const nested of body?.Statements ?? []) yield* statementsIn(nested);
    yield* statementsIn(body?.Statement);
    yield* statementsIn(body?.ScopeDownStatement);
  }
}

/** ARNs of the IP sets, regex pattern sets and rule groups rules reference. */
export function referencedArns(rules: Rule[]): string[] {
  const arns: string[] = [];
  for (const rule of rules) for (const [type, body] of statementsIn(rule.Statement)) if (REFERENCE_KINDS[type]) arns.push(String(body.ARN));
  return arns;
}

/**
 * Check that every referenced resource exists, has the right kind and the
 * same scope, and that a rule group's ExcludedRules and RuleActionOverrides
 * name its rules. Returns the referenced rule groups' capacity, which a
 * RuleGroupReferenceStatement costs (CheckCapacity, "rule group capacity").
 */
export function checkReferences(rules: Rule[], scope: Scope, entities: EntityStore): number {
  let capacity = 0;
  for (const rule of rules) {
    for (const [type, body] of statementsIn(rule.Statement)) {
      const kind = REFERENCE_KINDS[type];
      if (!kind) continue;
      const record = entities.get(String(body.ARN));
      // A reference AWS cannot resolve is WAFUnavailableEntityException (CreateWebACL, CreateRuleGroup, CheckCapacity).
      if (!record || record.Kind !== kind) throw unavailableEntity();
      if (record.Scope !== scope) throw invalidParameter('RESOURCE_ARN', String(body.ARN), REASON.invalidOption);
      if (kind === 'rulegroup') {
        checkGroupRuleNames(body, record);
        capacity += record.Body.Capacity;
      }
    }
  }
  return capacity;
}

function checkGroupRuleNames(body: any, group: EntityRecord): void {
  const names = new Set((group.Body.Rules as Rule[]).map((rule) => rule.Name));
  for (const excluded of body.ExcludedRules ?? []) {
    if (!names.has(excluded?.Name)) throw invalidParameter('EXCLUDED_RULE', String(excluded?.Name), REASON.invalidOption);
  }
  for (const override of body.RuleActionOverrides ?? []) {
    if (!names.has(override?.Name)) throw invalidParameter('RULE', String(override?.Name), REASON.invalidOption);
  }
}

/** WAFAssociatedItemException when a web ACL or rule group still references the resource (DeleteIPSet, DeleteRuleGroup ...). */
export function checkNotReferenced(arn: string, webAcls: WebAclStore, entities: EntityStore): void {
  const inAcl = webAcls.list().some((record) => referencedArns(webAcls.rules(record)).includes(arn));
  const inGroup = entities.list('rulegroup').some((record) => record.ARN !== arn && referencedArns(entities.get(record.ARN)!.Body.Rules).includes(arn));
  if (inAcl || inGroup) throw associatedItem();
}

/**
 * The web ACL as the engine evaluates it: each reference statement carries
 * the current contents of what it names (IP set addresses, regular
 * expressions, rule group rules), read at request time so updates apply at
 * once. A reference whose resource vanished fails closed.
 */
export function resolveReferences(acl: WebAclDefinition, entities: EntityStore): WebAclDefinition {
  const referencing = referencingRules(acl.Rules);
  if (!referencing.includes(true)) return acl;
  // Rules without references keep their objects, so their compiled matchers and caches stay valid.
  return { ...acl, Rules: acl.Rules.map((rule, i) => (referencing[i] ? { ...rule, Statement: resolveStatement(rule.Statement, entities) } : rule)) };
}

const referencingByRules = new WeakMap<Rule[], boolean[]>();

/** Tell, for each rule, whether it references an IP set, regex pattern set or rule group; once per rules array. */
function referencingRules(rules: Rule[]): boolean[] {
  let referencing = referencingByRules.get(rules);
  if (!referencing) {
    referencing = rules.map((rule) => referencedArns([rule]).length > 0);
    referencingByRules.set(rules, referencing);
  }
  return referencing;
}

function resolveStatement(statement: Statement, entities: EntityStore): Statement {
  const [type] = Object.keys(statement);
  const body = statement[type];
  const kind = REFERENCE_KINDS[type];
  if (kind) {
    const record = entities.get(String(body.ARN));
    if (!record || record.Kind !== kind) throw new Error(`${type} names ${String(body.ARN)}, which no longer exists`);
    if (kind === 'ipset') return { [type]: { ...body, IPAddressVersion: record.Body.IPAddressVersion, Addresses: record.Body.Addresses } };
    if (kind === 'regexpatternset') return { [type]: { ...body, RegularExpressionList: record.Body.RegularExpressionList } };
    const rules = (record.Body.Rules as Rule[]).map((rule) => ({ ...rule, Statement: resolveStatement(rule.Statement, entities) }));
    return { [type]: { ...body, Rules: rules, LabelNamespace: record.Body.LabelNamespace, GroupName: record.Name, CustomResponseBodies: record.Body.CustomResponseBodies } };
  }
  const resolved = { ...body };
  if (Array.isArray(body?.Statements)) resolved.Statements = body.Statements.map((nested: Statement) => resolveStatement(nested, entities));
  if (body?.Statement) resolved.Statement = resolveStatement(body.Statement, entities);
  if (body?.ScopeDownStatement) resolved.ScopeDownStatement = resolveStatement(body.ScopeDownStatement, entities);
  return { [type]: resolved };
}
