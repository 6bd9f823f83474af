import { formatArn } from '../../../core/arn.ts';
import { uuid } from '../../../core/ids.ts';
import type { RequestContext } from '../../../core/service.ts';
import type { Scope } from '../engine/types.ts';
import type { EntityKind, EntityRecord, EntityStore } from '../entity-store.ts';
import { duplicateItem, invalidParameter, nonexistentItem, optimisticLock, REASON } from '../errors.ts';
import { checkNotReferenced } from '../references.ts';
import { checkString, DESCRIPTION, ENTITY_ID, ENTITY_NAME, NON_BLANK, requireString, type Input } from '../validate-members.ts';
import { validateScope } from '../validate-web-acl.ts';
import type { WebAclStore } from '../web-acl-store.ts';
import { writeTags } from './tags.ts';

/** What differs between IP sets, regex pattern sets and rule groups; the Create/Get/Update/Delete/List flow is shared. */
export interface EntitySpec {
  kind: EntityKind;
  /** Operation noun: `IPSet`, `RegexPatternSet`, `RuleGroup`. */
  noun: string;
  /** ListXxx's output member: `IPSets`, `RegexPatternSets`, `RuleGroups`. */
  listMember: string;
  /** ParameterExceptionField of the resource: `IP_SET` ... */
  field: string;
  /** Validate the mutable members; `existing` is set on update. */
  body(input: Input, scope: Scope, ctx: RequestContext, existing?: EntityRecord): Record<string, any>;
  /** The resource structure of GetXxx. */
  output(record: EntityRecord): Record<string, any>;
}

export function entityArn(ctx: RequestContext, scope: Scope, kind: EntityKind, name: string, id: string): string {
  // CLOUDFRONT resources are global, kept in us-east-1.
  const region = scope === 'CLOUDFRONT' ? 'us-east-1' : ctx.region;
  return formatArn({ service: 'wafv2', region, accountId: ctx.accountId, resource: `${scope === 'CLOUDFRONT' ? 'global' : 'regional'}/${kind}/${name}/${id}` });
}

export function entityOperations(spec: EntitySpec, entities: EntityStore, webAcls: WebAclStore) {
  function find(input: Input, ctx: RequestContext): EntityRecord {
    if (input.ARN !== undefined) {
      const record = entities.get(String(input.ARN));
      if (!record || record.Kind !== spec.kind) throw nonexistentItem();
      return record;
    }
    const name = requireString(input, 'Name', spec.field, ENTITY_NAME, 128);
    const scope = validateScope(input, ctx);
    const id = requireString(input, 'Id', spec.field, ENTITY_ID, 36);
    const record = entities.get(entityArn(ctx, scope, spec.kind, name, id));
    if (!record) throw nonexistentItem();
    return record;
  }

  function checkLockToken(input: Input, record: EntityRecord): void {
    const token = requireString(input, 'LockToken', spec.field, ENTITY_ID, 36);
    if (token !== record.LockToken) throw optimisticLock();
  }

  function description(input: Input): string | undefined {
    if (input.Description !== undefined) checkString(input.Description, 'Description', spec.field, DESCRIPTION, 256);
    return input.Description;
  }

  return {
    [`Create${spec.noun}`](input: Input, ctx: RequestContext) {
      const name = requireString(input, 'Name', spec.field, ENTITY_NAME, 128);
      const scope = validateScope(input, ctx);
      const desc = description(input);
      const body = spec.body(input, scope, ctx);
      const arnPrefix = entityArn(ctx, scope, spec.kind, name, '');
      if (entities.list(spec.kind).some((record) => record.ARN.startsWith(arnPrefix))) throw duplicateItem();
      const id = uuid();
      const record: EntityRecord = { Kind: spec.kind, Name: name, Id: id, ARN: entityArn(ctx, scope, spec.kind, name, id), Scope: scope, Description: desc, LockToken: uuid(), Body: body };
      if (input.Tags !== undefined) writeTags(entities, record.ARN, input.Tags, []);
      entities.put(record);
      return { Summary: summary(record) };
    },

    [`Get${spec.noun}`](input: Input, ctx: RequestContext) {
      const record = find(input, ctx);
      return { [spec.noun]: spec.output(record), LockToken: record.LockToken };
    },

    [`Update${spec.noun}`](input: Input, ctx: RequestContext) {
      const record = find({ Name: input.Name, Scope: input.Scope, Id: input.Id }, ctx);
      const desc = description(input);
      const body = spec.body(input, record.Scope, ctx, record);
      checkLockToken(input, record);
      const updated: EntityRecord = { ...record, Description: desc, Body: body, LockToken: uuid() };
      entities.put(updated);
      return { NextLockToken: updated.LockToken };
    },

    [`Delete${spec.noun}`](input: Input, ctx: RequestContext) {
      const record = find({ Name: input.Name, Scope: input.Scope, Id: input.Id }, ctx);
      checkLockToken(input, record);
      checkNotReferenced(record.ARN, webAcls, entities);
      entities.delete(record.ARN);
      return {};
    },

    [`List${spec.listMember}`](input: Input, ctx: RequestContext) {
      const scope = validateScope(input, ctx);
      const limit = input.Limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidParameter(spec.field, 'Limit', REASON.invalidFormat);
      const all = entities.list(spec.kind).filter((record) => record.Scope === scope && record.ARN === entityArn(ctx, scope, spec.kind, record.Name, record.Id));
      let start = 0;
      if (input.NextMarker !== undefined) {
        requireString(input, 'NextMarker', spec.field, NON_BLANK, 256);
        start = all.findIndex((record) => record.Id === input.NextMarker);
        if (start < 0) throw invalidParameter(spec.field, 'NextMarker', REASON.invalidFormat);
      }
      const next = all[start + limit];
      return { [spec.listMember]: all.slice(start, start + limit).map(summary), ...(next ? { NextMarker: next.Id } : {}) };
    },
  };
}

function summary(record: EntityRecord) {
  return { Name: record.Name, Id: record.Id, Description: record.Description, LockToken: record.LockToken, ARN: record.ARN };
}
