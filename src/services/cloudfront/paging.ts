import { AwsError } from '../../core/errors.ts';

/** Parse a list operation's MaxItems: 100 when absent, as the CloudFront API reference gives. */
export function parseMaxItems(value: unknown): number {
  if (value === undefined || value === '') return 100;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new AwsError('InvalidArgument', `MaxItems must be a positive integer, not ${String(value)}.`, 400);
  return number;
}

/**
 * Build the body of a CloudFront list (DistributionList, InvalidationList):
 * the page after the item whose Id is `marker`, with NextMarker naming the
 * last item of a truncated page.
 */
export function markerPage<T extends { Id: string }, Item>(all: T[], marker: unknown, maxItemsValue: unknown, item: (entry: T) => Item) {
  const maxItems = parseMaxItems(maxItemsValue);
  const start = marker ? all.findIndex((entry) => entry.Id === marker) + 1 : 0;
  const page = all.slice(start, start + maxItems);
  const truncated = start + maxItems < all.length;
  return {
    Marker: typeof marker === 'string' ? marker : '',
    NextMarker: truncated ? page[page.length - 1].Id : undefined,
    MaxItems: maxItems,
    IsTruncated: truncated,
    Quantity: page.length,
    Items: page.map(item),
  };
}
