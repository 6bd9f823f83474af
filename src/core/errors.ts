/**
 * Errors that reach the wire as AWS errors.
 *
 * An AwsError carries the modelled error code (the `__type` of JSON protocols,
 * the `<Code>` of XML protocols), its HTTP status and whether the caller is at
 * fault. Anything else thrown by a service is an internal failure and reaches
 * the wire only as a 500 `InternalFailure`, never with its message.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly senderFault: boolean;
  /** Extra members serialized next to `message` (for example `LockToken`). */
  readonly fields: Record<string, unknown>;
  /**
   * The awsQuery error code of a service that moved from awsQuery to JSON
   * (the model's `awsQueryCompatible` trait), sent in `x-amzn-query-error`.
   */
  queryErrorCode: string | undefined;

  constructor(code: string, message: string, status = 400, fields: Record<string, unknown> = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.senderFault = status < 500;
    this.fields = fields;
    this.queryErrorCode = undefined;
  }
}

/** Raised for an operation palisade does not implement; fail closed, naming it. */
export function notImplemented(service: string, operation: string): AwsError {
  return new AwsError(
    'NotImplementedException',
    `palisade does not implement ${service}:${operation} yet; the request was not carried out`,
    501,
  );
}

/** Raised for a request parameter value AWS would reject as invalid. */
export function invalidParameter(message: string, code = 'InvalidParameterException'): AwsError {
  return new AwsError(code, message, 400);
}

/** Raised when a required member of the input is missing. */
export function requireField<T>(input: Record<string, unknown>, name: string, code = 'InvalidParameterException'): T {
  const value = input[name];
  if (value === undefined || value === null || value === '') {
    throw new AwsError(code, `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`, 400);
  }
  return value as T;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
