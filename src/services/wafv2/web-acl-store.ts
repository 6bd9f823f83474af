import type { App } from '../../core/app.ts';
import type { Rule, WebAclDefinition } from './engine/types.ts';

/**
 * Web ACLs and their associations, kept in app.store. Rules are sealed at
 * rest because string match statements hold secrets (the lab's
 * X-Origin-Verify value is one).
 */
export interface WebAclRecord extends Omit<WebAclDefinition, 'Rules'> {
  Id: string;
  Description?: string;
  Capacity: number;
  LockToken: string;
  SealedRules: string;
  /** Members AWS stores and returns unchanged (TokenDomains, AssociationConfig ...). */
  Extra: Record<string, unknown>;
}

export interface Association {
  ResourceArn: string;
  WebACLArn: string;
}

const SERVICE = 'wafv2';

export class WebAclStore {
  private readonly definitions = new Map<string, { lockToken: string; definition: WebAclDefinition }>();

  constructor(private readonly app: App) {}

  get(arn: string): WebAclRecord | undefined {
    return this.app.store.get<WebAclRecord>(SERVICE, 'webacl', arn);
  }

  put(record: WebAclRecord): void {
    this.app.store.put(SERVICE, 'webacl', record.ARN, record);
  }

  delete(arn: string): void {
    this.app.store.delete(SERVICE, 'webacl', arn);
  }

  list(): WebAclRecord[] {
    return this.app.store.list<WebAclRecord>(SERVICE, 'webacl');
  }

  sealRules(rules: Rule[]): string {
    return this.app.store.seal(JSON.stringify(rules));
  }

  rules(record: WebAclRecord): Rule[] {
    return JSON.parse(this.app.store.openString(record.SealedRules)) as Rule[];
  }

  /**
   * The web ACL as the engine evaluates it. Definitions are cached per ARN
   * and LockToken (every update issues a new token), so the rules are
   * unsealed, parsed and compiled once per web ACL version, not per request.
   */
  definition(record: WebAclRecord): WebAclDefinition {
    const cached = this.definitions.get(record.ARN);
    if (cached && cached.lockToken === record.LockToken) return cached.definition;
    const definition = { ...record, Rules: this.rules(record) };
    this.definitions.set(record.ARN, { lockToken: record.LockToken, definition });
    return definition;
  }

  association(resourceArn: string): Association | undefined {
    return this.app.store.get<Association>(SERVICE, 'association', resourceArn);
  }

  associations(): Association[] {
    return this.app.store.list<Association>(SERVICE, 'association');
  }

  associate(association: Association): void {
    this.app.store.put(SERVICE, 'association', association.ResourceArn, association);
  }

  disassociate(resourceArn: string): void {
    this.app.store.delete(SERVICE, 'association', resourceArn);
  }
}
