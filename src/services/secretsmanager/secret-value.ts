import { uuid } from '../../core/ids.ts';
import { invalidParameter, validation, versionExists } from './errors.ts';
import type { SecretRecord, SecretRepository, VersionRecord } from './secret-record.ts';
import { attachStage, versionById } from './staging.ts';

/** The value members of CreateSecret, PutSecretValue and UpdateSecret. */
export type SecretValueInput = {
  ClientRequestToken?: string;
  SecretString?: string;
  /** Base64 on the awsJson wire, as the SDKs send a blob. */
  SecretBinary?: string;
};

/** True when the request carries a value (an empty string is a value). */
export function hasValue(input: SecretValueInput): boolean {
  return input.SecretString !== undefined || input.SecretBinary !== undefined;
}

export function checkValue(input: SecretValueInput): void {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  // The model bounds SecretString and SecretBinary at 65536 bytes; the length, never the value, goes into the message.
  const size = input.SecretString !== undefined ? Buffer.byteLength(input.SecretString) : Buffer.from(input.SecretBinary ?? '', 'base64').length;
  if (size > 65536) throw invalidParameter(`The secret value is ${size} bytes; Secrets Manager allows at most 65536 bytes.`);
}

/** ClientRequestToken becomes the version id; the model requires 32 to 64 characters. */
export function versionIdFor(token: string | undefined): string {
  if (token === undefined) return uuid();
  if (token.length < 32 || token.length > 64) {
    throw validation('clientRequestToken', token, 'Member must have length between 32 and 64');
  }
  return token;
}

/**
 * Store a new version carrying `stages`, or return the existing version when
 * the same ClientRequestToken arrives again with the same value (the
 * idempotency ClientRequestToken gives). A reused token with another value
 * is ResourceExistsException.
 */
export function addVersion(repository: SecretRepository, secret: SecretRecord, input: SecretValueInput, stages: string[]): VersionRecord {
  const versionId = versionIdFor(input.ClientRequestToken);
  const existing = versionById(secret, versionId);
  if (existing) {
    if (!sameValue(repository, existing, input)) throw versionExists();
    return existing;
  }
  const version: VersionRecord = { versionId, stages: [], createdDate: Date.now() };
  if (input.SecretString !== undefined) version.sealedString = repository.seal(input.SecretString);
  if (input.SecretBinary !== undefined) version.sealedBinary = repository.seal(input.SecretBinary);
  secret.versions.push(version);
  for (const stage of stages) attachStage(secret, version, stage);
  secret.lastChangedDate = version.createdDate;
  return version;
}

function sameValue(repository: SecretRepository, version: VersionRecord, input: SecretValueInput): boolean {
  const storedString = version.sealedString === undefined ? undefined : repository.open(version.sealedString);
  const storedBinary = version.sealedBinary === undefined ? undefined : repository.open(version.sealedBinary);
  return storedString === input.SecretString && storedBinary === input.SecretBinary;
}
