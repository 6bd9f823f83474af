import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError } from '../../../core/errors.ts';
import { uuid } from '../../../core/ids.ts';
import { compact, toBoolean, toNumber, type ResourceProvisioner } from './types.ts';

/**
 * CloudFormation's DistributionConfig writes lists plainly (`Origins: [..]`)
 * where the CloudFront API wraps them as `{Quantity, Items}` and renames a few
 * members (OriginCustomHeaders → CustomHeaders, IPV6Enabled → IsIPV6Enabled);
 * see "AWS::CloudFront::Distribution DistributionConfig" and the
 * CreateDistribution API reference.
 */
function quantity<T>(items: T[] | undefined): { Quantity: number; Items?: T[] } {
  const list = items ?? [];
  return list.length > 0 ? { Quantity: list.length, Items: list } : { Quantity: 0 };
}

const CONFIG_MEMBERS = ['Aliases', 'CacheBehaviors', 'Comment', 'CustomErrorResponses', 'DefaultCacheBehavior', 'DefaultRootObject', 'Enabled', 'HttpVersion', 'IPV6Enabled', 'Logging', 'Origins', 'PriceClass', 'Restrictions', 'ViewerCertificate', 'WebACLId', 'Staging', 'ContinuousDeploymentPolicyId'];
const LEGACY_MEMBERS = ['CNAMEs', 'CustomOrigin', 'S3Origin', 'OriginGroups', 'ConnectionMode', 'TenantConfig', 'AnycastIpListId'];

function checkMembers(where: string, value: Record<string, unknown>, allowed: string[]): void {
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) throw new AwsError('ValidationError', `palisade does not support property ${where}.${name} of AWS::CloudFront::Distribution`);
  }
}

function origin(value: Record<string, any>) {
  checkMembers('Origins', value, ['Id', 'DomainName', 'OriginPath', 'ConnectionAttempts', 'ConnectionTimeout', 'CustomOriginConfig', 'S3OriginConfig', 'OriginCustomHeaders', 'OriginShield', 'OriginAccessControlId']);
  const custom = value.CustomOriginConfig as Record<string, any> | undefined;
  return compact({
    Id: value.Id,
    DomainName: value.DomainName,
    OriginPath: value.OriginPath ?? '',
    CustomHeaders: quantity(((value.OriginCustomHeaders ?? []) as Record<string, unknown>[]).map((header) => ({ HeaderName: header.HeaderName, HeaderValue: header.HeaderValue }))),
    S3OriginConfig: value.S3OriginConfig ? { OriginAccessIdentity: value.S3OriginConfig.OriginAccessIdentity ?? '' } : undefined,
    CustomOriginConfig: custom
      ? compact({
          HTTPPort: toNumber(custom.HTTPPort) ?? 80,
          HTTPSPort: toNumber(custom.HTTPSPort) ?? 443,
          OriginProtocolPolicy: custom.OriginProtocolPolicy,
          OriginSslProtocols: quantity(custom.OriginSSLProtocols ?? ['TLSv1', 'SSLv3']),
          OriginReadTimeout: toNumber(custom.OriginReadTimeout) ?? 30,
          OriginKeepaliveTimeout: toNumber(custom.OriginKeepaliveTimeout) ?? 5,
        })
      : undefined,
    ConnectionAttempts: toNumber(value.ConnectionAttempts) ?? 3,
    ConnectionTimeout: toNumber(value.ConnectionTimeout) ?? 10,
    OriginShield: value.OriginShield ? compact({ Enabled: toBoolean(value.OriginShield.Enabled), OriginShieldRegion: value.OriginShield.OriginShieldRegion }) : undefined,
    OriginAccessControlId: value.OriginAccessControlId,
  });
}

