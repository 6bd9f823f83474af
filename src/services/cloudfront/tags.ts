import { AwsError } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import type { DistributionRecord, DistributionStore } from './store.ts';

type Tag = { Key: string; Value?: string };

/** Tags from a `Tags` structure ({Items: [{Key, Value}]}), checked as CloudFront checks them. */
export function readTags(tags: { Items?: Tag[] } | undefined): Tag[] {
  const items = tags?.Items ?? [];
  for (const tag of items) {
    if (!tag.Key) throw new AwsError('InvalidTagging', 'A tag key is missing.', 400);
  }
  return items.map((tag) => ({ Key: tag.Key, Value: tag.Value ?? '' }));
}

export function tagOperations(store: DistributionStore): Record<string, Operation> {
  function resource(arn: unknown): DistributionRecord {
    const record = store.list().find((candidate) => candidate.ARN === arn);
    if (!record) throw new AwsError('NoSuchResource', `The resource ${String(arn)} does not exist.`, 404);
    return record;
  }

  const operations: Record<string, Operation> = {
    TagResource(input) {
      // POST /2020-05-31/tagging serves both TagResource (?Operation=Tag) and UntagResource (?Operation=Untag).
      if (input.Operation === 'Untag') return operations.UntagResource(input, undefined as never);
      const record = resource(input.Resource);
      const byKey = new Map(record.tags.map((tag) => [tag.Key, tag]));
      for (const tag of readTags(input.Tags)) byKey.set(tag.Key, tag);
      store.put({ ...record, tags: [...byKey.values()] });
      return {};
    },

    UntagResource(input) {
      const record = resource(input.Resource);
      const remove = new Set<string>(input.TagKeys?.Items ?? []);
      store.put({ ...record, tags: record.tags.filter((tag) => !remove.has(tag.Key)) });
      return {};
    },

    ListTagsForResource(input) {
      return { Tags: { Items: resource(input.Resource).tags } };
    },
  };
  return operations;
}
