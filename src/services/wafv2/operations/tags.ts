import type { RequestContext } from '../../../core/service.ts';
import type { EntityStore, Tag } from '../entity-store.ts';
import { invalidParameter, limitsExceeded, nonexistentItem, REASON } from '../errors.ts';
import { NON_BLANK, requireMember, requireString, type Input } from '../validate-members.ts';
import type { WebAclStore } from '../web-acl-store.ts';

/** AWS allows 50 tags per resource (AWS WAF quotas). */
const MAX_TAGS = 50;
const TAG_TEXT = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

function validateTags(tags: unknown): Tag[] {
  if (!Array.isArray(tags) || tags.length < 1) throw invalidParameter('TAGS', 'Tags', REASON.invalidFormat);
  for (const tag of tags as Input[]) {
    const key = tag?.Key;
    const value = tag?.Value;
    if (typeof key !== 'string' || key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) throw invalidParameter('TAGS', String(key), REASON.invalidFormat);
    if (typeof value !== 'string' || value.length > 256 || !TAG_TEXT.test(value)) throw invalidParameter('TAGS', String(key), REASON.invalidFormat);
    // Keys starting with `aws:` are reserved for AWS's own tags.
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('TAGS', key, REASON.invalidFormat);
  }
  return tags as Tag[];
}

/** Merge new tags over the existing ones (a key's new value replaces its old one). */
export function writeTags(entities: EntityStore, arn: string, tags: unknown, existing: Tag[]): void {
  const merged = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of validateTags(tags)) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS) throw limitsExceeded();
  entities.putTags(arn, [...merged].map(([Key, Value]) => ({ Key, Value })));
}

export function tagOperations(entities: EntityStore, webAcls: WebAclStore) {
  function requireResource(input: Input): string {
    const arn = requireString(input, 'ResourceARN', 'RESOURCE_ARN', NON_BLANK, 2048);
    if (!webAcls.get(arn) && !entities.get(arn)) throw nonexistentItem();
    return arn;
  }

  return {
    TagResource(input: Input, _ctx: RequestContext) {
      const arn = requireResource(input);
      writeTags(entities, arn, requireMember(input, 'Tags', 'TAGS'), entities.tags(arn));
      return {};
    },

    UntagResource(input: Input, _ctx: RequestContext) {
      const arn = requireResource(input);
      const keys = requireMember(input, 'TagKeys', 'TAG_KEYS');
      if (!Array.isArray(keys) || keys.length < 1) throw invalidParameter('TAG_KEYS', 'TagKeys', REASON.invalidFormat);
      entities.putTags(arn, entities.tags(arn).filter((tag) => !keys.includes(tag.Key)));
      return {};
    },

    ListTagsForResource(input: Input, _ctx: RequestContext) {
      const arn = requireResource(input);
      // TODO: NextMarker and Limit are accepted but every tag fits one page (at most 50).
      return { TagInfoForResource: { ResourceARN: arn, TagList: entities.tags(arn) } };
    },
  };
}
