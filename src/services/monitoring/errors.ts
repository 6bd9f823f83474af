import { AwsError } from '../../core/errors.ts';

/**
 * CloudWatch errors. The JSON protocol carries the modelled shape name in
 * `__type` (InvalidParameterValueException ...); the awsQuery codes
 * (InvalidParameterValue, MissingParameter) travel in AWS's
 * `x-amzn-query-error` header.
 * TODO: palisade's JSON dispatcher cannot set `x-amzn-query-error`, so SDK errors carry no `Code`/`Error.Code`.
 */
export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, 400);
}

export function missingParameter(member: string): AwsError {
  return new AwsError('MissingRequiredParameterException', `The parameter ${member} is required.`, 400);
}

export function invalidParameterCombination(message: string): AwsError {
  return new AwsError('InvalidParameterCombinationException', message, 400);
}

export function invalidNextToken(): AwsError {
  return new AwsError('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken.', 400);
}
