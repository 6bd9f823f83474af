import { isIPv6 } from 'node:net';
import { AwsError } from '../../../core/errors.ts';
import type { RequestContext } from '../../../core/service.ts';
import { rateKeyPrefix, SHARED_RATE_TRACKER } from '../engine/evaluate.ts';
import { DEFAULT_EVALUATION_WINDOW_SEC, type RateTracker } from '../engine/rate-based.ts';
import type { Rule, Statement } from '../engine/types.ts';
import { nonexistentItem } from '../errors.ts';
import type { EntityStore } from '../entity-store.ts';
import { ENTITY_ID, ENTITY_NAME, requireString, type Input } from '../validate-members.ts';
import { validateScope } from '../validate-web-acl.ts';
import type { WebAclStore } from '../web-acl-store.ts';
import { webAclArn } from './web-acls.ts';

/** Addresses listed per rule instance at most (API Reference, GetRateBasedStatementManagedKeys). */
const MAX_MANAGED_KEYS = 10_000;

function unsupportedAggregateKeyType(ruleName: string, keyType: string): AwsError {
  return new AwsError(
    'WAFUnsupportedAggregateKeyTypeException',
    `Rate-based rule ${ruleName} aggregates on ${keyType}: managed keys are listed only for AggregateKeyType IP or FORWARDED_IP.`,
    400,
  );
}

/**
 * GetRateBasedStatementManagedKeys: the addresses a rate-based rule
 * instance is rate limiting now, for rules that aggregate on IP or
 * FORWARDED_IP only. A rule inside a rule group is named by the rule group
 * reference (RuleGroupRuleName) and the rule within the group (RuleName).
 */
export function rateBasedKeyOperations(store: WebAclStore, entities: EntityStore, tracker: RateTracker = SHARED_RATE_TRACKER) {
  return {
    GetRateBasedStatementManagedKeys(input: Input, ctx: RequestContext) {
      const scope = validateScope(input, ctx);
      const name = requireString(input, 'WebACLName', 'WEB_ACL', ENTITY_NAME, 128);
      const id = requireString(input, 'WebACLId', 'WEB_ACL', ENTITY_ID, 36);
      const ruleName = requireString(input, 'RuleName', 'RULE', ENTITY_NAME, 128);
      const groupRuleName = input.RuleGroupRuleName === undefined ? undefined : requireString(input, 'RuleGroupRuleName', 'RULE', ENTITY_NAME, 128);
      const record = store.get(webAclArn(ctx, scope, name, id));
      if (!record) throw nonexistentItem();
      const rules = store.rules(record);
      const statement = groupRuleName === undefined ? rateBasedIn(rules, ruleName) : rateBasedInGroup(rules, groupRuleName, ruleName, entities);
      if (statement.AggregateKeyType !== 'IP' && statement.AggregateKeyType !== 'FORWARDED_IP') throw unsupportedAggregateKeyType(ruleName, String(statement.AggregateKeyType));
      const prefix = groupRuleName === undefined ? rateKeyPrefix(record.ARN, ruleName) : rateKeyPrefix(record.ARN, groupRuleName, ruleName);
      const window = statement.EvaluationWindowSec ?? DEFAULT_EVALUATION_WINDOW_SEC;
      const addresses = tracker.keysOver(prefix, statement.Limit, window, Date.now()).slice(0, MAX_MANAGED_KEYS);
      const v6 = addresses.filter((address) => isIPv6(address));
      const v4 = addresses.filter((address) => !isIPv6(address));
      return {
        ManagedKeysIPV4: { IPAddressVersion: 'IPV4', Addresses: v4.map((address) => `${address}/32`) },
        ManagedKeysIPV6: { IPAddressVersion: 'IPV6', Addresses: v6.map((address) => `${address}/128`) },
      };
    },
  };
}

function rateBasedIn(rules: Rule[], ruleName: string): Statement {
  const statement = rules.find((rule) => rule.Name === ruleName)?.Statement.RateBasedStatement;
  if (!statement) throw nonexistentItem();
  return statement;
}

function rateBasedInGroup(rules: Rule[], groupRuleName: string, ruleName: string, entities: EntityStore): Statement {
  const reference = rules.find((rule) => rule.Name === groupRuleName)?.Statement.RuleGroupReferenceStatement;
  if (!reference) throw nonexistentItem();
  const group = entities.get(String(reference.ARN));
  if (!group) throw nonexistentItem();
  return rateBasedIn(group.Body.Rules as Rule[], ruleName);
}
