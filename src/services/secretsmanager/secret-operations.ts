import { requireField } from '../../core/errors.ts';
import { invalidParameter, invalidRequest, markedForDeletion, secretExists, validation } from './errors.ts';
import { listSecrets } from './list-secrets.ts';
import type { SecretRecord, SecretRepository, Tag } from './secret-record.ts';
import { addVersion, checkValue, hasValue, type SecretValueInput } from './secret-value.ts';
import { AWSCURRENT, versionsToStages } from './staging.ts';

/** Secret names: 1 to 512 characters of letters, digits and `/_+=.@-` (CreateSecret, Name). */
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Operations on the secret itself: its metadata, lifecycle and tags. */
export function secretOperations(secrets: SecretRepository) {
  return {
    CreateSecret(input: SecretValueInput & { Name: string; Description?: string; KmsKeyId?: string; Tags?: Tag[] }) {
      const name = requireField<string>(input, 'Name');
      if (!NAME_PATTERN.test(name)) {
        throw invalidParameter('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
      }
      const existing = secrets.findByName(name);
      if (existing?.deletedDate !== undefined) {
        throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
      }
      if (existing) throw secretExists(name);
      checkValue(input);

      const now = Date.now();
      const secret: SecretRecord = {
        arn: secrets.newArn(name),
        name,
        description: input.Description,
        kmsKeyId: input.KmsKeyId,
        tags: checkTags(input.Tags ?? []),
        createdDate: now,
        lastChangedDate: now,
        versions: [],
      };
      const version = hasValue(input) ? addVersion(secrets, secret, input, [AWSCURRENT]) : undefined;
      secrets.save(secret);
      return { ARN: secret.arn, Name: secret.name, VersionId: version?.versionId };
    },

    DescribeSecret(input: { SecretId: string }) {
      const secret = secrets.get(requireField<string>(input, 'SecretId'));
      return {
        ARN: secret.arn,
        Name: secret.name,
        Description: secret.description,
        KmsKeyId: secret.kmsKeyId,
        // TODO: rotation is not implemented yet, so no secret has RotationEnabled true or rotation rules.
        RotationEnabled: false,
        LastChangedDate: new Date(secret.lastChangedDate),
        LastAccessedDate: optionalDate(secret.lastAccessedDate),
        DeletedDate: optionalDate(secret.deletedDate),
        Tags: secret.tags.length > 0 ? secret.tags : undefined,
        VersionIdsToStages: versionsToStages(secret),
        CreatedDate: new Date(secret.createdDate),
      };
    },

    /** UpdateSecret changes the description or KMS key; a new value becomes a new AWSCURRENT version. */
    UpdateSecret(input: SecretValueInput & { SecretId: string; Description?: string; KmsKeyId?: string }) {
      const secret = secrets.getActive(requireField<string>(input, 'SecretId'));
      checkValue(input);
      if (input.Description !== undefined) secret.description = input.Description;
      if (input.KmsKeyId !== undefined) secret.kmsKeyId = input.KmsKeyId;
      secret.lastChangedDate = Date.now();
      const version = hasValue(input) ? addVersion(secrets, secret, input, [AWSCURRENT]) : undefined;
      secrets.save(secret);
      return { ARN: secret.arn, Name: secret.name, VersionId: version?.versionId };
    },

    DeleteSecret(input: { SecretId: string; RecoveryWindowInDays?: number; ForceDeleteWithoutRecovery?: boolean }) {
      const secret = secrets.get(requireField<string>(input, 'SecretId'));
      const force = input.ForceDeleteWithoutRecovery === true;
      if (force && input.RecoveryWindowInDays !== undefined) {
        throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
      }
      const days = input.RecoveryWindowInDays ?? 30;
      if (!Number.isInteger(days) || days < 7 || days > 30) {
        throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
      }
      const now = Date.now();
      if (force) {
        secrets.remove(secret);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(now) };
      }
      if (secret.deletedDate !== undefined) throw markedForDeletion();
      secret.deletedDate = now;
      secret.deletionDate = now + days * DAY_MS;
      secrets.save(secret);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(secret.deletionDate) };
    },

    RestoreSecret(input: { SecretId: string }) {
      const secret = secrets.get(requireField<string>(input, 'SecretId'));
      delete secret.deletedDate;
      delete secret.deletionDate;
      secrets.save(secret);
      return { ARN: secret.arn, Name: secret.name };
    },

    ListSecrets: (input: Parameters<typeof listSecrets>[1]) => listSecrets(secrets, input),

    TagResource(input: { SecretId: string; Tags: Tag[] }) {
      const secret = secrets.getActive(requireField<string>(input, 'SecretId'));
      for (const tag of checkTags(requireField<Tag[]>(input, 'Tags'))) {
        secret.tags = secret.tags.filter((existing) => existing.Key !== tag.Key);
        secret.tags.push(tag);
      }
      secrets.save(secret);
      return {};
    },

    UntagResource(input: { SecretId: string; TagKeys: string[] }) {
      const secret = secrets.getActive(requireField<string>(input, 'SecretId'));
      const keys = new Set(requireField<string[]>(input, 'TagKeys'));
      secret.tags = secret.tags.filter((tag) => !keys.has(tag.Key));
      secrets.save(secret);
      return {};
    },
  };
}

/** Tag keys are 1 to 128 characters and values up to 256; a secret has at most 50 tags. */
function checkTags(tags: Tag[]): Tag[] {
  if (!Array.isArray(tags)) throw invalidParameter('Tags must be a list of Key and Value pairs.');
  if (tags.length > 50) throw validation('tags', `${tags.length} tags`, 'Member must have length less than or equal to 50');
  for (const tag of tags) {
    if (typeof tag?.Key !== 'string' || tag.Key.length < 1 || tag.Key.length > 128) {
      throw validation('tags.member.key', tag?.Key, 'Member must have length between 1 and 128');
    }
    if (typeof tag.Value !== 'string' || tag.Value.length > 256) {
      throw validation('tags.member.value', tag.Value, 'Member must have length less than or equal to 256');
    }
  }
  return tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
}

function optionalDate(time: number | undefined): Date | undefined {
  return time === undefined ? undefined : new Date(time);
}
