import { AwsError } from '../../core/errors.ts';
import { readShape } from './xml-shapes.ts';

/**
 * DistributionConfig checks and defaults. palisade's edge implements one
 * default cache behaviour with legacy ForwardedValues in front of custom
 * origins; a member that would change what the edge does beyond that is
 * rejected by name (fail closed) instead of being stored and ignored.
 */
export type Config = Record<string, any>;

interface QuantityList {
  Quantity?: number;
  Items?: unknown[];
}

/** Normalize a DistributionConfig (types, lists), check it, and fill the defaults CloudFront returns. */
export function prepareDistributionConfig(raw: unknown): Config {
  if (!raw || typeof raw !== 'object') throw missing('DistributionConfig');
  const config = readShape(raw, 'DistributionConfig', 'DistributionConfig') as Config;
  for (const member of ['CallerReference', 'Origins', 'DefaultCacheBehavior', 'Comment', 'Enabled']) {
    if (config[member] === undefined) throw missing(`DistributionConfig.${member}`);
  }
  checkQuantities(config, 'DistributionConfig');
  rejectUnsupported(config);
  const origins = (config.Origins.Items ?? []) as Config[];
  if (origins.length === 0) throw new AwsError('InvalidArgument', 'The parameter Origins must contain at least one origin.', 400);
  for (const origin of origins) prepareOrigin(origin);
  prepareDefaultCacheBehavior(config.DefaultCacheBehavior, origins);
  return withDistributionDefaults(config);
}

function missing(member: string): AwsError {
  return new AwsError('InvalidArgument', `The parameter ${member} is required.`, 400);
}

function unsupported(member: string, why: string): AwsError {
  return new AwsError('InvalidArgument', `palisade does not support ${member} (${why}); the distribution was not changed.`, 400);
}

/** Every `{Quantity, Items}` pair must agree, as CloudFront checks (InconsistentQuantities). */
function checkQuantities(value: unknown, path: string): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkQuantities(item, `${path}[${index}]`));
    return;
  }
  const record = value as Record<string, unknown> & QuantityList;
  if (typeof record.Quantity === 'number' && (record.Items ?? []).length !== record.Quantity) {
    throw new AwsError('InconsistentQuantities', "The value of Quantity and the size of Items don't match.", 400);
  }
  for (const [member, child] of Object.entries(record)) checkQuantities(child, `${path}.${member}`);
}

function hasItems(list: QuantityList | undefined): boolean {
  return (list?.Quantity ?? 0) > 0 || (list?.Items ?? []).length > 0;
}

function rejectUnsupported(config: Config): void {
  if (hasItems(config.OriginGroups)) throw unsupported('OriginGroups', 'origin failover is not implemented by the local edge');
  if (hasItems(config.CacheBehaviors)) throw unsupported('CacheBehaviors', 'only the DefaultCacheBehavior is implemented by the local edge');
  if (hasItems(config.CustomErrorResponses)) throw unsupported('CustomErrorResponses', 'custom error pages are not implemented by the local edge');
  const geo = config.Restrictions?.GeoRestriction;
  if (geo && geo.RestrictionType !== 'none') throw unsupported('Restrictions.GeoRestriction', 'the local edge has no viewer geolocation');
  if (config.ContinuousDeploymentPolicyId) throw unsupported('ContinuousDeploymentPolicyId', 'staging distributions are not implemented');
  if (config.Staging === true) throw unsupported('Staging', 'staging distributions are not implemented');
  for (const member of ['AnycastIpListId', 'TenantConfig', 'ConnectionMode', 'ViewerMtlsConfig', 'ConnectionFunctionAssociation', 'CacheTagConfig']) {
    if (config[member] !== undefined && config[member] !== '') throw unsupported(member, 'not implemented by the local edge');
  }
}

function prepareOrigin(origin: Config): void {
  const where = `Origin ${origin.Id ?? ''}`.trim();
  if (!origin.Id) throw missing('Origins.Items[].Id');
  if (!origin.DomainName) throw missing('Origins.Items[].DomainName');
  if (origin.S3OriginConfig) throw unsupported(`${where} S3OriginConfig`, 'S3 origins are not served locally');
  if (origin.VpcOriginConfig) throw unsupported(`${where} VpcOriginConfig`, 'VPC origins are not served locally');
  if (origin.OriginAccessControlId) throw unsupported(`${where} OriginAccessControlId`, 'origin access control signs requests to S3 origins');
  if (!origin.CustomOriginConfig) throw missing(`${where} CustomOriginConfig`);
  const path: string = origin.OriginPath ?? '';
  // The API reference: OriginPath starts with / and does not end with /.
  if (path && (!path.startsWith('/') || path.endsWith('/'))) {
    throw new AwsError('InvalidArgument', `The parameter origin path must begin with a slash and must not end with a slash: ${path}`, 400);
  }
  origin.OriginPath = path;
  origin.CustomHeaders ??= { Quantity: 0 };
  origin.ConnectionAttempts ??= 3;
  origin.ConnectionTimeout ??= 10;
  origin.OriginShield ??= { Enabled: false };
  origin.OriginAccessControlId ??= '';
  const custom = origin.CustomOriginConfig;
  custom.OriginSslProtocols ??= { Quantity: 1, Items: ['TLSv1.2'] };
  custom.OriginReadTimeout ??= 30;
  custom.OriginKeepaliveTimeout ??= 5;
}

