import { AwsError } from '../../core/errors.ts';

/** RDS's error codes and wording (awsQuery; codes as the `<Code>` of the error response). */
export function dbInstanceNotFound(id: string): AwsError {
  return new AwsError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
}

export function dbInstanceAlreadyExists(): AwsError {
  return new AwsError('DBInstanceAlreadyExists', 'DB instance already exists', 400);
}

export function dbSubnetGroupNotFound(name: string): AwsError {
  return new AwsError('DBSubnetGroupNotFoundFault', `DBSubnetGroup '${name}' not found.`, 404);
}

export function dbSubnetGroupAlreadyExists(name: string): AwsError {
  return new AwsError('DBSubnetGroupAlreadyExists', `The DB subnet group '${name}' already exists.`, 400);
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message, 400);
}

export function invalidParameterCombination(message: string): AwsError {
  return new AwsError('InvalidParameterCombination', message, 400);
}

export function missingParameter(name: string): AwsError {
  return new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);
}

/** Fail closed on a request member palisade does not carry out. */
export function unsupported(what: string): AwsError {
  return new AwsError('NotImplementedException', `palisade does not implement ${what} yet; the request was not carried out`, 501);
}
