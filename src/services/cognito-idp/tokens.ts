import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import type { App } from '../../core/app.ts';
import type { TokenClaims } from '../../core/seams.ts';
import { SERVICE, attribute, issuer, userKey, type RefreshTokenRecord, type UserPoolClientRecord, type UserPoolRecord, type UserRecord } from './records.ts';
import { groupClaims } from './groups.ts';
import { privateKey, publicKey } from './keys.ts';
import { preTokenGeneration } from './trigger-hooks.ts';

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/**
 * Token lifetimes in seconds from the client's validity members. Without
 * TokenValidityUnits the units are hours for ID and access tokens and days
 * for refresh tokens; the defaults are 60 minutes and 30 days
 * (CreateUserPoolClient, API reference).
 */
export function tokenLifetimes(client: UserPoolClientRecord): { id: number; access: number; refresh: number } {
  const settings = client.settings;
  const units = settings.TokenValidityUnits ?? {};
  const seconds = (value: number | undefined, unit: string | undefined, defaultUnit: string, fallback: number) =>
    value === undefined ? fallback : value * UNIT_SECONDS[unit ?? defaultUnit];
  return {
    id: seconds(settings.IdTokenValidity, units.IdToken, 'hours', 3600),
    access: seconds(settings.AccessTokenValidity, units.AccessToken, 'hours', 3600),
    refresh: seconds(settings.RefreshTokenValidity, units.RefreshToken, 'days', 30 * 86400),
  };
}

/** One sign-in: its ids and time carry over into the tokens a refresh issues later. */
export interface AuthEvent {
  originJti: string;
  eventId: string;
  authTime: number;
  /** The pre token generation trigger source (TokenGeneration_HostedAuth, _RefreshTokens, ...); TokenGeneration_Authentication when absent. */
  tokenGeneration?: string;
  /** ClientMetadata of the request, for the post authentication and pre token generation triggers. */
  clientMetadata?: Record<string, string>;
}

export function newAuthEvent(): AuthEvent {
  return { originJti: randomUUID(), eventId: randomUUID(), authTime: Math.floor(Date.now() / 1000) };
}

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  RefreshToken?: string;
  IdToken: string;
}

/**
 * Sign the ID and access tokens with the claims, in the order, Cognito
 * issues them ("Understanding the identity (ID) token" and "Understanding
 * the access token", Cognito developer guide).
 */