function prepareDefaultCacheBehavior(behavior: Config, origins: Config[]): void {
  if (!behavior.TargetOriginId) throw missing('DefaultCacheBehavior.TargetOriginId');
  if (!behavior.ViewerProtocolPolicy) throw missing('DefaultCacheBehavior.ViewerProtocolPolicy');
  if (!origins.some((origin) => origin.Id === behavior.TargetOriginId)) {
    throw new AwsError('NoSuchOrigin', 'One or more of your origins or origin groups do not exist.', 404);
  }
  if (hasItems(behavior.LambdaFunctionAssociations)) throw unsupported('DefaultCacheBehavior.LambdaFunctionAssociations', 'Lambda@Edge is not run by the local edge');
  if (hasItems(behavior.FunctionAssociations)) throw unsupported('DefaultCacheBehavior.FunctionAssociations', 'CloudFront Functions are not run by the local edge');
  if (behavior.TrustedSigners?.Enabled || behavior.TrustedKeyGroups?.Enabled) {
    throw unsupported('DefaultCacheBehavior.TrustedSigners/TrustedKeyGroups', 'signed URLs and cookies are not verified by the local edge');
  }
  for (const member of ['CachePolicyId', 'OriginRequestPolicyId', 'ResponseHeadersPolicyId', 'FieldLevelEncryptionId', 'RealtimeLogConfigArn']) {
    if (behavior[member]) throw unsupported(`DefaultCacheBehavior.${member}`, 'only legacy ForwardedValues cache settings are implemented');
  }
  if (behavior.SmoothStreaming === true) throw unsupported('DefaultCacheBehavior.SmoothStreaming', 'not implemented by the local edge');
  if (behavior.Compress === true) throw unsupported('DefaultCacheBehavior.Compress', 'the local edge does not compress responses');
  if (behavior.GrpcConfig?.Enabled) throw unsupported('DefaultCacheBehavior.GrpcConfig', 'gRPC is not implemented by the local edge');
  // Legacy cache settings need ForwardedValues and MinTTL (API reference, DefaultCacheBehavior).
  if (!behavior.ForwardedValues) throw missing('DefaultCacheBehavior.ForwardedValues');
  if (behavior.MinTTL === undefined) throw missing('DefaultCacheBehavior.MinTTL');
  behavior.DefaultTTL ??= 86400;
  behavior.MaxTTL ??= 31536000;
  if (!(behavior.MinTTL <= behavior.DefaultTTL && behavior.DefaultTTL <= behavior.MaxTTL)) {
    throw new AwsError('InvalidTTLOrder', 'The TTL order specified is not valid: MinTTL <= DefaultTTL <= MaxTTL is required.', 400);
  }
  prepareMethods(behavior);
  const forwarded = behavior.ForwardedValues;
  forwarded.Cookies ??= { Forward: 'none' };
  forwarded.Headers ??= { Quantity: 0 };
  forwarded.QueryStringCacheKeys ??= { Quantity: 0 };
  behavior.TrustedSigners ??= { Enabled: false, Quantity: 0 };
  behavior.TrustedKeyGroups ??= { Enabled: false, Quantity: 0 };
  behavior.SmoothStreaming ??= false;
  behavior.Compress ??= false;
  behavior.LambdaFunctionAssociations ??= { Quantity: 0 };
  behavior.FunctionAssociations ??= { Quantity: 0 };
  behavior.FieldLevelEncryptionId ??= '';
}

/** The three method sets CloudFront accepts (API reference, AllowedMethods). */
const METHOD_SETS = [['GET', 'HEAD'], ['GET', 'HEAD', 'OPTIONS'], ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']];
const CACHED_SETS = [['GET', 'HEAD'], ['GET', 'HEAD', 'OPTIONS']];

function prepareMethods(behavior: Config): void {
  behavior.AllowedMethods ??= { Quantity: 2, Items: ['HEAD', 'GET'], CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] } };
  const allowed = behavior.AllowedMethods;
  allowed.CachedMethods ??= { Quantity: 2, Items: ['HEAD', 'GET'] };
  if (!matchesSet(allowed.Items, METHOD_SETS)) {
    throw new AwsError('InvalidArgument', `AllowedMethods must be one of GET,HEAD or GET,HEAD,OPTIONS or all seven methods, not ${(allowed.Items ?? []).join(',')}.`, 400);
  }
  const cached: string[] = allowed.CachedMethods.Items ?? [];
  if (!matchesSet(cached, CACHED_SETS) || !cached.every((method) => allowed.Items.includes(method))) {
    throw new AwsError('InvalidArgument', `CachedMethods must be GET,HEAD or GET,HEAD,OPTIONS and allowed, not ${cached.join(',')}.`, 400);
  }
}

function matchesSet(items: string[] | undefined, sets: string[][]): boolean {
  const sorted = [...(items ?? [])].sort().join(',');
  return sets.some((set) => set.join(',') === sorted);
}

function withDistributionDefaults(config: Config): Config {
  config.Aliases ??= { Quantity: 0 };
  config.DefaultRootObject ??= '';
  config.OriginGroups ??= { Quantity: 0 };
  config.CacheBehaviors ??= { Quantity: 0 };
  config.CustomErrorResponses ??= { Quantity: 0 };
  config.Logging ??= { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' };
  config.PriceClass ??= 'PriceClass_All';
  config.ViewerCertificate ??= {
    CloudFrontDefaultCertificate: true,
    SSLSupportMethod: 'vip',
    MinimumProtocolVersion: 'TLSv1',
    CertificateSource: 'cloudfront',
  };
  config.Restrictions ??= { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } };
  config.WebACLId ??= '';
  config.HttpVersion ??= 'http2';
  config.IsIPV6Enabled ??= false;
  config.ContinuousDeploymentPolicyId ??= '';
  config.Staging ??= false;
  return config;
}