function cacheBehavior(where: string, value: Record<string, any>) {
  checkMembers(where, value, ['PathPattern', 'AllowedMethods', 'CachedMethods', 'CachePolicyId', 'Compress', 'DefaultTTL', 'MaxTTL', 'MinTTL', 'ForwardedValues', 'OriginRequestPolicyId', 'ResponseHeadersPolicyId', 'SmoothStreaming', 'TargetOriginId', 'TrustedSigners', 'TrustedKeyGroups', 'ViewerProtocolPolicy', 'FieldLevelEncryptionId', 'RealtimeLogConfigArn']);
  const allowed = (value.AllowedMethods ?? ['GET', 'HEAD']) as string[];
  const cached = (value.CachedMethods ?? ['GET', 'HEAD']) as string[];
  const forwarded = value.ForwardedValues as Record<string, any> | undefined;
  const legacy = forwarded !== undefined || value.CachePolicyId === undefined;
  return compact({
    PathPattern: value.PathPattern,
    TargetOriginId: value.TargetOriginId,
    ViewerProtocolPolicy: value.ViewerProtocolPolicy,
    AllowedMethods: { ...quantity(allowed), CachedMethods: quantity(cached) },
    SmoothStreaming: toBoolean(value.SmoothStreaming) ?? false,
    Compress: toBoolean(value.Compress) ?? false,
    TrustedSigners: { Enabled: (value.TrustedSigners ?? []).length > 0, ...quantity(value.TrustedSigners) },
    TrustedKeyGroups: { Enabled: (value.TrustedKeyGroups ?? []).length > 0, ...quantity(value.TrustedKeyGroups) },
    CachePolicyId: value.CachePolicyId,
    OriginRequestPolicyId: value.OriginRequestPolicyId,
    ResponseHeadersPolicyId: value.ResponseHeadersPolicyId,
    FieldLevelEncryptionId: value.FieldLevelEncryptionId ?? '',
    RealtimeLogConfigArn: value.RealtimeLogConfigArn,
    ForwardedValues: forwarded
      ? compact({
          QueryString: toBoolean(forwarded.QueryString) ?? false,
          Cookies: { Forward: forwarded.Cookies?.Forward ?? 'none', ...(forwarded.Cookies?.WhitelistedNames ? { WhitelistedNames: quantity(forwarded.Cookies.WhitelistedNames) } : {}) },
          Headers: quantity(forwarded.Headers),
          QueryStringCacheKeys: quantity(forwarded.QueryStringCacheKeys),
        })
      : undefined,
    // CloudFormation's defaults for the legacy cache settings (MinTTL 0, DefaultTTL 86400, MaxTTL 31536000).
    MinTTL: legacy ? (toNumber(value.MinTTL) ?? 0) : undefined,
    DefaultTTL: legacy ? (toNumber(value.DefaultTTL) ?? 86400) : undefined,
    MaxTTL: legacy ? (toNumber(value.MaxTTL) ?? 31536000) : undefined,
  });
}

