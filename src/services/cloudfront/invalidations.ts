import { AwsError } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { readShape } from './xml-shapes.ts';
import { API_BASE, newCloudFrontId, type EdgeControl } from './distributions.ts';
import { markerPage } from './paging.ts';
import type { DistributionStore, InvalidationRecord } from './store.ts';

export function invalidationOperations(store: DistributionStore, edges: EdgeControl): Record<string, Operation> {
  return {
    CreateInvalidation(input) {
      const distribution = store.get(input.DistributionId);
      const batch = readBatch(input.InvalidationBatch);
      const repeated = store.invalidations(distribution.Id).find((previous) => previous.InvalidationBatch.CallerReference === batch.CallerReference);
      if (repeated) {
        // A repeated CallerReference with the same paths returns the original invalidation (API reference, InvalidationBatch).
        if (JSON.stringify(repeated.InvalidationBatch.Paths.Items) !== JSON.stringify(batch.Paths.Items)) {
          throw new AwsError('InvalidArgument', 'The CallerReference was used before for an invalidation batch with other paths.', 400);
        }
        return { Invalidation: invalidationView(repeated), Location: location(repeated) };
      }
      // The local edge clears its cache synchronously, so the batch is complete when this returns.
      edges.invalidate(distribution.Id, batch.Paths.Items);
      const invalidation: InvalidationRecord = {
        Id: newCloudFrontId('I'),
        DistributionId: distribution.Id,
        Status: 'Completed',
        CreateTime: new Date().toISOString(),
        InvalidationBatch: batch,
      };
      store.putInvalidation(invalidation);
      // CloudFront answers a new batch with Status InProgress; GetInvalidation then shows Completed.
      return { Invalidation: { ...invalidationView(invalidation), Status: 'InProgress' }, Location: location(invalidation) };
    },

    GetInvalidation(input) {
      store.get(input.DistributionId);
      const invalidation = store.findInvalidation(input.DistributionId, input.Id);
      if (!invalidation) throw new AwsError('NoSuchInvalidation', 'The specified invalidation does not exist.', 404);
      return { Invalidation: invalidationView(invalidation) };
    },

    ListInvalidations(input) {
      store.get(input.DistributionId);
      // Most recent first, as the API reference describes ListInvalidations.
      const all = store.invalidations(input.DistributionId).reverse();
      const item = (invalidation: (typeof all)[number]) => ({ Id: invalidation.Id, CreateTime: new Date(invalidation.CreateTime), Status: invalidation.Status });
      return { InvalidationList: markerPage(all, input.Marker, input.MaxItems, item) };
    },
  };
}

function readBatch(raw: unknown): InvalidationRecord['InvalidationBatch'] {
  if (!raw) throw new AwsError('MissingBody', 'This operation requires a body. Ensure that the body is present and the Content-Type header is set.', 400);
  const batch = readShape(raw, 'InvalidationBatch', 'InvalidationBatch') as { Paths?: { Quantity?: number; Items?: string[] }; CallerReference?: string };
  if (!batch.CallerReference) throw new AwsError('InvalidArgument', 'The parameter CallerReference is required.', 400);
  const items = batch.Paths?.Items ?? [];
  if (batch.Paths?.Quantity !== items.length) throw new AwsError('InconsistentQuantities', "The value of Quantity and the size of Items don't match.", 400);
  if (items.length === 0) throw new AwsError('InvalidArgument', 'The parameter Paths must contain at least one path.', 400);
  for (const path of items) {
    // Paths start with / and may end with a single * wildcard (Developer Guide, "Specifying the objects to invalidate").
    if (!path.startsWith('/') || path.slice(0, -1).includes('*')) {
      throw new AwsError('InvalidArgument', `Your request contains one or more invalid invalidation paths: ${path}`, 400);
    }
  }
  return { Paths: { Quantity: items.length, Items: items }, CallerReference: batch.CallerReference };
}

function invalidationView(invalidation: InvalidationRecord) {
  return {
    Id: invalidation.Id,
    Status: invalidation.Status,
    CreateTime: new Date(invalidation.CreateTime),
    InvalidationBatch: invalidation.InvalidationBatch,
  };
}

function location(invalidation: InvalidationRecord): string {
  return `${API_BASE}/distribution/${invalidation.DistributionId}/invalidation/${invalidation.Id}`;
}
