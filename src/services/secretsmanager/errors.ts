import { AwsError } from '../../core/errors.ts';

/**
 * Secrets Manager's error codes and wording, as the service returns them
 * (awsJson 1.1, every modelled error is HTTP 400).
 */
export function secretNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
}

export function versionIdNotFound(versionId: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
}

export function stagingLabelNotFound(stage: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
}

export function secretExists(name: string): AwsError {
  return new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
}

export function versionExists(): AwsError {
  return new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
}

export function markedForDeletion(): AwsError {
  return new AwsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

export function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequestException', message);
}

/** The modelled `ValidationException` for a member outside its model constraint. */
export function validation(member: string, value: unknown, constraint: string): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
