import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { SERVICE, userKey, type UserPoolRecord, type UserRecord } from './records.ts';
import { makePasswordVerifier, type PasswordVerifier } from './srp.ts';

/**
 * A user's password material: the scrypt hash for the password flows and the
 * SRP salt and verifier for USER_SRP_AUTH. The password itself is never kept;
 * the verifier, being password-equivalent for an offline guess, is sealed.
 */
interface CredentialRecord {
  sealedVerifier?: string;
  /** Consecutive failed sign-ins and the time before which sign-in is refused. */
  failedAttempts?: number;
  lockedUntil?: number;
}

function credentialKey(user: UserRecord): string {
  return userKey(user.UserPoolId, user.Username);
}

/** Set a user's password: every operation that sets one comes through here (the caller saves the user). */
export async function setPassword(app: App, pool: UserPoolRecord, user: UserRecord, password: string): Promise<void> {
  user.passwordHash = await hashPassword(password);
  const verifier = makePasswordVerifier(pool.Id, user.Username, password);
  app.store.put<CredentialRecord>(SERVICE, 'credential', credentialKey(user), { sealedVerifier: app.store.seal(JSON.stringify(verifier)) });
}

export function passwordVerifier(app: App, user: UserRecord): PasswordVerifier | undefined {
  const record = app.store.get<CredentialRecord>(SERVICE, 'credential', credentialKey(user));
  return record?.sealedVerifier ? (JSON.parse(app.store.openString(record.sealedVerifier)) as PasswordVerifier) : undefined;
}

export function deleteCredentials(app: App, user: UserRecord): void {
  app.store.delete(SERVICE, 'credential', credentialKey(user));
}

/**
 * Cognito locks a user out after five failed sign-ins in a row, for 1 second
 * doubling with each further failure up to about 15 minutes, and answers
 * "Password attempts exceeded" meanwhile (developer guide, "User pool
 * authentication flow", lockout behavior for failed sign-in attempts).
 */
const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 15 * 60 * 1000;

export function checkLockout(app: App, user: UserRecord): void {
  const record = app.store.get<CredentialRecord>(SERVICE, 'credential', credentialKey(user));
  if (record?.lockedUntil !== undefined && record.lockedUntil > Date.now()) {
    throw new AwsError('NotAuthorizedException', 'Password attempts exceeded');
  }
}

export function recordFailedSignIn(app: App, user: UserRecord): void {
  const record = app.store.get<CredentialRecord>(SERVICE, 'credential', credentialKey(user)) ?? {};
  const failedAttempts = (record.failedAttempts ?? 0) + 1;
  const lockedUntil = failedAttempts >= FREE_ATTEMPTS ? Date.now() + Math.min(1000 * 2 ** (failedAttempts - FREE_ATTEMPTS), MAX_LOCK_MS) : undefined;
  app.store.put<CredentialRecord>(SERVICE, 'credential', credentialKey(user), { ...record, failedAttempts, lockedUntil });
}

export function recordSuccessfulSignIn(app: App, user: UserRecord): void {
  const record = app.store.get<CredentialRecord>(SERVICE, 'credential', credentialKey(user));
  if (record?.failedAttempts) app.store.put<CredentialRecord>(SERVICE, 'credential', credentialKey(user), { sealedVerifier: record.sealedVerifier });
}

/** Check a password with the lockout applied: a miss counts as a failed attempt. */
export async function checkPassword(app: App, user: UserRecord, password: string): Promise<boolean> {
  checkLockout(app, user);
  if (await verifyPassword(password, user.passwordHash)) return true;
  recordFailedSignIn(app, user);
  return false;
}
