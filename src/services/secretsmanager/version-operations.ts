import { requireField } from '../../core/errors.ts';
import { invalidParameter, stagingLabelNotFound, validation, versionIdNotFound } from './errors.ts';
import { randomPassword, type PasswordSpec } from './random-password.ts';
import { page } from './pagination.ts';
import { startOfDay, type SecretRepository } from './secret-record.ts';
import { addVersion, checkValue, hasValue, type SecretValueInput } from './secret-value.ts';
import { AWSCURRENT, attachStage, removeStage, versionById, versionWithStage } from './staging.ts';

/** Operations on secret versions and their staging labels, and GetRandomPassword. */
export function versionOperations(secrets: SecretRepository) {
  return {
    GetSecretValue(input: { SecretId: string; VersionId?: string; VersionStage?: string }) {
      const secret = secrets.getActive(requireField<string>(input, 'SecretId'));
      const version = input.VersionId !== undefined ? versionById(secret, input.VersionId) : versionWithStage(secret, input.VersionStage ?? AWSCURRENT);
      if (!version) {
        throw input.VersionId !== undefined ? versionIdNotFound(input.VersionId) : stagingLabelNotFound(input.VersionStage ?? AWSCURRENT);
      }
      if (input.VersionId !== undefined && input.VersionStage !== undefined && !version.stages.includes(input.VersionStage)) {
        throw invalidParameter('You provided a VersionStage that is not associated to the provided VersionId.');
      }
      const today = startOfDay(Date.now());
      secret.lastAccessedDate = today;
      version.lastAccessedDate = today;
      secrets.save(secret);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.sealedString === undefined ? undefined : secrets.open(version.sealedString),
        SecretBinary: version.sealedBinary === undefined ? undefined : secrets.open(version.sealedBinary),
        VersionStages: [...version.stages],
        CreatedDate: new Date(version.createdDate),
      };
    },

    PutSecretValue(input: SecretValueInput & { SecretId: string; VersionStages?: string[] }) {
      const secret = secrets.getActive(requireField<string>(input, 'SecretId'));
      if (!hasValue(input)) throw invalidParameter('You must provide either SecretString or SecretBinary.');
      checkValue(input);
      const stages = input.VersionStages ?? [AWSCURRENT];
      if (!Array.isArray(stages) || stages.length < 1 || stages.length > 20) {
        throw validation('versionStages', `${stages.length} labels`, 'Member must have length between 1 and 20');
      }
      const version = addVersion(secrets, secret, input, stages);
      secrets.save(secret);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: [...version.stages] };
    },

    UpdateSecretVersionStage(input: { SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) {
      const secret = secrets.getActive(requireField<string>(input, 'SecretId'));
      const stage = requireField<string>(input, 'VersionStage');
      const { MoveToVersionId: moveTo, RemoveFromVersionId: removeFrom } = input;
      const holder = versionWithStage(secret, stage);

      if (moveTo === undefined) {
        if (removeFrom === undefined) throw invalidParameter('You must specify MoveToVersionId or RemoveFromVersionId.');
        if (stage === AWSCURRENT) {
          throw invalidParameter("You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.");
        }
        if (!holder || holder.versionId !== removeFrom) {
          throw invalidParameter(`The staging label ${stage} is not attached to version ${removeFrom}, so it can't be removed from it.`);
        }
        removeStage(holder, stage);
      } else {
        const target = versionById(secret, moveTo);
        if (!target) throw versionIdNotFound(moveTo);
        if (holder && holder !== target) {
          if (removeFrom === undefined) {
            throw invalidParameter(
              `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
            );
          }
          if (removeFrom !== holder.versionId) {
            throw invalidParameter(`When you move staging label ${stage}, if you specify RemoveFromVersionId, it must be set to the version that currently has the staging label ${stage}.`);
          }
        }
        attachStage(secret, target, stage);
      }
      secret.lastChangedDate = Date.now();
      secrets.save(secret);
      return { ARN: secret.arn, Name: secret.name };
    },

    ListSecretVersionIds(input: { SecretId: string; MaxResults?: number; NextToken?: string; IncludeDeprecated?: boolean }) {
      const secret = secrets.get(requireField<string>(input, 'SecretId'));
      const versions = secret.versions.filter((version) => input.IncludeDeprecated === true || version.stages.length > 0);
      const { items, NextToken } = page(versions, input.MaxResults ?? 100, input.NextToken);
      return {
        NextToken,
        Versions: items.map((version) => ({
          VersionId: version.versionId,
          VersionStages: [...version.stages],
          LastAccessedDate: version.lastAccessedDate === undefined ? undefined : new Date(version.lastAccessedDate),
          CreatedDate: new Date(version.createdDate),
        })),
        ARN: secret.arn,
        Name: secret.name,
      };
    },

    GetRandomPassword(input: PasswordSpec) {
      return { RandomPassword: randomPassword(input) };
    },
  };
}
