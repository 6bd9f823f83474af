import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { paginate } from './pools.ts';
import { attribute, usersOfPool, type UserPoolRecord, type UserRecord } from './records.ts';

/** Describe a user as UserType (ListUsers, AdminCreateUser). */
export function userType(user: UserRecord) {
  return {
    Username: user.Username,
    Attributes: user.Attributes.map((entry) => ({ Name: entry.Name, Value: entry.Value })),
    UserCreateDate: new Date(user.UserCreateDate),
    UserLastModifiedDate: new Date(user.UserLastModifiedDate),
    Enabled: user.Enabled,
    UserStatus: user.UserStatus,
  };
}

/** Attributes ListUsers can filter on (ListUsers, API reference, "Filter"). */
const FILTERABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

type Filter = { name: string; operator: '=' | '^='; value: string };

function parseFilter(text: unknown): Filter | undefined {
  if (text === undefined || text === '') return undefined;
  const match = typeof text === 'string' ? /^\s*"?([\w:]+)"?\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(text) : null;
  if (!match) throw new AwsError('InvalidParameterException', `Error while parsing filter: ${String(text)}.`);
  const [, name, operator, value] = match;
  if (!FILTERABLE.has(name)) throw new AwsError('InvalidParameterException', `Invalid search attribute: ${name}`);
  return { name, operator: operator as Filter['operator'], value: value.replace(/\\(.)/g, '$1') };
}

function filterValue(user: UserRecord, name: string): string | undefined {
  if (name === 'username') return user.Username;
  if (name === 'cognito:user_status') return user.UserStatus;
  if (name === 'status') return user.Enabled ? 'Enabled' : 'Disabled';
  return attribute(user, name);
}

function matches(user: UserRecord, filter: Filter): boolean {
  const actual = filterValue(user, filter.name);
  if (actual === undefined) return false;
  return filter.operator === '=' ? actual === filter.value : actual.startsWith(filter.value);
}

export function listUsers(app: App, pool: UserPoolRecord, input: Record<string, any>) {
  const limit = input.Limit ?? 60;
  if (!Number.isInteger(limit) || limit < 0 || limit > 60) {
    throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60`);
  }
  const filter = parseFilter(input.Filter);
  const wanted: string[] | undefined = input.AttributesToGet;
  const users = usersOfPool(app, pool.Id).filter((user) => !filter || matches(user, filter));
  const { page, next } = paginate(users, input.PaginationToken, limit === 0 ? 60 : limit);
  return {
    Users: page.map((user) => {
      const described = userType(user);
      if (wanted) described.Attributes = described.Attributes.filter((entry) => wanted.includes(entry.Name));
      return described;
    }),
    PaginationToken: next,
  };
}
