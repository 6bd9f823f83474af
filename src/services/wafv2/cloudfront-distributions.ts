import type { App } from '../../core/app.ts';

/**
 * CloudFront distributions that use a web ACL: CloudFront names it in the
 * distribution's WebACLId rather than through AssociateWebACL. Read with
 * CloudFront's own ListDistributions, in-process.
 */
export async function distributionsUsing(app: App, webAclArn: string): Promise<{ Id: string; ARN: string }[]> {
  if (!app.services.has('cloudfront')) return [];
  const found: { Id: string; ARN: string }[] = [];
  let marker: string | undefined;
  do {
    const { DistributionList: list } = await app.call('cloudfront', 'ListDistributions', marker ? { Marker: marker } : {});
    for (const item of list?.Items ?? []) if (item.WebACLId === webAclArn) found.push({ Id: item.Id, ARN: item.ARN });
    marker = list?.IsTruncated ? list.NextMarker : undefined;
  } while (marker);
  return found;
}
