import { createHash, randomBytes } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { checkLockout, checkPassword, passwordVerifier, recordFailedSignIn, recordSuccessfulSignIn, setPassword } from './credentials.ts';
import { checkMfaCode, completeMfaSetup, mfaChallengeFor } from './mfa.ts';
import { checkPasswordPolicy } from './passwords.ts';
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
  type UserPoolClientRecord,
  type UserPoolRecord,
  type UserRecord,
} from './records.ts';
import { checkAttributes } from './schema.ts';
import { checkSecretHash } from './secret-hash.ts';
import { closeSession, findSession, openSession } from './sessions.ts';
import { isSrpTimestamp, makePasswordVerifier, startHandshake, verifyPasswordClaim, type PasswordVerifier, type ServerHandshake } from './srp.ts';
import { findRefreshToken, isOriginRevoked, issueRefreshToken, newAuthEvent, signTokens, type AuthEvent } from './tokens.ts';
import { postAuthentication, preAuthentication } from './trigger-hooks.ts';
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
  if (flow === 'CUSTOM_AUTH' || flow === 'USER_AUTH') {
    throw new AwsError('NotImplementedException', `palisade does not implement the ${flow} authentication flow yet; use USER_SRP_AUTH or a password flow.`, 501);
  }
  return flow;
}

function incorrectCredentials(): AwsError {
  return new AwsError('NotAuthorizedException', 'Incorrect username or password.');
}

/**
 * Sign in with a user name and password, in the order Cognito checks:
 * secret hash, user, enabled, lockout, password, then the steps after the
 * password. A missing user is hidden behind the wrong-password error when
 * the client prevents user existence errors.
 */
async function passwordSignIn(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, params: Record<string, any>, clientMetadata?: unknown) {
  const username = params.USERNAME;
  if (typeof username !== 'string' || username === '') throw new AwsError('InvalidParameterException', 'Missing required parameter USERNAME');
  checkSecretHash(app, client, params.SECRET_HASH, [username]);
  const password = params.PASSWORD;
  if (typeof password !== 'string' || password === '') throw new AwsError('InvalidParameterException', 'Missing required parameter PASSWORD');
  const user = findUser(app, pool, username);
  if (user || preventsUserExistenceErrors(client)) await preAuthentication(app, pool, client.ClientId, username, user, clientMetadata);
  if (!user) throw preventsUserExistenceErrors(client) ? incorrectCredentials() : userNotFound();
  if (!user.Enabled) throw new AwsError('NotAuthorizedException', 'User is disabled.');
  if (!(await checkPassword(app, user, password))) throw incorrectCredentials();
  return afterPassword(app, pool, client, user);
}

/**
 * The steps after a proven password, shared by the password flows and SRP:
 * temporary-password expiry, confirmation, NEW_PASSWORD_REQUIRED, then MFA,
 * then tokens. This is the one place a sign-in passes its password check.
 */
async function afterPassword(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord) {
  recordSuccessfulSignIn(app, user);
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD' && (user.temporaryPasswordExpiresAt ?? Infinity) <= Date.now()) {
    throw new AwsError('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.');
  }
  if (user.UserStatus === 'UNCONFIRMED') throw new AwsError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.UserStatus === 'RESET_REQUIRED') throw new AwsError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') return newPasswordChallenge(app, pool, client, user);
  return afterNewPassword(app, pool, client, user);
}

/** MFA, when the pool and user have it, else the tokens. */
async function afterNewPassword(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord) {
  const challenge = mfaChallengeFor(app, pool, user);
  if (challenge === 'SOFTWARE_TOKEN_MFA') {
    return { ChallengeName: challenge, Session: openSession(app, pool, client, user, challenge), ChallengeParameters: {} };
  }
  if (challenge === 'MFA_SETUP') {
    return {
      ChallengeName: challenge,
      Session: openSession(app, pool, client, user, challenge),
      ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
    };
  }
  return tokensResponse(app, pool, client, user, newAuthEvent(), true);
}

async function tokensResponse(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord, event: AuthEvent, withRefreshToken: boolean) {
  if (withRefreshToken) await postAuthentication(app, pool, client.ClientId, user, event.clientMetadata);
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

/** Start the NEW_PASSWORD_REQUIRED challenge. */
function newPasswordChallenge(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord) {
  const userAttributes = Object.fromEntries(user.Attributes.filter((entry) => entry.Name !== 'sub').map((entry) => [entry.Name, entry.Value]));
  return {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    Session: openSession(app, pool, client, user, 'NEW_PASSWORD_REQUIRED'),
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.Username,
      requiredAttributes: '[]',
      userAttributes: JSON.stringify(userAttributes),
    },
  };
}

