import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { paginate } from './pools.ts';
import { SERVICE, requirePool, requireUser, userKey, type UserPoolRecord, type UserRecord } from './records.ts';
import { userType } from './user-listing.ts';

/** A user pool group as GroupType describes it (dates as epoch milliseconds). */
interface GroupRecord {
  GroupName: string;
  UserPoolId: string;
  Description?: string;
  RoleArn?: string;
  Precedence?: number;
  CreationDate: number;
  LastModifiedDate: number;
}

interface MembershipRecord {
  UserPoolId: string;
  GroupName: string;
  Username: string;
}

function groupKey(userPoolId: string, groupName: string): string {
  return `${userPoolId}/${groupName}`;
}

function membershipKey(userPoolId: string, groupName: string, username: string): string {
  return `${userPoolId}/${groupName}/${username}`;
}

function groupType(group: GroupRecord) {
  return {
    GroupName: group.GroupName,
    UserPoolId: group.UserPoolId,
    Description: group.Description,
    RoleArn: group.RoleArn,
    Precedence: group.Precedence,
    LastModifiedDate: new Date(group.LastModifiedDate),
    CreationDate: new Date(group.CreationDate),
  };
}

function requireGroup(app: App, pool: UserPoolRecord, name: unknown): GroupRecord {
  if (typeof name !== 'string' || name === '') {
    throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null");
  }
  const group = app.store.get<GroupRecord>(SERVICE, 'group', groupKey(pool.Id, name));
  if (!group) throw new AwsError('ResourceNotFoundException', 'Group not found.');
  return group;
}

