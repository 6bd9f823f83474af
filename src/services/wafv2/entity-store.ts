import type { App } from '../../core/app.ts';
import type { Scope } from './engine/types.ts';

/** The WAFv2 resources besides web ACLs, as their ARNs spell them: `regional/ipset/<name>/<id>`. */
export type EntityKind = 'ipset' | 'regexpatternset' | 'rulegroup';

/** An IP set, regex pattern set or rule group: identity, LockToken and the kind's own members. */
export interface EntityRecord {
  Kind: EntityKind;
  Name: string;
  Id: string;
  ARN: string;
  Scope: Scope;
  Description?: string;
  LockToken: string;
  /** IPAddressVersion + Addresses, RegularExpressionList, or the rule group's members. */
  Body: Record<string, any>;
}

export interface Tag {
  Key: string;
  Value: string;
}

const SERVICE = 'wafv2';

export class EntityStore {
  constructor(private readonly app: App) {}

  get(arn: string): EntityRecord | undefined {
    const record = this.app.store.get<EntityRecord>(SERVICE, 'entity', arn);
    if (record?.Kind === 'rulegroup' && typeof record.Body.SealedRules === 'string') {
      // Rule group rules are sealed for the same reason as web ACL rules: match statements can hold shared secrets.
      return { ...record, Body: { ...record.Body, Rules: JSON.parse(this.app.store.openString(record.Body.SealedRules)) } };
    }
    return record;
  }

  put(record: EntityRecord): void {
    const stored =
      record.Kind === 'rulegroup'
        ? { ...record, Body: { ...record.Body, Rules: undefined, SealedRules: this.app.store.seal(JSON.stringify(record.Body.Rules ?? [])) } }
        : record;
    this.app.store.put(SERVICE, 'entity', record.ARN, stored);
  }

  delete(arn: string): void {
    this.app.store.delete(SERVICE, 'entity', arn);
    this.app.store.delete(SERVICE, 'tags', arn);
  }

  list(kind: EntityKind): EntityRecord[] {
    return this.app.store.list<EntityRecord>(SERVICE, 'entity').filter((record) => record.Kind === kind);
  }

  tags(arn: string): Tag[] {
    return this.app.store.get<{ Tags: Tag[] }>(SERVICE, 'tags', arn)?.Tags ?? [];
  }

  putTags(arn: string, tags: Tag[]): void {
    this.app.store.put(SERVICE, 'tags', arn, { Tags: tags });
  }

  deleteTags(arn: string): void {
    this.app.store.delete(SERVICE, 'tags', arn);
  }
}
