import { createHash, randomBytes } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { SERVICE, type AuthSessionRecord, type UserPoolClientRecord, type UserPoolRecord, type UserRecord } from './records.ts';

/** Session values are opaque; only their SHA-256 is stored. */
function sessionId(session: string): string {
  return createHash('sha256').update(session).digest('hex');
}

/** Open a challenge session that lives AuthSessionValidity minutes (default 3, CreateUserPoolClient). */
export function openSession(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord, challengeName: string): string {
  const session = randomBytes(96).toString('base64url');
  const minutes: number = client.settings.AuthSessionValidity ?? 3;
  const record: AuthSessionRecord = {
    UserPoolId: pool.Id,
    ClientId: client.ClientId,
    Username: user.Username,
    ChallengeName: challengeName,
    expiresAt: Date.now() + minutes * 60_000,
  };
  app.store.put(SERVICE, 'auth-session', sessionId(session), record);
  return session;
}

export function sessionExpired(): AwsError {
  return new AwsError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
}

/** Find a live session for the challenge, or fail as Cognito does for an unknown or expired one. */
export function findSession(app: App, session: unknown, challengeName: string, clientId?: string): AuthSessionRecord {
  if (typeof session !== 'string' || session === '') throw new AwsError('InvalidParameterException', 'Missing required parameter Session');
  const record = app.store.get<AuthSessionRecord>(SERVICE, 'auth-session', sessionId(session));
  if (!record || record.expiresAt <= Date.now() || record.ChallengeName !== challengeName) throw sessionExpired();
  if (clientId !== undefined && record.ClientId !== clientId) throw sessionExpired();
  return record;
}

/** Sessions are single use: a step that succeeds closes its session. */
export function closeSession(app: App, session: string): void {
  app.store.delete(SERVICE, 'auth-session', sessionId(session));
}

/** Replace a session with a fresh value for the next step of the same challenge. */
export function rotateSession(app: App, session: string, record: AuthSessionRecord): string {
  closeSession(app, session);
  const next = randomBytes(96).toString('base64url');
  app.store.put(SERVICE, 'auth-session', sessionId(next), record);
  return next;
}
