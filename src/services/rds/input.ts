import { invalidParameterValue, missingParameter } from './errors.ts';

/**
 * Members of an awsQuery request arrive as strings ("20", "true"); in-process
 * callers (CloudFormation) pass numbers and booleans. These read either.
 */
export function optionalInt(input: Record<string, unknown>, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) throw invalidParameterValue(`Invalid value ${String(value)} for ${name}: an integer is required.`);
  return number;
}

export function optionalBool(input: Record<string, unknown>, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidParameterValue(`Invalid value ${String(value)} for ${name}: true or false is required.`);
}

export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return value === undefined || value === '' ? undefined : String(value);
}

export function requiredString(input: Record<string, unknown>, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined) throw missingParameter(name);
  return value;
}