function checkPrecedence(value: unknown): void {
  if (value !== undefined && (!Number.isInteger(value) || (value as number) < 0)) {
    throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${value}' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  }
}

function memberships(app: App, userPoolId: string): MembershipRecord[] {
  return app.store.list<MembershipRecord>(SERVICE, 'group-member').filter((entry) => entry.UserPoolId === userPoolId);
}

/**
 * List the user's groups in the order the `cognito:groups` claim lists them:
 * by Precedence, lowest first, groups without one last (developer guide,
 * "Adding groups to a user pool").
 */
export function groupsOfUser(app: App, user: UserRecord): GroupRecord[] {
  return memberships(app, user.UserPoolId)
    .filter((entry) => entry.Username === user.Username)
    .map((entry) => app.store.get<GroupRecord>(SERVICE, 'group', groupKey(entry.UserPoolId, entry.GroupName)))
    .filter((group): group is GroupRecord => group !== undefined)
    .sort((a, b) => (a.Precedence ?? Infinity) - (b.Precedence ?? Infinity) || a.GroupName.localeCompare(b.GroupName));
}

/** Claims the user's groups add to tokens: `cognito:groups`, and in the ID token `cognito:roles` / `cognito:preferred_role`. */
export function groupClaims(app: App, user: UserRecord): { groups?: string[]; roles?: string[]; preferredRole?: string } {
  const groups = groupsOfUser(app, user);
  if (groups.length === 0) return {};
  const roles = groups.map((group) => group.RoleArn).filter((arn): arn is string => arn !== undefined);
  return { groups: groups.map((group) => group.GroupName), roles: roles.length ? roles : undefined, preferredRole: groups.find((group) => group.RoleArn)?.RoleArn };
}

/** Delete every group of a pool that is being deleted (its users' memberships go with the users). */
export function deleteGroupsOfPool(app: App, userPoolId: string): void {
  for (const group of app.store.list<GroupRecord>(SERVICE, 'group').filter((item) => item.UserPoolId === userPoolId)) {
    app.store.delete(SERVICE, 'group', groupKey(userPoolId, group.GroupName));
  }
}

/** Remove a deleted user from every group. */
export function removeUserFromGroups(app: App, user: UserRecord): void {
  for (const entry of memberships(app, user.UserPoolId).filter((item) => item.Username === user.Username)) {
    app.store.delete(SERVICE, 'group-member', membershipKey(entry.UserPoolId, entry.GroupName, entry.Username));
  }
}

function listLimit(value: unknown): number {
  if (value === undefined) return 60;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 60) {
    throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${value}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60`);
  }
  return (value as number) === 0 ? 60 : (value as number);
}

export function groupOperations(app: App): Record<string, Operation> {
  return {
    CreateGroup(input: Record<string, any>) {
      const name = requireField<string>(input, 'GroupName');
      const pool = requirePool(app, input.UserPoolId);
      checkPrecedence(input.Precedence);
      if (app.store.get(SERVICE, 'group', groupKey(pool.Id, name))) throw new AwsError('GroupExistsException', 'A group with the name already exists.');
      const now = Date.now();
      const group: GroupRecord = {
        GroupName: name,
        UserPoolId: pool.Id,
        Description: input.Description,
        RoleArn: input.RoleArn,
        Precedence: input.Precedence,
        CreationDate: now,
        LastModifiedDate: now,
      };
      app.store.put(SERVICE, 'group', groupKey(pool.Id, name), group);
      return { Group: groupType(group) };
    },

    GetGroup(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      return { Group: groupType(requireGroup(app, pool, input.GroupName)) };
    },

    UpdateGroup(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const group = requireGroup(app, pool, input.GroupName);
      checkPrecedence(input.Precedence);
      const updated: GroupRecord = {
        ...group,
        Description: input.Description ?? group.Description,
        RoleArn: input.RoleArn ?? group.RoleArn,
        Precedence: input.Precedence ?? group.Precedence,
        LastModifiedDate: Date.now(),
      };
      app.store.put(SERVICE, 'group', groupKey(pool.Id, group.GroupName), updated);
      return { Group: groupType(updated) };
    },

    ListGroups(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const groups = app.store.list<GroupRecord>(SERVICE, 'group').filter((group) => group.UserPoolId === pool.Id);
      const { page, next } = paginate(groups, input.NextToken, listLimit(input.Limit));
      return { Groups: page.map(groupType), NextToken: next };
    },

    DeleteGroup(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const group = requireGroup(app, pool, input.GroupName);
      app.store.transaction(() => {
        for (const entry of memberships(app, pool.Id).filter((item) => item.GroupName === group.GroupName)) {
          app.store.delete(SERVICE, 'group-member', membershipKey(pool.Id, entry.GroupName, entry.Username));
        }
        app.store.delete(SERVICE, 'group', groupKey(pool.Id, group.GroupName));
      });
      return {};
    },

    AdminAddUserToGroup(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const user = requireUser(app, pool, input.Username);
      const group = requireGroup(app, pool, input.GroupName);
      const record: MembershipRecord = { UserPoolId: pool.Id, GroupName: group.GroupName, Username: user.Username };
      app.store.put(SERVICE, 'group-member', membershipKey(pool.Id, group.GroupName, user.Username), record);
      return {};
    },

    AdminRemoveUserFromGroup(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const user = requireUser(app, pool, input.Username);
      const group = requireGroup(app, pool, input.GroupName);
      app.store.delete(SERVICE, 'group-member', membershipKey(pool.Id, group.GroupName, user.Username));
      return {};
    },

    AdminListGroupsForUser(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const user = requireUser(app, pool, input.Username);
      const { page, next } = paginate(groupsOfUser(app, user), input.NextToken, listLimit(input.Limit));
      return { Groups: page.map(groupType), NextToken: next };
    },

    ListUsersInGroup(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const group = requireGroup(app, pool, input.GroupName);
      const users = memberships(app, pool.Id)
        .filter((entry) => entry.GroupName === group.GroupName)
        .map((entry) => app.store.get<UserRecord>(SERVICE, 'user', userKey(pool.Id, entry.Username)))
        .filter((user): user is UserRecord => user !== undefined);
      const { page, next } = paginate(users, input.NextToken, listLimit(input.Limit));
      return { Users: page.map(userType), NextToken: next };
    },
  };
}