/** The server's SRP state between InitiateAuth and PASSWORD_VERIFIER, keyed by the SHA-256 of the secret block it sent. */
interface SrpStateRecord {
  UserPoolId: string;
  ClientId: string;
  /** Undefined for the decoy handshake of a user that does not exist. */
  Username?: string;
  sealedHandshake: string;
  expiresAt: number;
}

function secretBlockId(secretBlock: string): string {
  return createHash('sha256').update(secretBlock).digest('hex');
}

/**
 * USER_SRP_AUTH: respond to SRP_A with the PASSWORD_VERIFIER challenge (salt, B,
 * an opaque secret block). With PreventUserExistenceErrors an unknown user
 * gets a decoy challenge that fails like a wrong password.
 */
async function srpStart(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, params: Record<string, any>, clientMetadata?: unknown) {
  const username = params.USERNAME;
  if (typeof username !== 'string' || username === '') throw new AwsError('InvalidParameterException', 'Missing required parameter USERNAME');
  checkSecretHash(app, client, params.SECRET_HASH, [username]);
  const srpA = params.SRP_A;
  if (typeof srpA !== 'string' || srpA === '') throw new AwsError('InvalidParameterException', 'Missing required parameter SRP_A');

  const user = findUser(app, pool, username);
  if (user || preventsUserExistenceErrors(client)) await preAuthentication(app, pool, client.ClientId, username, user, clientMetadata);
  if (!user && !preventsUserExistenceErrors(client)) throw userNotFound();
  if (user && !user.Enabled) throw new AwsError('NotAuthorizedException', 'User is disabled.');
  if (user) checkLockout(app, user);

  // An unknown user (or one without a verifier) gets a random verifier, so the handshake fails at the signature.
  const userIdForSrp = user?.Username ?? username;
  const verifier: PasswordVerifier = (user && passwordVerifier(app, user)) || makePasswordVerifier(pool.Id, userIdForSrp, randomBytes(32).toString('hex'));
  const handshake = startHandshake(srpA, verifier);
  if (!handshake) throw new AwsError('InvalidParameterException', 'SRP_A is invalid.');

  const secretBlock = randomBytes(512).toString('base64');
  const minutes: number = client.settings.AuthSessionValidity ?? 3;
  const state: SrpStateRecord = {
    UserPoolId: pool.Id,
    ClientId: client.ClientId,
    Username: user && passwordVerifier(app, user) ? user.Username : undefined,
    sealedHandshake: app.store.seal(JSON.stringify({ handshake, verifier })),
    expiresAt: Date.now() + minutes * 60_000,
  };
  app.store.put(SERVICE, 'srp-state', secretBlockId(secretBlock), state);
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: verifier.salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: handshake.B,
      USERNAME: userIdForSrp,
      USER_ID_FOR_SRP: userIdForSrp,
    },
  };
}

