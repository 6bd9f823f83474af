import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';

/** Store namespace of every Cognito user pools record. */
export const SERVICE = 'cognito-idp';

export interface AttributeType {
  Name: string;
  Value: string;
}

/** An RSA signing key of a pool; the private key is sealed with the state store's key. */
export interface SigningKeyRecord {
  kid: string;
  publicJwk: Record<string, string>;
  sealedPrivateKey: string;
}

export interface UserPoolRecord {
  Id: string;
  Name: string;
  Arn: string;
  CreationDate: number;
  LastModifiedDate: number;
  /** Members of CreateUserPool kept as given (defaults are applied when describing). */
  settings: Record<string, any>;
  /** Declared custom attributes, without the `custom:` prefix. */
  customAttributes: string[];
  /** Standard attributes the pool's Schema marks `Required`. */
  requiredAttributes: string[];
  /** Cognito signs ID and access tokens with different keys. */
  keys: { id: SigningKeyRecord; access: SigningKeyRecord };
  Domain?: string;
}

export interface UserPoolClientRecord {
  UserPoolId: string;
  ClientId: string;
  ClientName: string;
  sealedSecret?: string;
  CreationDate: number;
  LastModifiedDate: number;
  /** Members of CreateUserPoolClient after defaults, without the secret. */
  settings: Record<string, any>;
}

export interface DomainRecord {
  Domain: string;
  UserPoolId: string;
  Version: string;
  ManagedLoginVersion: number;
}

/** A one-time code sent to a user; the code itself is sealed. */
export interface CodeRecord {
  purpose: 'SignUp' | 'ForgotPassword' | 'VerifyAttribute';
  sealedCode: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Attribute the code was delivered to, which becomes verified when the code is used. */
  attributeName?: string;
  /** Wrong codes sent for this code so far. */
  failedAttempts?: number;
}

export interface UserRecord {
  UserPoolId: string;
  Username: string;
  Attributes: AttributeType[];
  Enabled: boolean;
  UserStatus: string;
  UserCreateDate: number;
  UserLastModifiedDate: number;
  /** scrypt hash; never the password. */
  passwordHash?: string;
  /** Epoch milliseconds after which a temporary password no longer signs in. */
  temporaryPasswordExpiresAt?: number;
  code?: CodeRecord;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token, the record's key; the token itself is never stored. */
  tokenHash: string;
  UserPoolId: string;
  ClientId: string;
  Username: string;
  originJti: string;
  eventId: string;
  authTime: number;
  expiresAt: number;
  revoked?: boolean;
}

export interface AuthSessionRecord {
  UserPoolId: string;
  ClientId: string;
  Username: string;
  ChallengeName: string;
  expiresAt: number;
}

const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** The pool, or the errors AWS returns for a malformed or unknown pool id. */
export function requirePool(app: App, userPoolId: unknown): UserPoolRecord {
  if (typeof userPoolId !== 'string' || userPoolId === '') {
    throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null");
  }
  if (!USER_POOL_ID.test(userPoolId) || userPoolId.length > 55) {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${userPoolId}' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+`,
    );
  }
  const pool = app.store.get<UserPoolRecord>(SERVICE, 'user-pool', userPoolId);
  if (!pool) throw new AwsError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);
  return pool;
}

export function findClient(app: App, clientId: unknown): UserPoolClientRecord | undefined {
  if (typeof clientId !== 'string') return undefined;
  return app.store.get<UserPoolClientRecord>(SERVICE, 'user-pool-client', clientId);
}

/** Look up the app client and check that it belongs to `userPoolId` when one is given. */
export function requireClient(app: App, clientId: unknown, userPoolId?: string): UserPoolClientRecord {
  if (typeof clientId !== 'string' || clientId === '') {
    throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null");
  }
  const client = findClient(app, clientId);
  if (!client || (userPoolId !== undefined && client.UserPoolId !== userPoolId)) {
    throw new AwsError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }
  return client;
}

/** Look up the pool an app client belongs to. Deleting a pool deletes its clients, so a miss is reported as the client's. */
export function poolOfClient(app: App, client: UserPoolClientRecord): UserPoolRecord {
  const pool = app.store.get<UserPoolRecord>(SERVICE, 'user-pool', client.UserPoolId);
  if (!pool) throw new AwsError('ResourceNotFoundException', `User pool client ${client.ClientId} does not exist.`);
  return pool;
}

export function userKey(userPoolId: string, username: string): string {
  return `${userPoolId}/${username}`;
}

export function putUser(app: App, user: UserRecord): void {
  app.store.put(SERVICE, 'user', userKey(user.UserPoolId, user.Username), user);
}

export function usersOfPool(app: App, userPoolId: string): UserRecord[] {
  return app.store.list<UserRecord>(SERVICE, 'user').filter((user) => user.UserPoolId === userPoolId);
}

export function attribute(user: UserRecord, name: string): string | undefined {
  return user.Attributes.find((entry) => entry.Name === name)?.Value;
}

export function setAttribute(user: UserRecord, name: string, value: string): void {
  const existing = user.Attributes.find((entry) => entry.Name === name);
  if (existing) existing.Value = value;
  else user.Attributes.push({ Name: name, Value: value });
}

/**
 * Find the user a sign-in name refers to: the user name itself, or, where the pool
 * signs in with email or phone (UsernameAttributes) or accepts them as
 * aliases (AliasAttributes, verified values only), that attribute's value.
 * Email matching ignores case, as email sign-in does in new user pools.
 */
export function findUser(app: App, pool: UserPoolRecord, name: unknown): UserRecord | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  const direct = app.store.get<UserRecord>(SERVICE, 'user', userKey(pool.Id, name));
  if (direct) return direct;
  const usernameAttributes: string[] = pool.settings.UsernameAttributes ?? [];
  const aliasAttributes: string[] = pool.settings.AliasAttributes ?? [];
  const signInAttributes = [...usernameAttributes, ...aliasAttributes];
  if (signInAttributes.length === 0) return undefined;
  const wanted = name.toLowerCase();
  return usersOfPool(app, pool.Id).find((user) =>
    signInAttributes.some((attributeName) => {
      const value = attribute(user, attributeName);
      if (value === undefined || value.toLowerCase() !== wanted) return false;
      // An alias signs in only once verified; a username attribute always does.
      return usernameAttributes.includes(attributeName) || attribute(user, `${attributeName}_verified`) === 'true';
    }),
  );
}

export function userNotFound(): AwsError {
  return new AwsError('UserNotFoundException', 'User does not exist.');
}

/** Admin operations name users by user name or sign-in attribute and always reveal a miss. */
export function requireUser(app: App, pool: UserPoolRecord, name: unknown): UserRecord {
  if (typeof name !== 'string' || name === '') {
    throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null");
  }
  const user = findUser(app, pool, name);
  if (!user) throw userNotFound();
  return user;
}

export function poolArn(app: App, userPoolId: string): string {
  return `arn:aws:cognito-idp:${app.region}:${app.accountId}:userpool/${userPoolId}`;
}

/** Return the `iss` of the pool's tokens (the original, single-Region issuer form). */
export function issuer(app: App, userPoolId: string): string {
  return `https://cognito-idp.${app.region}.amazonaws.com/${userPoolId}`;
}
