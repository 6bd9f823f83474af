import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import type { Config } from './config.ts';

const SERVICE = 'cloudfront';

/** A distribution as palisade keeps it. The config is sealed because origin custom headers carry shared secrets. */
export interface DistributionRecord {
  Id: string;
  ARN: string;
  DomainName: string;
  Status: string;
  LastModifiedTime: string;
  ETag: string;
  CallerReference: string;
  sealedConfig: string;
  /** Loopback port of the local edge, chosen once and kept so the distribution's local URL survives a restart. */
  edgePort?: number;
  tags: { Key: string; Value?: string }[];
}

export interface InvalidationRecord {
  Id: string;
  DistributionId: string;
  Status: string;
  CreateTime: string;
  InvalidationBatch: { Paths: { Quantity: number; Items: string[] }; CallerReference: string };
}

export class DistributionStore {
  constructor(private readonly app: App) {}

  find(id: string): DistributionRecord | undefined {
    return this.app.store.get<DistributionRecord>(SERVICE, 'distribution', id);
  }

  /** The distribution, or NoSuchDistribution as CloudFront returns it. */
  get(id: string): DistributionRecord {
    const record = id ? this.find(id) : undefined;
    if (!record) throw new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', 404);
    return record;
  }

  list(): DistributionRecord[] {
    return this.app.store.list<DistributionRecord>(SERVICE, 'distribution');
  }

  put(record: DistributionRecord): void {
    this.app.store.put(SERVICE, 'distribution', record.Id, record);
  }

  delete(id: string): void {
    this.app.store.delete(SERVICE, 'distribution', id);
    for (const invalidation of this.invalidations(id)) {
      this.app.store.delete(SERVICE, 'invalidation', `${id}/${invalidation.Id}`);
    }
  }

  config(record: DistributionRecord): Config {
    return JSON.parse(this.app.store.openString(record.sealedConfig)) as Config;
  }

  seal(config: Config): string {
    return this.app.store.seal(JSON.stringify(config));
  }

  invalidations(distributionId: string): InvalidationRecord[] {
    return this.app.store
      .list<InvalidationRecord>(SERVICE, 'invalidation')
      .filter((invalidation) => invalidation.DistributionId === distributionId);
  }

  findInvalidation(distributionId: string, id: string): InvalidationRecord | undefined {
    return this.app.store.get<InvalidationRecord>(SERVICE, 'invalidation', `${distributionId}/${id}`);
  }

  putInvalidation(invalidation: InvalidationRecord): void {
    this.app.store.put(SERVICE, 'invalidation', `${invalidation.DistributionId}/${invalidation.Id}`, invalidation);
  }
}
