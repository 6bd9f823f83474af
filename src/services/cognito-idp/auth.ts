import { createHash, randomBytes } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import {
  SERVICE,
  findUser,
  poolOfClient,
  putUser,
  requireClient,
  requirePool,
  setAttribute,
  userKey,
  userNotFound,
  type AuthSessionRecord,
  type UserPoolClientRecord,
  type UserPoolRecord,
  type UserRecord,
} from './records.ts';
import { checkAttributes } from './schema.ts';
import { checkSecretHash } from './secret-hash.ts';
import { findRefreshToken, isOriginRevoked, issueRefreshToken, newAuthEvent, signTokens, type AuthEvent } from './tokens.ts';
import { preventsUserExistenceErrors } from './users.ts';

type Api = 'InitiateAuth' | 'AdminInitiateAuth';

/** Return the client's flows as ALLOW_ values. Legacy values imply SRP and refresh, and no list means Cognito's default three. */
function enabledFlows(client: UserPoolClientRecord): Set<string> {
  const given: string[] = client.settings.ExplicitAuthFlows ?? [];
  if (given.length === 0) return new Set(['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  if (!given.some((flow) => flow.startsWith('ALLOW_'))) {
    const flows = new Set(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    if (given.includes('ADMIN_NO_SRP_AUTH')) flows.add('ALLOW_ADMIN_USER_PASSWORD_AUTH');
    if (given.includes('USER_PASSWORD_AUTH')) flows.add('ALLOW_USER_PASSWORD_AUTH');
    if (given.includes('CUSTOM_AUTH_FLOW_ONLY')) flows.add('ALLOW_CUSTOM_AUTH');
    return flows;
  }
  return new Set(given);
}

/** The ExplicitAuthFlows value that enables each AuthFlow, per API: undefined where the API does not take the flow. */
const FLOW_PERMISSION: Record<Api, Record<string, string>> = {
  InitiateAuth: {
    USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
    REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
    REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
    USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
    CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
    USER_AUTH: 'ALLOW_USER_AUTH',
  },
  AdminInitiateAuth: {
    ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
    ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
    REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
    REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
    USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
    CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
    USER_AUTH: 'ALLOW_USER_AUTH',
  },
};

const AUTH_FLOWS = ['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH'];

/** Check the flow exists, suits the API and is enabled on the client. */
function checkFlow(api: Api, client: UserPoolClientRecord, flow: unknown): string {
  if (typeof flow !== 'string' || !AUTH_FLOWS.includes(flow)) {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(flow)}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${AUTH_FLOWS.join(', ')}]`,
    );
  }
  const permission = FLOW_PERMISSION[api][flow];
  if (!permission) throw new AwsError('InvalidParameterException', 'Initiate Auth method not supported.');
  if (!enabledFlows(client).has(permission)) throw new AwsError('InvalidParameterException', `${flow} flow not enabled for this client`);
  if (flow === 'USER_SRP_AUTH' || flow === 'CUSTOM_AUTH' || flow === 'USER_AUTH') {
    throw new AwsError('NotImplementedException', `palisade does not implement the ${flow} authentication flow yet; use a password flow.`, 501);
  }
  return flow;
}

function incorrectCredentials(): AwsError {
  return new AwsError('NotAuthorizedException', 'Incorrect username or password.');
}

/**
 * Sign in with a user name and password, in the order Cognito checks:
 * secret hash, user, enabled, password, temporary-password expiry, then
 * confirmation. A missing user is hidden behind the wrong-password error when
 * the client prevents user existence errors.
 */
async function passwordSignIn(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, params: Record<string, any>) {
  const username = params.USERNAME;
  if (typeof username !== 'string' || username === '') throw new AwsError('InvalidParameterException', 'Missing required parameter USERNAME');
  checkSecretHash(app, client, params.SECRET_HASH, [username]);
  const password = params.PASSWORD;
  if (typeof password !== 'string' || password === '') throw new AwsError('InvalidParameterException', 'Missing required parameter PASSWORD');
  const user = findUser(app, pool, username);
  if (!user) throw preventsUserExistenceErrors(client) ? incorrectCredentials() : userNotFound();
  if (!user.Enabled) throw new AwsError('NotAuthorizedException', 'User is disabled.');
  if (!(await verifyPassword(password, user.passwordHash))) throw incorrectCredentials();
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD' && (user.temporaryPasswordExpiresAt ?? Infinity) <= Date.now()) {
    throw new AwsError('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.');
  }
  if (user.UserStatus === 'UNCONFIRMED') throw new AwsError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.UserStatus === 'RESET_REQUIRED') throw new AwsError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') return newPasswordChallenge(app, pool, client, user);
  return tokensResponse(app, pool, client, user, newAuthEvent(), true);
}

async function tokensResponse(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord, event: AuthEvent, withRefreshToken: boolean) {
  const signed = await signTokens(app, pool, client, user, event);
  return {
    ChallengeParameters: {},
    AuthenticationResult: {
      AccessToken: signed.AccessToken,
      ExpiresIn: signed.ExpiresIn,
      TokenType: 'Bearer',
      RefreshToken: withRefreshToken ? issueRefreshToken(app, pool, client, user, event) : undefined,
      IdToken: signed.IdToken,
    },
  };
}

function hashSession(session: string): string {
  return createHash('sha256').update(session).digest('hex');
}

/** Start the NEW_PASSWORD_REQUIRED challenge: the session is opaque and lives AuthSessionValidity minutes (default 3). */
function newPasswordChallenge(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord) {
  const session = randomBytes(96).toString('base64url');
  const minutes: number = client.settings.AuthSessionValidity ?? 3;
  const record: AuthSessionRecord = {
    UserPoolId: pool.Id,
    ClientId: client.ClientId,
    Username: user.Username,
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    expiresAt: Date.now() + minutes * 60_000,
  };
  app.store.put(SERVICE, 'auth-session', hashSession(session), record);
  const userAttributes = Object.fromEntries(user.Attributes.filter((entry) => entry.Name !== 'sub').map((entry) => [entry.Name, entry.Value]));
  return {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    Session: session,
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.Username,
      requiredAttributes: '[]',
      userAttributes: JSON.stringify(userAttributes),
    },
  };
}

/**
 * REFRESH_TOKEN_AUTH: new ID and access tokens for the sign-in the refresh
 * token came from. The secret hash is computed over the user name the token
 * belongs to. The response carries no new refresh token.
 */
async function refreshSignIn(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, params: Record<string, any>) {
  const token = params.REFRESH_TOKEN;
  if (typeof token !== 'string' || token === '') throw new AwsError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN');
  if (client.sealedSecret && (typeof params.SECRET_HASH !== 'string' || params.SECRET_HASH === '')) checkSecretHash(app, client, params.SECRET_HASH, []);
  const found = findRefreshToken(app, token);
  const invalid = new AwsError('NotAuthorizedException', 'Invalid Refresh Token');
  if (!found || found.record.ClientId !== client.ClientId || found.record.UserPoolId !== pool.Id) throw invalid;
  const record = found.record;
  checkSecretHash(app, client, params.SECRET_HASH, [record.Username]);
  if (record.revoked || isOriginRevoked(app, record.originJti)) throw new AwsError('NotAuthorizedException', 'Refresh Token has been revoked');
  if (record.expiresAt <= Date.now()) throw new AwsError('NotAuthorizedException', 'Refresh Token has expired');
  const user = app.store.get<UserRecord>(SERVICE, 'user', userKey(pool.Id, record.Username));
  if (!user) throw invalid;
  if (!user.Enabled) throw new AwsError('NotAuthorizedException', 'User is disabled.');
  return tokensResponse(app, pool, client, user, { originJti: record.originJti, eventId: record.eventId, authTime: record.authTime }, false);
}

async function initiateAuth(api: Api, pool: UserPoolRecord, client: UserPoolClientRecord, input: Record<string, any>, app: App) {
  const flow = checkFlow(api, client, input.AuthFlow);
  const params: Record<string, any> = input.AuthParameters ?? {};
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return refreshSignIn(app, pool, client, params);
  return passwordSignIn(app, pool, client, params);
}

/** Respond to NEW_PASSWORD_REQUIRED: set the new password (and any attributes given), confirm the user, issue tokens. */
async function respondToChallenge(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, input: Record<string, any>) {
  const challenge = requireField<string>(input, 'ChallengeName');
  if (challenge !== 'NEW_PASSWORD_REQUIRED') {
    throw new AwsError('NotImplementedException', `palisade does not implement the ${challenge} challenge yet.`, 501);
  }
  const responses: Record<string, any> = input.ChallengeResponses ?? {};
  const username = responses.USERNAME;
  if (typeof username !== 'string' || username === '') throw new AwsError('InvalidParameterException', 'Missing required parameter USERNAME');
  checkSecretHash(app, client, responses.SECRET_HASH, [username]);
  const newPassword = responses.NEW_PASSWORD;
  if (typeof newPassword !== 'string' || newPassword === '') throw new AwsError('InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
  const expired = new AwsError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
  if (typeof input.Session !== 'string' || input.Session === '') throw new AwsError('InvalidParameterException', 'Missing required parameter Session');
  const sessionId = hashSession(input.Session);
  const session = app.store.get<AuthSessionRecord>(SERVICE, 'auth-session', sessionId);
  if (!session || session.expiresAt <= Date.now() || session.ClientId !== client.ClientId || session.ChallengeName !== challenge) throw expired;
  const user = findUser(app, pool, username);
  if (!user || user.Username !== session.Username) throw new AwsError('NotAuthorizedException', 'Invalid session for the user.');
  checkPasswordPolicy(pool, newPassword);
  const updates = Object.entries(responses)
    .filter(([name]) => name.startsWith('userAttributes.'))
    .map(([name, value]) => ({ Name: name.slice('userAttributes.'.length), Value: value }));
  for (const entry of checkAttributes(pool, updates)) setAttribute(user, entry.Name, entry.Value);
  user.passwordHash = await hashPassword(newPassword);
  user.temporaryPasswordExpiresAt = undefined;
  user.UserStatus = 'CONFIRMED';
  user.UserLastModifiedDate = Date.now();
  putUser(app, user);
  app.store.delete(SERVICE, 'auth-session', sessionId);
  return tokensResponse(app, pool, client, user, newAuthEvent(), true);
}

export function authOperations(app: App): Record<string, Operation> {
  return {
    AdminInitiateAuth(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const client = requireClient(app, input.ClientId, pool.Id);
      return initiateAuth('AdminInitiateAuth', pool, client, input, app);
    },

    InitiateAuth(input: Record<string, any>) {
      const client = requireClient(app, input.ClientId);
      return initiateAuth('InitiateAuth', poolOfClient(app, client), client, input, app);
    },

    RespondToAuthChallenge(input: Record<string, any>) {
      const client = requireClient(app, input.ClientId);
      return respondToChallenge(app, poolOfClient(app, client), client, input);
    },

    AdminRespondToAuthChallenge(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      return respondToChallenge(app, pool, requireClient(app, input.ClientId, pool.Id), input);
    },
  };
}
