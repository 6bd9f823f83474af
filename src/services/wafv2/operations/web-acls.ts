import { formatArn } from '../../../core/arn.ts';
import { uuid } from '../../../core/ids.ts';
import type { RequestContext } from '../../../core/service.ts';
import type { Rule, Scope } from '../engine/types.ts';
import { associatedItem, duplicateItem, invalidParameter, limitsExceeded, nonexistentItem, optimisticLock, REASON } from '../errors.ts';
import { ENTITY_ID, NON_BLANK, requireMember, requireString, type Input } from '../validate-members.ts';
import { validateName, validateScope, validateWebAclBody } from '../validate-web-acl.ts';
import type { WebAclRecord, WebAclStore } from '../web-acl-store.ts';
import type { EntityStore } from '../entity-store.ts';
import { checkReferences } from '../references.ts';
import { writeTags } from './tags.ts';

/** AWS's maximum web ACL capacity; above 1,500 WCU AWS charges more but still accepts the ACL. */
const MAX_WEB_ACL_CAPACITY = 5000;
/** Members of CreateWebACL that palisade stores and returns without acting on them. */
const STORED_MEMBERS = ['TokenDomains', 'AssociationConfig', 'CaptchaConfig', 'ChallengeConfig'];

export function webAclArn(ctx: RequestContext, scope: Scope, name: string, id: string): string {
  // CLOUDFRONT web ACLs are global resources, always in us-east-1.
  const region = scope === 'CLOUDFRONT' ? 'us-east-1' : ctx.region;
  const kind = scope === 'CLOUDFRONT' ? 'global' : 'regional';
  return formatArn({ service: 'wafv2', region, accountId: ctx.accountId, resource: `${kind}/webacl/${name}/${id}` });
}

export function webAclOperations(store: WebAclStore, entities?: EntityStore, usedByDistributions?: (webAclArn: string) => Promise<boolean>) {
  function find(input: Input, ctx: RequestContext): WebAclRecord {
    if (input.ARN !== undefined) {
      const record = store.get(String(input.ARN));
      if (!record) throw nonexistentItem();
      return record;
    }
    const name = validateName(input);
    const scope = validateScope(input, ctx);
    const id = requireString(input, 'Id', 'WEB_ACL', ENTITY_ID, 36);
    const record = store.get(webAclArn(ctx, scope, name, id));
    if (!record) throw nonexistentItem();
    return record;
  }

  function checkLockToken(input: Input, record: WebAclRecord): void {
    const token = requireString(input, 'LockToken', 'WEB_ACL', ENTITY_ID, 36);
    if (token !== record.LockToken) throw optimisticLock();
  }

  function writeBody(record: WebAclRecord, input: Input, capacity: number): void {
    record.DefaultAction = input.DefaultAction;
    record.Description = input.Description;
    record.VisibilityConfig = input.VisibilityConfig;
    record.CustomResponseBodies = input.CustomResponseBodies;
    record.Capacity = capacity;
    record.SealedRules = store.sealRules((input.Rules ?? []) as Rule[]);
    record.Extra = Object.fromEntries(STORED_MEMBERS.filter((member) => input[member] !== undefined).map((member) => [member, input[member]]));
  }

  function validateBody(input: Input, scope: Scope): number {
    const capacity = validateWebAclBody(input, scope) + (entities ? checkReferences((input.Rules ?? []) as Rule[], scope, entities) : 0);
    if (capacity > MAX_WEB_ACL_CAPACITY) throw limitsExceeded();
    return capacity;
  }

  return {
    CreateWebACL(input: Input, ctx: RequestContext) {
      const name = validateName(input);
      const scope = validateScope(input, ctx);
      const capacity = validateBody(input, scope);
      if (store.list().some((record) => record.Name === name && record.Scope === scope && record.ARN.includes(`:${ctx.accountId}:`))) {
        throw duplicateItem();
      }
      const id = uuid();
      const record: WebAclRecord = {
        Name: name,
        Id: id,
        ARN: webAclArn(ctx, scope, name, id),
        Scope: scope,
        LockToken: uuid(),
        LabelNamespace: `awswaf:${ctx.accountId}:webacl:${name}:`,
      } as WebAclRecord;
      writeBody(record, input, capacity);
      if (entities && input.Tags !== undefined) writeTags(entities, record.ARN, input.Tags, []);
      store.put(record);
      return { Summary: summary(record) };
    },

    GetWebACL(input: Input, ctx: RequestContext) {
      const record = find(input, ctx);
      return { WebACL: webAclOutput(record, store), LockToken: record.LockToken };
    },

    UpdateWebACL(input: Input, ctx: RequestContext) {
      const record = find({ Name: input.Name, Scope: input.Scope, Id: input.Id }, ctx);
      const capacity = validateBody(input, record.Scope);
      checkLockToken(input, record);
      writeBody(record, input, capacity);
      record.LockToken = uuid();
      store.put(record);
      return { NextLockToken: record.LockToken };
    },

    async DeleteWebACL(input: Input, ctx: RequestContext) {
      const record = find({ Name: input.Name, Scope: input.Scope, Id: input.Id }, ctx);
      checkLockToken(input, record);
      if (store.associations().some((association) => association.WebACLArn === record.ARN)) throw associatedItem();
      // CloudFront distributions reference a web ACL through their WebACLId.
      if (usedByDistributions && (await usedByDistributions(record.ARN))) throw associatedItem();
      store.delete(record.ARN);
      entities?.deleteTags(record.ARN);
      return {};
    },

    ListWebACLs(input: Input, ctx: RequestContext) {
      const scope = validateScope(input, ctx);
      const limit = input.Limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidParameter('WEB_ACL', 'Limit', REASON.invalidFormat);
      const all = store.list().filter((record) => record.Scope === scope && webAclArn(ctx, scope, record.Name, record.Id) === record.ARN);
      let start = 0;
      if (input.NextMarker !== undefined) {
        requireString(input, 'NextMarker', 'WEB_ACL', NON_BLANK, 256);
        start = all.findIndex((record) => record.Id === input.NextMarker);
        if (start < 0) throw invalidParameter('WEB_ACL', 'NextMarker', REASON.invalidFormat);
      }
      const page = all.slice(start, start + limit);
      const next = all[start + limit];
      return { WebACLs: page.map(summary), ...(next ? { NextMarker: next.Id } : {}) };
    },
  };
}

function summary(record: WebAclRecord) {
  return { Name: record.Name, Id: record.Id, Description: record.Description, LockToken: record.LockToken, ARN: record.ARN };
}

/** The WebACL structure of GetWebACL and GetWebACLForResource. */
export function webAclOutput(record: WebAclRecord, store: WebAclStore) {
  return {
    Name: record.Name,
    Id: record.Id,
    ARN: record.ARN,
    DefaultAction: record.DefaultAction,
    Description: record.Description,
    Rules: store.rules(record),
    VisibilityConfig: record.VisibilityConfig,
    Capacity: record.Capacity,
    ManagedByFirewallManager: false,
    LabelNamespace: record.LabelNamespace,
    CustomResponseBodies: record.CustomResponseBodies,
    RetrofittedByFirewallManager: false,
    ...record.Extra,
  };
}

export { requireMember };
