import type { SecretRecord, VersionRecord } from './secret-record.ts';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';

export function versionWithStage(secret: SecretRecord, stage: string): VersionRecord | undefined {
  return secret.versions.find((version) => version.stages.includes(stage));
}

export function versionById(secret: SecretRecord, versionId: string): VersionRecord | undefined {
  return secret.versions.find((version) => version.versionId === versionId);
}

/**
 * Attach a staging label to a version, removing it from whichever version
 * held it. A label names at most one version. Moving AWSCURRENT labels the
 * version that held it AWSPREVIOUS ("Staging labels", Secrets Manager User
 * Guide).
 */
export function attachStage(secret: SecretRecord, target: VersionRecord, stage: string): void {
  const holder = versionWithStage(secret, stage);
  if (holder === target) return;
  if (holder) removeStage(holder, stage);
  target.stages.push(stage);
  if (stage === AWSCURRENT && holder) attachStage(secret, holder, AWSPREVIOUS);
}

export function removeStage(version: VersionRecord, stage: string): void {
  version.stages = version.stages.filter((label) => label !== stage);
}

/** VersionIdsToStages / SecretVersionsToStages: only versions that carry a label. */
export function versionsToStages(secret: SecretRecord): Record<string, string[]> | undefined {
  const labelled = secret.versions.filter((version) => version.stages.length > 0);
  if (labelled.length === 0) return undefined;
  return Object.fromEntries(labelled.map((version) => [version.versionId, [...version.stages]]));
}
