import { AwsError } from '../../core/errors.ts';

/**
 * Runtimes palisade runs. NOTE: all of them run on the local Node.js
 * (20 on the machines palisade is tested on), whatever version they name.
 */
export const NODE_RUNTIMES = new Set(['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x']);

/**
 * Environment variables the Lambda runtime sets itself; AWS rejects them in
 * a function's configuration ("Defined runtime environment variables",
 * Lambda Developer Guide).
 */
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);
/** The variables of a function may total at most 4 KB. */
const MAX_ENVIRONMENT_BYTES = 4096;
const ROLE_ARN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

export function invalidValue(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, 400, { Type: 'User' });
}

function validation(detail: string): AwsError {
  return new AwsError('ValidationException', `1 validation error detected: ${detail}`, 400);
}

export function checkRole(role: unknown): string {
  if (role === undefined || role === null) throw validation("Value null at 'role' failed to satisfy constraint: Member must not be null");
  if (typeof role !== 'string' || !ROLE_ARN.test(role)) {
    throw validation(`Value '${String(role)}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+`);
  }
  return role;
}

/** Fail closed on every runtime but Node.js: palisade has no other language runtime to run code with. */
export function checkRuntime(runtime: unknown): string {
  if (typeof runtime !== 'string' || !NODE_RUNTIMES.has(runtime)) {
    throw invalidValue(
      `The runtime parameter of ${String(runtime)} is not supported by palisade: palisade runs functions locally only on Node.js runtimes (${[...NODE_RUNTIMES].join(', ')}).`,
    );
  }
  return runtime;
}

export function checkTimeout(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 900) {
    throw validation(`Value '${String(value)}' at 'timeout' failed to satisfy constraint: Member must have value between 1 and 900`);
  }
  return value;
}

export function checkMemorySize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 128 || value > 10240) {
    throw validation(`Value '${String(value)}' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240`);
  }
  return value;
}

export function checkVariables(environment: unknown): Record<string, string> {
  const variables = ((environment ?? {}) as { Variables?: Record<string, unknown> }).Variables ?? {};
  const reserved = Object.keys(variables).filter((key) => RESERVED_VARIABLES.has(key));
  if (reserved.length) {
    throw invalidValue(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(key)) {
      throw validation(`Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`);
    }
    result[key] = String(value);
  }
  if (Buffer.byteLength(JSON.stringify(result)) > MAX_ENVIRONMENT_BYTES) {
    throw invalidValue('Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.');
  }
  return result;
}

/** Configuration members that would change how the function runs but that palisade cannot honour: rejected, never ignored. */
export function rejectUnsupported(input: Record<string, any>): void {
  const unsupported: [string, boolean][] = [
    ['Layers', Array.isArray(input.Layers) && input.Layers.length > 0],
    ['FileSystemConfigs', Array.isArray(input.FileSystemConfigs) && input.FileSystemConfigs.length > 0],
    ['ImageConfig', input.ImageConfig !== undefined],
    ['CodeSigningConfigArn', input.CodeSigningConfigArn !== undefined],
    ['DeadLetterConfig', input.DeadLetterConfig?.TargetArn !== undefined],
    ['SnapStart', input.SnapStart !== undefined && input.SnapStart.ApplyOn !== 'None'],
    ['Publish', input.Publish === true],
    ['LoggingConfig.LogFormat JSON', input.LoggingConfig?.LogFormat !== undefined && input.LoggingConfig.LogFormat !== 'Text'],
    ['PackageType Image', input.PackageType !== undefined && input.PackageType !== 'Zip'],
  ];
  for (const [member, present] of unsupported) {
    if (present) throw invalidValue(`palisade does not support ${member} for Lambda functions yet; the request was not carried out.`);
  }
}
