import { AwsError } from '../../core/errors.ts';

/** A place in a stream's (timestamp, id) order. */
export interface Position {
  timestamp: number;
  id: number;
}

/**
 * GetLogEvents tokens: `f/` or `b/` and 56 digits, the form AWS returns.
 * Here the digits are the timestamp (20) and the event id (36).
 */
export function forwardToken(position: Position): string {
  return `f/${digits(position)}`;
}

export function backwardToken(position: Position): string {
  return `b/${digits(position)}`;
}

export function parsePositionToken(token: string): { direction: 'f' | 'b'; position: Position } {
  const match = /^([fb])\/(\d{20})(\d{36})$/.exec(token);
  if (!match) throw invalidToken(token);
  return { direction: match[1] as 'f' | 'b', position: { timestamp: Number(match[2]), id: Number(match[3]) } };
}

/** Tokens of the list operations (DescribeLogGroups, DescribeLogStreams, FilterLogEvents): an offset into the listing. */
export function offsetToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

export function parseOffsetToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidToken(token);
  return Number(match[1]);
}

function digits(position: Position): string {
  return String(position.timestamp).padStart(20, '0') + String(position.id).padStart(36, '0');
}

function invalidToken(token: string): AwsError {
  return new AwsError('InvalidParameterException', `The specified nextToken is invalid: ${JSON.stringify(token)}.`, 400);
}
