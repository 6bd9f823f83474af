import { AwsError } from '../../core/errors.ts';
import { validation } from './errors.ts';

/** One page of a list and the opaque NextToken for the rest; MaxResults is 1 to 100 in ListSecrets and ListSecretVersionIds. */
export function page<T>(items: T[], maxResults: number, nextToken: string | undefined): { items: T[]; NextToken?: string } {
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
    throw validation('maxResults', maxResults, 'Member must have value between 1 and 100');
  }
  const start = nextToken === undefined ? 0 : decodeToken(nextToken);
  const end = start + maxResults;
  return { items: items.slice(start, end), NextToken: end < items.length ? encodeToken(end) : undefined };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.');
}
