import type { App } from '../../core/app.ts';
import { formatArn } from '../../core/arn.ts';
import { randomString } from '../../core/ids.ts';
import { markedForDeletion, secretNotFound } from './errors.ts';

export interface Tag {
  Key: string;
  Value: string;
}

/** One secret version. The value is sealed with the state store's key and opened only for GetSecretValue and idempotency checks. */
export interface VersionRecord {
  versionId: string;
  stages: string[];
  createdDate: number;
  lastAccessedDate?: number;
  sealedString?: string;
  sealedBinary?: string;
}

export interface SecretRecord {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
  /** Set while the secret is scheduled for deletion: when DeleteSecret ran and when it is purged. */
  deletedDate?: number;
  deletionDate?: number;
  /** Versions in creation order. */
  versions: VersionRecord[];
}

const SERVICE = 'secretsmanager';
const KIND = 'secret';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Secrets in the state store, keyed by ARN, with SecretId resolution as Secrets Manager does it. */
export class SecretRepository {
  constructor(private readonly app: App) {}

  /** The ARN for a new secret: the name plus a hyphen and six random alphanumerics. */
  newArn(name: string): string {
    const suffix = randomString(6, ALPHANUMERIC);
    return formatArn({ service: SERVICE, region: this.app.region, accountId: this.app.accountId, resource: `secret:${name}-${suffix}` });
  }

  save(secret: SecretRecord): void {
    this.app.store.put(SERVICE, KIND, secret.arn, secret);
  }

  remove(secret: SecretRecord): void {
    this.app.store.delete(SERVICE, KIND, secret.arn);
  }

  all(): SecretRecord[] {
    return this.app.store.list<SecretRecord>(SERVICE, KIND).filter((secret) => !this.purgeIfDue(secret));
  }

  findByName(name: string): SecretRecord | undefined {
    return this.all().find((secret) => secret.name === name);
  }

  /**
   * Resolve a SecretId: the full ARN, the ARN without its six-character
   * suffix (a partial ARN), or the name.
   */
  find(secretId: string): SecretRecord | undefined {
    const secrets = this.all();
    if (secretId.startsWith('arn:')) {
      return secrets.find((secret) => secret.arn === secretId) ?? secrets.find((secret) => secret.arn.slice(0, -7) === secretId);
    }
    return secrets.find((secret) => secret.name === secretId);
  }

  /** Resolve a SecretId or raise ResourceNotFoundException. */
  get(secretId: string): SecretRecord {
    const secret = this.find(secretId);
    if (!secret) throw secretNotFound();
    return secret;
  }

  /** Resolve a SecretId that must not be scheduled for deletion. */
  getActive(secretId: string): SecretRecord {
    const secret = this.get(secretId);
    if (secret.deletedDate !== undefined) throw markedForDeletion();
    return secret;
  }

  seal(value: string): string {
    return this.app.store.seal(value);
  }

  open(sealed: string): string {
    return this.app.store.openString(sealed);
  }

  /** A secret whose recovery window has ended is gone, as after Secrets Manager's deletion job. */
  private purgeIfDue(secret: SecretRecord): boolean {
    if (secret.deletionDate === undefined || secret.deletionDate > Date.now()) return false;
    this.remove(secret);
    return true;
  }
}

/** Midnight UTC of a time: Secrets Manager records LastAccessedDate to the day. */
export function startOfDay(time: number): number {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}
