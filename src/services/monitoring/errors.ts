import { AwsError } from '../../core/errors.ts';

/**
 * Build a CloudWatch error. CloudWatch moved from awsQuery to JSON keeping its
 * query error codes (the model's `awsQueryCompatible` trait): `__type`
 * carries the modelled shape name (InvalidParameterValueException) and
 * `x-amzn-query-error` the awsQuery code (InvalidParameterValue), which
 * botocore reports as `Error.Code`.
 */
function cloudWatchError(shape: string, queryCode: string, message: string): AwsError {
  const error = new AwsError(shape, message, 400);
  error.queryErrorCode = queryCode;
  return error;
}

export function invalidParameterValue(message: string): AwsError {
  return cloudWatchError('InvalidParameterValueException', 'InvalidParameterValue', message);
}

export function missingParameter(member: string): AwsError {
  return cloudWatchError('MissingRequiredParameterException', 'MissingParameter', `The parameter ${member} is required.`);
}

export function invalidParameterCombination(message: string): AwsError {
  return cloudWatchError('InvalidParameterCombinationException', 'InvalidParameterCombination', message);
}

export function invalidNextToken(): AwsError {
  return cloudWatchError('InvalidNextToken', 'InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken.');
}
