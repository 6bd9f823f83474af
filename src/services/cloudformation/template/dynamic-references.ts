import { AwsError } from '../../../core/errors.ts';

/** `{{resolve:service:...}}` ("Get values stored in other services using dynamic references", CloudFormation User Guide). */
const DYNAMIC_REFERENCE = /\{\{resolve:([^}]*)\}\}/g;

/** Reads a secret as Secrets Manager's GetSecretValue returns it. */
export type SecretReader = (input: { SecretId: string; VersionStage?: string; VersionId?: string }) => Promise<{ SecretString?: string }>;

export function containsDynamicReference(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes('{{resolve:');
}

/**
 * Replace every dynamic reference in a value's strings with the value it
 * names. The caller passes the result straight to the service and never
 * stores it, so the resolved secret lives only in that request.
 */
export async function resolveDynamicReferences(value: unknown, readSecret: SecretReader): Promise<unknown> {
  if (typeof value === 'string') return resolveString(value, readSecret);
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveDynamicReferences(item, readSecret)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = await resolveDynamicReferences(child, readSecret);
    return out;
  }
  return value;
}

async function resolveString(text: string, readSecret: SecretReader): Promise<string> {
  const matches = [...text.matchAll(DYNAMIC_REFERENCE)];
  let out = text;
  for (const match of matches) {
    const resolved = await resolveReference(match[1], readSecret);
    // A replacer function, because a string replacement would expand `$&`,
    // `$'` and `$\`` inside a generated password.
    out = out.replace(match[0], () => resolved);
  }
  return out;
}

async function resolveReference(reference: string, readSecret: SecretReader): Promise<string> {
  const service = reference.slice(0, reference.indexOf(':'));
  if (service === 'ssm' || service === 'ssm-secure') {
    throw new AwsError('ValidationError', `palisade does not support {{resolve:${service}:...}} dynamic references: there is no Systems Manager Parameter Store`);
  }
  if (service !== 'secretsmanager') throw new AwsError('ValidationError', `Unrecognized dynamic reference service ${service || reference}`);
  const { secretId, jsonKey, versionStage, versionId } = parseSecretsManagerReference(reference.slice('secretsmanager:'.length));
  const secret = await readSecret({ SecretId: secretId, ...(versionStage ? { VersionStage: versionStage } : {}), ...(versionId ? { VersionId: versionId } : {}) });
  if (secret.SecretString === undefined) throw new AwsError('ValidationError', `Secrets Manager can't find the specified secret value for the dynamic reference to ${secretId}`);
  if (!jsonKey) return secret.SecretString;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret.SecretString);
  } catch {
    throw new AwsError('ValidationError', `The secret ${secretId} is not a JSON object, so its key ${jsonKey} cannot be resolved`);
  }
  const member = (parsed as Record<string, unknown>)?.[jsonKey];
  if (member === undefined) throw new AwsError('ValidationError', `Could not find SecretString key ${jsonKey} in the secret ${secretId}`);
  return typeof member === 'string' ? member : JSON.stringify(member);
}

/**
 * `secret-id:SecretString:json-key:version-stage:version-id`. The secret id
 * may be an ARN, which itself contains colons (`arn:aws:secretsmanager:<region>:<account>:secret:<name>`).
 */
function parseSecretsManagerReference(text: string): { secretId: string; jsonKey?: string; versionStage?: string; versionId?: string } {
  const parts = text.split(':');
  const idLength = parts[0] === 'arn' ? 7 : 1;
  const secretId = parts.slice(0, idLength).join(':');
  const rest = parts.slice(idLength);
  if (rest.length > 0 && rest[0] !== 'SecretString') {
    throw new AwsError('ValidationError', `Dynamic reference to ${secretId} must use SecretString, not ${rest[0]}`);
  }
  return { secretId, jsonKey: rest[1] || undefined, versionStage: rest[2] || undefined, versionId: rest[3] || undefined };
}
