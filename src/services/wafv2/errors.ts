import { AwsError } from '../../core/errors.ts';

/**
 * WAFv2 errors with AWS's codes and wording. WAFInvalidParameterException
 * carries Field (a ParameterExceptionField value), Parameter and Reason, and
 * its message reads `Error reason: <Reason>, field: <Field>, parameter: <Parameter>`.
 */
export const REASON = {
  exactlyOne: 'You have used none or multiple values for a field that requires exactly one value.',
  invalidFormat: 'The parameter contains formatting that is not valid.',
  missing: 'A required field is missing.',
  invalidOption: 'The value is not one of the allowed options.',
  duplicate: 'The parameter contains a value that is duplicated.',
};

export function invalidParameter(field: string, parameter: string, reason: string): AwsError {
  return new AwsError('WAFInvalidParameterException', `Error reason: ${reason}, field: ${field}, parameter: ${parameter}`, 400, {
    Field: field,
    Parameter: parameter,
    Reason: reason,
  });
}

/** A construct of the WAFv2 language that palisade's engine does not evaluate: refused, never stored unevaluated. */
export function notSupported(field: string, parameter: string): AwsError {
  return invalidParameter(field, parameter, `palisade does not implement ${parameter} yet, so it cannot evaluate this rule`);
}

export function nonexistentItem(): AwsError {
  return new AwsError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.', 400);
}

export function duplicateItem(): AwsError {
  return new AwsError('WAFDuplicateItemException', 'AWS WAF couldn’t perform the operation because some resource in your request is a duplicate of an existing one.', 400);
}

export function optimisticLock(): AwsError {
  return new AwsError(
    'WAFOptimisticLockException',
    'AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it. Reapply your changes.',
    400,
  );
}

export function associatedItem(): AwsError {
  return new AwsError(
    'WAFAssociatedItemException',
    'AWS WAF couldn’t perform the operation because your resource is being used by another resource or it’s associated with another resource.',
    400,
  );
}

export function limitsExceeded(): AwsError {
  return new AwsError('WAFLimitsExceededException', 'AWS WAF couldn’t perform the operation because you exceeded your resource limit.', 400);
}

export function unavailableEntity(): AwsError {
  return new AwsError(
    'WAFUnavailableEntityException',
    'AWS WAF couldn’t retrieve a resource that you specified for this operation. Verify the resource specifications in your request parameters and then retry the operation.',
    400,
  );
}