export async function signTokens(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord, event: AuthEvent) {
  const lifetimes = tokenLifetimes(client);
  const iat = Math.floor(Date.now() / 1000);
  const sub = attribute(user, 'sub') ?? user.Username;
  const iss = issuer(app, pool.Id);
  // Group claims follow `sub`, as in Cognito's tokens; the ID token also names the groups' IAM roles.
  const groups = groupClaims(app, user);
  const groupClaim = groups.groups ? { 'cognito:groups': groups.groups } : {};
  const idClaims: Record<string, unknown> = { sub, ...groupClaim };
  if (groups.preferredRole) idClaims['cognito:preferred_role'] = groups.preferredRole;
  if (groups.roles) idClaims['cognito:roles'] = groups.roles;
  if (attribute(user, 'email_verified') !== undefined) idClaims.email_verified = attribute(user, 'email_verified') === 'true';
  Object.assign(idClaims, {
    iss,
    'cognito:username': user.Username,
    origin_jti: event.originJti,
    aud: client.ClientId,
    event_id: event.eventId,
    token_use: 'id',
    auth_time: event.authTime,
    exp: iat + lifetimes.id,
    iat,
    jti: randomUUID(),
  });
  for (const entry of user.Attributes) {
    if (entry.Name === 'sub' || entry.Name === 'email_verified' || entry.Name in idClaims) continue;
    idClaims[entry.Name] = entry.Name === 'phone_number_verified' ? entry.Value === 'true' : entry.Value;
  }
  const accessClaims = {
    sub,
    ...groupClaim,
    iss,
    client_id: client.ClientId,
    origin_jti: event.originJti,
    event_id: event.eventId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: event.authTime,
    exp: iat + lifetimes.access,
    iat,
    jti: randomUUID(),
    username: user.Username,
  };
  await preTokenGeneration(app, pool, event.tokenGeneration ?? 'TokenGeneration_Authentication', client.ClientId, user, idClaims, event.clientMetadata);
  const IdToken = await new SignJWT(idClaims).setProtectedHeader({ kid: pool.keys.id.kid, alg: 'RS256' }).sign(await privateKey(app, pool.keys.id));
  const AccessToken = await new SignJWT(accessClaims)
    .setProtectedHeader({ kid: pool.keys.access.kid, alg: 'RS256' })
    .sign(await privateKey(app, pool.keys.access));
  return { IdToken, AccessToken, ExpiresIn: lifetimes.access };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Issue an opaque refresh token; only its SHA-256 is stored, with the user, client and expiry. */
export function issueRefreshToken(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord, event: AuthEvent): string {
  const token = randomBytes(48).toString('base64url');
  const tokenHash = hashToken(token);
  const record: RefreshTokenRecord = {
    tokenHash,
    UserPoolId: pool.Id,
    ClientId: client.ClientId,
    Username: user.Username,
    originJti: event.originJti,
    eventId: event.eventId,
    authTime: event.authTime,
    expiresAt: Date.now() + tokenLifetimes(client).refresh * 1000,
  };
  app.store.put(SERVICE, 'refresh-token', tokenHash, record);
  return token;
}

export function findRefreshToken(app: App, token: unknown): { id: string; record: RefreshTokenRecord } | undefined {
  if (typeof token !== 'string' || token === '') return undefined;
  const id = hashToken(token);
  const record = app.store.get<RefreshTokenRecord>(SERVICE, 'refresh-token', id);
  return record ? { id, record } : undefined;
}

/** Tokens descending from a revoked refresh token are revoked with it (RevokeToken, API reference). */
export function isOriginRevoked(app: App, originJti: unknown): boolean {
  return typeof originJti === 'string' && app.store.get(SERVICE, 'revoked-origin', originJti) !== undefined;
}

export function revokeOrigin(app: App, originJti: string): void {
  app.store.put(SERVICE, 'revoked-origin', originJti, { revokedAt: Date.now() });
}

export type TokenFailure = 'invalid' | 'expired' | 'revoked' | 'user-missing' | 'user-disabled';

/**
 * Verify a token of one pool: the signature with the key its kid names, the
 * issuer, expiry and `token_use`. Only RS256 is accepted, so `alg: none` and
 * HMAC tokens fail. Then check that the user still exists and is enabled and
 * that the token was not revoked.
 */
export async function verifyPoolToken(
  app: App,
  pool: UserPoolRecord,
  token: string,
  tokenUse: 'id' | 'access',
): Promise<{ claims: TokenClaims; user: UserRecord } | { failure: TokenFailure }> {
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { failure: 'invalid' };
  }
  const key = tokenUse === 'id' ? pool.keys.id : pool.keys.access;
  if (kid !== key.kid) return { failure: 'invalid' };
  let claims: TokenClaims;
  try {
    const verified = await jwtVerify(token, await publicKey(key), { algorithms: ['RS256'], issuer: issuer(app, pool.Id), clockTolerance: 0 });
    claims = verified.payload;
  } catch (error) {
    return { failure: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
  }
  if (claims.token_use !== tokenUse) return { failure: 'invalid' };
  const username = tokenUse === 'id' ? claims['cognito:username'] : claims.username;
  const user = typeof username === 'string' ? app.store.get<UserRecord>(SERVICE, 'user', userKey(pool.Id, username)) : undefined;
  if (!user) return { failure: 'user-missing' };
  if (!user.Enabled) return { failure: 'user-disabled' };
  if (isOriginRevoked(app, claims.origin_jti)) return { failure: 'revoked' };
  return { claims, user };
}

/** Read the pool id from a token's issuer without verifying it, to pick the key to verify with. */
export function poolIdOfToken(app: App, token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    const prefix = `https://cognito-idp.${app.region}.amazonaws.com/`;
    return typeof iss === 'string' && iss.startsWith(prefix) ? iss.slice(prefix.length) : undefined;
  } catch {
    return undefined;
  }
}