/** PASSWORD_VERIFIER: check the client's claim signature against the handshake; a wrong password fails as in the password flows. */
async function srpVerify(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, responses: Record<string, any>) {
  const username = requireResponse(responses, 'USERNAME');
  checkSecretHash(app, client, responses.SECRET_HASH, [username]);
  const secretBlock = requireResponse(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requireResponse(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requireResponse(responses, 'TIMESTAMP');
  if (!isSrpTimestamp(timestamp)) throw new AwsError('NotAuthorizedException', 'Incorrect timestamp format.');
  const id = secretBlockId(secretBlock);
  const state = app.store.get<SrpStateRecord>(SERVICE, 'srp-state', id);
  app.store.delete(SERVICE, 'srp-state', id);
  if (!state || state.ClientId !== client.ClientId || state.UserPoolId !== pool.Id || state.expiresAt <= Date.now()) throw incorrectCredentials();
  const user = state.Username === undefined ? undefined : app.store.get<UserRecord>(SERVICE, 'user', userKey(pool.Id, state.Username));
  if (!user || user.Username !== username) throw incorrectCredentials();
  if (!user.Enabled) throw new AwsError('NotAuthorizedException', 'User is disabled.');
  checkLockout(app, user);
  const { handshake, verifier } = JSON.parse(app.store.openString(state.sealedHandshake)) as { handshake: ServerHandshake; verifier: PasswordVerifier };
  const proven = verifyPasswordClaim({ userPoolId: pool.Id, userIdForSrp: user.Username, handshake, verifier, secretBlock, timestamp, signature });
  if (!proven) {
    recordFailedSignIn(app, user);
    throw incorrectCredentials();
  }
  return afterPassword(app, pool, client, user);
}

function requireResponse(responses: Record<string, any>, name: string): string {
  const value = responses[name];
  if (typeof value !== 'string' || value === '') throw new AwsError('InvalidParameterException', `Missing required parameter ${name}`);
  return value;
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
  return tokensResponse(app, pool, client, user, { originJti: record.originJti, eventId: record.eventId, authTime: record.authTime, tokenGeneration: 'TokenGeneration_RefreshTokens' }, false);
}

async function initiateAuth(api: Api, pool: UserPoolRecord, client: UserPoolClientRecord, input: Record<string, any>, app: App) {
  const flow = checkFlow(api, client, input.AuthFlow);
  const params: Record<string, any> = input.AuthParameters ?? {};
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return refreshSignIn(app, pool, client, params);
  if (flow === 'USER_SRP_AUTH') return srpStart(app, pool, client, params, input.ClientMetadata);
  return passwordSignIn(app, pool, client, params, input.ClientMetadata);
}

const CHALLENGES = ['SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE', 'SELECT_CHALLENGE', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER', 'ADMIN_NO_SRP_AUTH', 'NEW_PASSWORD_REQUIRED', 'SMS_OTP', 'PASSWORD', 'WEB_AUTHN', 'PASSWORD_SRP'];

/** Handle the response to a challenge of InitiateAuth or AdminInitiateAuth. */
async function respondToChallenge(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, input: Record<string, any>) {
  const challenge = requireField<string>(input, 'ChallengeName');
  if (!CHALLENGES.includes(challenge)) {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${challenge}' at 'challengeName' failed to satisfy constraint: Member must satisfy enum value set: [${CHALLENGES.join(', ')}]`,
    );
  }
  const responses: Record<string, any> = input.ChallengeResponses ?? {};
  switch (challenge) {
    case 'PASSWORD_VERIFIER':
      return srpVerify(app, pool, client, responses);
    case 'NEW_PASSWORD_REQUIRED':
      return newPasswordResponse(app, pool, client, input.Session, responses);
    case 'SOFTWARE_TOKEN_MFA':
    case 'MFA_SETUP':
      return mfaResponse(app, pool, client, challenge, input.Session, responses);
    default:
      throw new AwsError('NotImplementedException', `palisade does not implement the ${challenge} challenge yet.`, 501);
  }
}

/** Find the user a challenge session belongs to, checking the USERNAME and SECRET_HASH the response carries. */
function userOfSession(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, challenge: string, session: unknown, responses: Record<string, any>) {
  const username = requireResponse(responses, 'USERNAME');
  checkSecretHash(app, client, responses.SECRET_HASH, [username]);
  const record = findSession(app, session, challenge, client.ClientId);
  const user = findUser(app, pool, username);
  if (!user || user.Username !== record.Username) throw new AwsError('NotAuthorizedException', 'Invalid session for the user.');
  return user;
}

/** Respond to NEW_PASSWORD_REQUIRED: set the new password (and any attributes given), confirm the user, go on to MFA or tokens. */
async function newPasswordResponse(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, session: unknown, responses: Record<string, any>) {
  const username = requireResponse(responses, 'USERNAME');
  checkSecretHash(app, client, responses.SECRET_HASH, [username]);
  const newPassword = requireResponse(responses, 'NEW_PASSWORD');
  const user = userOfSession(app, pool, client, 'NEW_PASSWORD_REQUIRED', session, responses);
  checkPasswordPolicy(pool, newPassword);
  const updates = Object.entries(responses)
    .filter(([name]) => name.startsWith('userAttributes.'))
    .map(([name, value]) => ({ Name: name.slice('userAttributes.'.length), Value: value }));
  for (const entry of checkAttributes(pool, updates)) setAttribute(user, entry.Name, entry.Value);
  await setPassword(app, pool, user, newPassword);
  user.temporaryPasswordExpiresAt = undefined;
  user.UserStatus = 'CONFIRMED';
  user.UserLastModifiedDate = Date.now();
  putUser(app, user);
  closeSession(app, session as string);
  return afterNewPassword(app, pool, client, user);
}

/** SOFTWARE_TOKEN_MFA takes SOFTWARE_TOKEN_MFA_CODE; MFA_SETUP completes once the user verified a token with the session. */
async function mfaResponse(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, challenge: string, session: unknown, responses: Record<string, any>) {
  const user = userOfSession(app, pool, client, challenge, session, responses);
  if (challenge === 'SOFTWARE_TOKEN_MFA') checkMfaCode(app, user, requireResponse(responses, 'SOFTWARE_TOKEN_MFA_CODE'));
  else completeMfaSetup(app, user);
  closeSession(app, session as string);
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
