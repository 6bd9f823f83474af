import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import type { App } from '../../../core/app.ts';
import { privateKey } from '../keys.ts';
import { SERVICE, issuer, type UserPoolClientRecord, type UserPoolRecord, type UserRecord } from '../records.ts';
import { findRefreshToken, issueRefreshToken, signTokens, tokenLifetimes, type AuthEvent } from '../tokens.ts';

/** Authorization codes are single use and expire after five minutes (token endpoint, Cognito developer guide). */
export const AUTHORIZATION_CODE_LIFETIME_MS = 5 * 60 * 1000;

/** An authorization code, stored under its SHA-256; the code itself is never stored. */
export interface AuthorizationCodeRecord {
  UserPoolId: string;
  ClientId: string;
  Username: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge?: string;
  nonce?: string;
  authTime: number;
  expiresAt: number;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function issueAuthorizationCode(app: App, record: Omit<AuthorizationCodeRecord, 'expiresAt'>): string {
  const code = randomUUID();
  app.store.put(SERVICE, 'authorization-code', sha256(code), { ...record, expiresAt: Date.now() + AUTHORIZATION_CODE_LIFETIME_MS });
  return code;
}

/** Look up a code and delete it in the same step, so a code works at most once even when the exchange then fails. */
export function takeAuthorizationCode(app: App, code: string): AuthorizationCodeRecord | undefined {
  const id = sha256(code);
  const record = app.store.get<AuthorizationCodeRecord>(SERVICE, 'authorization-code', id);
  if (record) app.store.delete(SERVICE, 'authorization-code', id);
  return record && record.expiresAt > Date.now() ? record : undefined;
}

/** Store the scopes an OAuth refresh token was granted with, so a refresh issues the same `scope` claim. */
export function rememberRefreshScopes(app: App, refreshToken: string, scopes: string[]): void {
  const found = findRefreshToken(app, refreshToken);
  if (found) app.store.put(SERVICE, 'oauth-refresh-scopes', found.id, { scopes });
}

export function refreshScopes(app: App, tokenHash: string): string[] | undefined {
  return app.store.get<{ scopes: string[] }>(SERVICE, 'oauth-refresh-scopes', tokenHash)?.scopes;
}

/** `at_hash`: base64url of the left half of the access token's SHA-256 (OpenID Connect Core 1.0 §3.1.3.6). */
function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

export interface OAuthTokens {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

/**
 * Issue the tokens of an OAuth grant for a user. The API's signer builds the
 * claims (groups, attributes, trigger changes). Then this function re-signs the
 * access token with the granted `scope`, and the ID token with `at_hash` and
 * `nonce`. Without the `openid` scope there is no ID token.
 */
export async function signOAuthTokens(
  app: App,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  user: UserRecord,
  event: AuthEvent,
  scopes: string[],
  nonce?: string,
): Promise<OAuthTokens> {
  const signed = await signTokens(app, pool, client, user, event);
  const accessClaims = { ...decodeJwt(signed.AccessToken), scope: scopes.join(' ') };
  const access_token = await new SignJWT(accessClaims)
    .setProtectedHeader({ kid: pool.keys.access.kid, alg: 'RS256' })
    .sign(await privateKey(app, pool.keys.access));
  const result: OAuthTokens = { access_token, expires_in: signed.ExpiresIn, token_type: 'Bearer' };
  if (scopes.includes('openid')) {
    // TODO: Cognito limits the ID token's attribute claims to the granted scopes (email, phone, profile); palisade includes them all.
    const idClaims: Record<string, unknown> = { at_hash: accessTokenHash(access_token), ...decodeJwt(signed.IdToken) };
    if (nonce !== undefined) idClaims.nonce = nonce;
    result.id_token = await new SignJWT(idClaims).setProtectedHeader({ kid: pool.keys.id.kid, alg: 'RS256' }).sign(await privateKey(app, pool.keys.id));
  }
  return result;
}

/** Issue tokens and a refresh token for an authorization code exchange. */
export async function signCodeGrantTokens(
  app: App,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  user: UserRecord,
  event: AuthEvent,
  scopes: string[],
  nonce?: string,
): Promise<OAuthTokens> {
  const tokens = await signOAuthTokens(app, pool, client, user, event, scopes, nonce);
  const refresh_token = issueRefreshToken(app, pool, client, user, event);
  rememberRefreshScopes(app, refresh_token, scopes);
  return { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token, expires_in: tokens.expires_in, token_type: 'Bearer' };
}

/**
 * Issue a client_credentials access token: the app client is the subject,
 * so `sub` is the client id and there is no user, ID token or refresh token.
 */
export async function signClientCredentialsToken(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, scopes: string[]): Promise<OAuthTokens> {
  const lifetime = tokenLifetimes(client).access;
  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    sub: client.ClientId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: iat,
    iss: issuer(app, pool.Id),
    exp: iat + lifetime,
    iat,
    version: 2,
    jti: randomUUID(),
    client_id: client.ClientId,
  };
  const access_token = await new SignJWT(claims).setProtectedHeader({ kid: pool.keys.access.kid, alg: 'RS256' }).sign(await privateKey(app, pool.keys.access));
  return { access_token, expires_in: lifetime, token_type: 'Bearer' };
}