/** The API's DistributionConfig for a template's DistributionConfig. */
export function distributionConfig(config: Record<string, any>, callerReference: string) {
  for (const name of Object.keys(config)) {
    if (LEGACY_MEMBERS.includes(name)) throw new AwsError('ValidationError', `palisade does not support property DistributionConfig.${name} of AWS::CloudFront::Distribution`);
  }
  checkMembers('DistributionConfig', config, CONFIG_MEMBERS);
  const restrictions = config.Restrictions?.GeoRestriction as Record<string, any> | undefined;
  return compact({
    CallerReference: callerReference,
    Aliases: quantity(config.Aliases),
    DefaultRootObject: config.DefaultRootObject ?? '',
    Origins: quantity(((config.Origins ?? []) as Record<string, any>[]).map(origin)),
    DefaultCacheBehavior: cacheBehavior('DefaultCacheBehavior', config.DefaultCacheBehavior ?? {}),
    CacheBehaviors: quantity(((config.CacheBehaviors ?? []) as Record<string, any>[]).map((behavior) => cacheBehavior('CacheBehaviors', behavior))),
    CustomErrorResponses: quantity(((config.CustomErrorResponses ?? []) as Record<string, any>[]).map((response) => compact({
      ErrorCode: toNumber(response.ErrorCode),
      ResponsePagePath: response.ResponsePagePath,
      ResponseCode: response.ResponseCode === undefined ? undefined : String(response.ResponseCode),
      ErrorCachingMinTTL: toNumber(response.ErrorCachingMinTTL),
    }))),
    Comment: config.Comment ?? '',
    Logging: config.Logging ? { Enabled: true, IncludeCookies: toBoolean(config.Logging.IncludeCookies) ?? false, Bucket: config.Logging.Bucket, Prefix: config.Logging.Prefix ?? '' } : undefined,
    PriceClass: config.PriceClass ?? 'PriceClass_All',
    Enabled: toBoolean(config.Enabled),
    ViewerCertificate: config.ViewerCertificate ?? { CloudFrontDefaultCertificate: true },
    Restrictions: { GeoRestriction: { RestrictionType: restrictions?.RestrictionType ?? 'none', ...quantity(restrictions?.Locations) } },
    WebACLId: config.WebACLId ?? '',
    HttpVersion: config.HttpVersion ?? 'http1.1',
    IsIPV6Enabled: toBoolean(config.IPV6Enabled) ?? false,
    ContinuousDeploymentPolicyId: config.ContinuousDeploymentPolicyId,
    Staging: toBoolean(config.Staging),
  });
}

const DEPLOYED_TIMEOUT_MS = 5 * 60 * 1000;

/** AWS::CloudFront::Distribution → CreateDistribution; Ref is the id, Fn::GetAtt DomainName and Id. */
const distribution: ResourceProvisioner = {
  properties: ['DistributionConfig', 'Tags'],
  required: ['DistributionConfig'],
  async create(ctx, props) {
    const config = distributionConfig(props.DistributionConfig, uuid());
    const output = props.Tags
      ? await ctx.call('cloudfront', 'CreateDistributionWithTags', { DistributionConfigWithTags: { DistributionConfig: config, Tags: { Items: props.Tags } } })
      : await ctx.call('cloudfront', 'CreateDistribution', { DistributionConfig: config });
    return { physicalId: output.Distribution.Id, attributes: { Id: output.Distribution.Id, DomainName: output.Distribution.DomainName } };
  },
  async update(ctx, current, props) {
    const existing = await ctx.call('cloudfront', 'GetDistributionConfig', { Id: current.physicalId });
    const config = distributionConfig(props.DistributionConfig, existing.DistributionConfig.CallerReference);
    await ctx.call('cloudfront', 'UpdateDistribution', { Id: current.physicalId, IfMatch: existing.ETag, DistributionConfig: config });
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    // CloudFront deletes only a disabled, deployed distribution, so CloudFormation disables it first.
    const existing = await ctx.call('cloudfront', 'GetDistributionConfig', { Id: current.physicalId });
    let etag = existing.ETag;
    if (existing.DistributionConfig.Enabled) {
      const updated = await ctx.call('cloudfront', 'UpdateDistribution', { Id: current.physicalId, IfMatch: etag, DistributionConfig: { ...existing.DistributionConfig, Enabled: false } });
      etag = updated.ETag;
    }
    const deadline = Date.now() + DEPLOYED_TIMEOUT_MS;
    for (;;) {
      const { Distribution, ETag } = await ctx.call('cloudfront', 'GetDistribution', { Id: current.physicalId });
      etag = ETag ?? etag;
      if (Distribution.Status === 'Deployed') break;
      if (Date.now() > deadline) throw new AwsError('ValidationError', `Distribution ${current.physicalId} was not deployed within 5 minutes`);
      await sleep(500);
    }
    await ctx.call('cloudfront', 'DeleteDistribution', { Id: current.physicalId, IfMatch: etag });
  },
};

export const cloudFrontProvisioners: Record<string, ResourceProvisioner> = {
  'AWS::CloudFront::Distribution': distribution,
};
