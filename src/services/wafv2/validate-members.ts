import { invalidParameter, REASON } from './errors.ts';

/** Member-level checks shared by the WAFv2 input validators. */
export type Input = Record<string, any>;

export function requireMember(input: Input | undefined, member: string, field: string): any {
  const value = input?.[member];
  if (value === undefined || value === null) throw invalidParameter(field, member, REASON.missing);
  return value;
}

export function requireString(input: Input, member: string, field: string, pattern: RegExp, max: number): string {
  const value = requireMember(input, member, field);
  checkString(value, member, field, pattern, max);
  return value;
}

export function checkString(value: unknown, member: string, field: string, pattern: RegExp, max: number): void {
  if (typeof value !== 'string' || value.length < 1 || value.length > max || !pattern.test(value)) {
    throw invalidParameter(field, member, REASON.invalidFormat);
  }
}

export function requireEnum(input: Input, member: string, field: string, allowed: readonly string[]): string {
  const value = requireMember(input, member, field);
  if (!allowed.includes(value)) throw invalidParameter(field, String(value), REASON.invalidOption);
  return value;
}

/** The single member set in a union structure (Statement, FieldToMatch, RuleAction). */
export function exactlyOne(input: Input | undefined, field: string, parameter: string): string {
  const members = Object.keys(input ?? {}).filter((key) => input![key] !== undefined && input![key] !== null);
  if (typeof input !== 'object' || members.length !== 1) throw invalidParameter(field, parameter, REASON.exactlyOne);
  return members[0];
}

export function requireNonNegativeInteger(input: Input, member: string, field: string): number {
  const value = requireMember(input, member, field);
  if (!Number.isInteger(value) || value < 0) throw invalidParameter(field, member, REASON.invalidFormat);
  return value;
}

export const ENTITY_NAME = /^[\w-]+$/;
export const METRIC_NAME = /^[\w#:.\-/]+$/;
export const LABEL_NAME = /^[0-9A-Za-z_\-:]+$/;
export const ENTITY_ID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/;
export const DESCRIPTION = /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/;
export const NON_BLANK = /\S/;
