import type { App } from '../../core/app.ts';
import { formatArn } from '../../core/arn.ts';
import { dbInstanceNotFound } from './errors.ts';

export interface Tag {
  Key: string;
  Value: string;
}

/** A DB instance as palisade keeps it. The master password is never stored, only its sealed SHA1(SHA1(password)). */
export interface DBInstanceRecord {
  id: string;
  dbInstanceClass: string;
  engine: 'mysql' | 'mariadb';
  engineVersion: string;
  masterUsername: string;
  sealedNativePasswordHash: string;
  dbName?: string;
  allocatedStorage: number;
  storageType: string;
  multiAZ: boolean;
  publiclyAccessible: boolean;
  backupRetentionPeriod: number;
  deletionProtection: boolean;
  vpcSecurityGroupIds: string[];
  dbSubnetGroupName?: string;
  availabilityZone: string;
  dbiResourceId: string;
  createTime: number;
  tags: Tag[];
  /** The loopback port of this instance's MySQL server, kept so a restart reopens the same one. */
  port?: number;
}

const SERVICE = 'rds';
const KIND = 'db-instance';

export class InstanceRepository {
  constructor(private readonly app: App) {}

  arn(id: string): string {
    return formatArn({ service: 'rds', region: this.app.region, accountId: this.app.accountId, resource: `db:${id}` });
  }

  find(id: string): DBInstanceRecord | undefined {
    return this.app.store.get<DBInstanceRecord>(SERVICE, KIND, id.toLowerCase());
  }

  get(id: string): DBInstanceRecord {
    const record = this.find(id);
    if (!record) throw dbInstanceNotFound(id);
    return record;
  }

  all(): DBInstanceRecord[] {
    return this.app.store.list<DBInstanceRecord>(SERVICE, KIND);
  }

  save(record: DBInstanceRecord): void {
    this.app.store.put(SERVICE, KIND, record.id, record);
  }

  remove(id: string): void {
    this.app.store.delete(SERVICE, KIND, id);
  }

  sealHash(hash: Buffer): string {
    return this.app.store.seal(hash);
  }

  openHash(record: DBInstanceRecord): Buffer {
    return this.app.store.open(record.sealedNativePasswordHash);
  }
}
