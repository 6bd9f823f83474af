import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { lowerId, upperId } from '../../core/ids.ts';
import { parseArn } from '../../core/arn.ts';
import type { Operation } from '../../core/service.ts';
import { prepareDistributionConfig, type Config } from './config.ts';
import { markerPage } from './paging.ts';
import type { DistributionRecord, DistributionStore } from './store.ts';
import { readTags } from './tags.ts';

/** What the control plane needs from the local edges. */
export interface EdgeControl {
  /** Start, reconfigure or stop the distribution's edge to match its config; returns the record with its edge port set. */
  sync(record: DistributionRecord, config: Config): Promise<DistributionRecord>;
  remove(id: string): Promise<void>;
  invalidate(id: string, paths: string[]): number;
}

/** CloudFront's public API location, used in `Location` headers as CloudFront returns them. */
export const API_BASE = 'https://cloudfront.amazonaws.com/2020-05-31';

/** Ids and ETags look like `E2QWRUHAPOMQZL`: 14 upper-case alphanumerics starting with E. */
export function newCloudFrontId(prefix = 'E'): string {
  return prefix + upperId(13);
}

export function distributionOperations(app: App, store: DistributionStore, edges: EdgeControl): Record<string, Operation> {
  async function create(rawConfig: unknown, tags: { Key: string; Value?: string }[]) {
    const config = prepareDistributionConfig(rawConfig);
    checkWebAclId(config.WebACLId);
    const existing = store.list().find((record) => record.CallerReference === config.CallerReference);
    if (existing) {
      // CloudFront returns the original distribution for a repeated identical request (idempotent CallerReference).
      if (JSON.stringify(store.config(existing)) === JSON.stringify(config)) return createdOutput(existing, config);
      throw new AwsError('DistributionAlreadyExists', 'The caller reference you attempted to create the distribution with is associated with another distribution.', 409, { Id: existing.Id });
    }
    const id = newCloudFrontId();
    let record: DistributionRecord = {
      Id: id,
      ARN: `arn:aws:cloudfront::${app.accountId}:distribution/${id}`,
      DomainName: `d${lowerId(13)}.cloudfront.net`,
      Status: 'Deployed',
      LastModifiedTime: new Date().toISOString(),
      ETag: newCloudFrontId(),
      CallerReference: config.CallerReference,
      sealedConfig: store.seal(config),
      tags,
    };
    record = await edges.sync(record, config);
    store.put(record);
    return createdOutput(record, config);
  }

  function createdOutput(record: DistributionRecord, config: Config) {
    return { Distribution: distributionView(record, config), Location: `${API_BASE}/distribution/${record.Id}`, ETag: record.ETag };
  }

  return {
    async CreateDistribution(input) {
      if (input.DistributionConfigWithTags) return create(input.DistributionConfigWithTags.DistributionConfig, readTags(input.DistributionConfigWithTags.Tags));
      return create(input.DistributionConfig, []);
    },

    async CreateDistributionWithTags(input) {
      const withTags = input.DistributionConfigWithTags;
      if (!withTags) throw new AwsError('InvalidArgument', 'The parameter DistributionConfigWithTags is required.', 400);
      return create(withTags.DistributionConfig, readTags(withTags.Tags));
    },

    GetDistribution(input) {
      const record = store.get(input.Id);
      return { Distribution: distributionView(record, store.config(record)), ETag: record.ETag };
    },

    GetDistributionConfig(input) {
      const record = store.get(input.Id);
      return { DistributionConfig: store.config(record), ETag: record.ETag };
    },

    async UpdateDistribution(input) {
      const current = store.get(input.Id);
      checkIfMatch(input.IfMatch, current);
      const config = prepareDistributionConfig(input.DistributionConfig);
      checkWebAclId(config.WebACLId);
      if (config.CallerReference !== current.CallerReference) {
        throw new AwsError('IllegalUpdate', 'The update contains modifications that are not allowed: CallerReference cannot be changed.', 400);
      }
      // TODO: CloudFront shows Status InProgress for minutes after an update; the local edge applies it at once, so palisade stays Deployed.
      let record: DistributionRecord = {
        ...current,
        ETag: newCloudFrontId(),
        LastModifiedTime: new Date().toISOString(),
        sealedConfig: store.seal(config),
      };
      record = await edges.sync(record, config);
      store.put(record);
      return { Distribution: distributionView(record, config), ETag: record.ETag };
    },

    async DeleteDistribution(input) {
      const record = store.get(input.Id);
      checkIfMatch(input.IfMatch, record);
      if (store.config(record).Enabled) {
        throw new AwsError('DistributionNotDisabled', 'The distribution you are trying to delete has not been disabled.', 409);
      }
      await edges.remove(record.Id);
      store.delete(record.Id);
      return {};
    },

    ListDistributions(input) {
      return { DistributionList: markerPage(store.list(), input.Marker, input.MaxItems, (record) => distributionSummary(record, store.config(record))) };
    },
  };
}

/** If-Match carries the ETag of the version the caller read (API reference, UpdateDistribution and DeleteDistribution). */
function checkIfMatch(ifMatch: unknown, record: DistributionRecord): void {
  if (!ifMatch) throw new AwsError('InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.', 400);
  if (ifMatch !== record.ETag) {
    throw new AwsError('PreconditionFailed', 'The precondition given in one or more of the request-header fields evaluated to false.', 412);
  }
}

/** WebACLId is the ARN of a WAFv2 web ACL with CLOUDFRONT scope (its resource starts with `global/webacl/`). */
function checkWebAclId(webAclId: string): void {
  if (!webAclId) return;
  const arn = parseArn(webAclId);
  if (!arn || arn.service !== 'wafv2' || !arn.resource.startsWith('global/webacl/')) {
    // TODO: WAF Classic web ACL ids are accepted by CloudFront; palisade serves only WAFv2.
    throw new AwsError('InvalidWebACLId', `Web ACL is not accessible by the requester or does not exist: ${webAclId}. Use the ARN of a WAFv2 web ACL with CLOUDFRONT scope.`, 400);
  }
}

export function distributionView(record: DistributionRecord, config: Config) {
  return {
    Id: record.Id,
    ARN: record.ARN,
    Status: record.Status,
    LastModifiedTime: new Date(record.LastModifiedTime),
    InProgressInvalidationBatches: 0,
    DomainName: record.DomainName,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    DistributionConfig: config,
  };
}

function distributionSummary(record: DistributionRecord, config: Config) {
  return {
    Id: record.Id,
    ARN: record.ARN,
    ETag: record.ETag,
    Status: record.Status,
    LastModifiedTime: new Date(record.LastModifiedTime),
    DomainName: record.DomainName,
    Aliases: config.Aliases,
    Origins: config.Origins,
    OriginGroups: config.OriginGroups,
    DefaultCacheBehavior: config.DefaultCacheBehavior,
    CacheBehaviors: config.CacheBehaviors,
    CustomErrorResponses: config.CustomErrorResponses,
    Comment: config.Comment,
    PriceClass: config.PriceClass,
    Enabled: config.Enabled,
    ViewerCertificate: config.ViewerCertificate,
    Restrictions: config.Restrictions,
    WebACLId: config.WebACLId,
    HttpVersion: config.HttpVersion,
    IsIPV6Enabled: config.IsIPV6Enabled,
    Staging: config.Staging,
  };
}
