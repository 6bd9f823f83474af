import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { App } from '../../../core/app.ts';
import { AwsError } from '../../../core/errors.ts';
import { jsonResponse, type HttpRequest, type HttpResponse } from '../../../core/http.ts';
import { log } from '../../../core/log.ts';
import { findDomain } from '../pools.ts';
import { SERVICE, attribute, userKey, type UserPoolClientRecord, type UserPoolRecord, type UserRecord } from '../records.ts';
import { findRefreshToken, isOriginRevoked, poolIdOfToken, verifyPoolToken } from '../tokens.ts';
import { customScopes } from '../resource-servers.ts';
import { grantedScopes } from './authorize-request.ts';
import { authenticateClient } from './client-auth.ts';
import { refreshScopes, signClientCredentialsToken, signCodeGrantTokens, signOAuthTokens, takeAuthorizationCode } from './grants.ts';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * Build an OAuth error response (RFC 6749 §5.2). Cognito returns HTTP 400
 * for every token endpoint error, invalid_client included.
 */
function oauthError(error: string, description?: string, status = 400): HttpResponse {
  return jsonResponse(status, description ? { error, error_description: description } : { error }, NO_STORE);
}

function isForm(req: HttpRequest): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function poolOfDomain(app: App, domainName: string): UserPoolRecord | undefined {
  const domain = findDomain(app, domainName);
  return domain ? app.store.get<UserPoolRecord>(SERVICE, 'user-pool', domain.UserPoolId) : undefined;
}

function allowsFlow(client: UserPoolClientRecord, flow: string): boolean {
  return client.settings.AllowedOAuthFlowsUserPoolClient === true && (client.settings.AllowedOAuthFlows ?? []).includes(flow);
}

/** PKCE S256 check: BASE64URL(SHA256(code_verifier)) equals the stored challenge (RFC 7636 §4.6). */
function verifierMatches(verifier: string | null, challenge: string): boolean {
  if (verifier === null || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

function activeUser(app: App, userPoolId: string, username: string): UserRecord | undefined {
  const user = app.store.get<UserRecord>(SERVICE, 'user', userKey(userPoolId, username));
  return user && user.Enabled ? user : undefined;
}

async function authorizationCodeGrant(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, form: URLSearchParams): Promise<HttpResponse> {
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  if (!code || !redirectUri) return oauthError('invalid_request', 'Missing code or redirect_uri.');
  if (!allowsFlow(client, 'code')) return oauthError('unauthorized_client');
  const record = takeAuthorizationCode(app, code);
  if (!record || record.ClientId !== client.ClientId || record.UserPoolId !== pool.Id) return oauthError('invalid_grant');
  // The redirect_uri must be the one the code was issued for (RFC 6749 §4.1.3).
  if (record.redirectUri !== redirectUri) return oauthError('invalid_grant');
  if (record.codeChallenge !== undefined && !verifierMatches(form.get('code_verifier'), record.codeChallenge)) return oauthError('invalid_grant');
  const user = activeUser(app, pool.Id, record.Username);
  if (!user) return oauthError('invalid_grant');
  const event = { originJti: randomUUID(), eventId: randomUUID(), authTime: record.authTime, tokenGeneration: 'TokenGeneration_HostedAuth' };
  const tokens = await signCodeGrantTokens(app, pool, client, user, event, record.scopes, record.nonce);
  log('info', 'cognito-idp', 'authorization code exchanged', { userPoolId: pool.Id, clientId: client.ClientId });
  return jsonResponse(200, tokens, NO_STORE);
}

async function refreshTokenGrant(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, form: URLSearchParams): Promise<HttpResponse> {
  const token = form.get('refresh_token');
  if (!token) return oauthError('invalid_request', 'Missing refresh_token.');
  const found = findRefreshToken(app, token);
  if (!found || found.record.ClientId !== client.ClientId || found.record.UserPoolId !== pool.Id) return oauthError('invalid_grant');
  const record = found.record;
  if (record.revoked || isOriginRevoked(app, record.originJti) || record.expiresAt <= Date.now()) return oauthError('invalid_grant');
  const user = activeUser(app, pool.Id, record.Username);
  if (!user) return oauthError('invalid_grant');
  // A refresh token from the API (InitiateAuth) carries the API's scope and an ID token.
  const scopes = refreshScopes(app, found.id) ?? ['openid', 'aws.cognito.signin.user.admin'];
  const event = { originJti: record.originJti, eventId: record.eventId, authTime: record.authTime, tokenGeneration: 'TokenGeneration_RefreshTokens' };
  const tokens = await signOAuthTokens(app, pool, client, user, event, scopes);
  return jsonResponse(200, tokens, NO_STORE);
}

/**
 * client_credentials: machine-to-machine tokens for a client with a secret
 * and the client_credentials flow. Only resource-server scopes the client
 * allows can be granted; without `scope` all of those are granted.
 */
async function clientCredentialsGrant(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, secret: string | undefined, form: URLSearchParams): Promise<HttpResponse> {
  if (!secret || !allowsFlow(client, 'client_credentials')) return oauthError('unauthorized_client');
  const custom = customScopes(app, pool.Id);
  const requested = grantedScopes(client, form.get('scope'));
  if (!requested) return oauthError('invalid_scope');
  const scopes = form.get('scope') === null ? requested.filter((scope) => custom.has(scope)) : requested;
  if (scopes.length === 0 || !scopes.every((scope) => custom.has(scope))) return oauthError('invalid_scope');
  return jsonResponse(200, await signClientCredentialsToken(app, pool, client, scopes), NO_STORE);
}

/** POST /oauth2/token (token endpoint, Cognito developer guide; RFC 6749 §3.2), logging each error it returns. */
export async function tokenEndpoint(app: App, domainName: string, req: HttpRequest): Promise<HttpResponse> {
  const response = await tokenRequest(app, domainName, req);
  if (response.status >= 400) {
    const error = JSON.parse(String(response.body ?? '{}')).error;
    log('info', 'cognito-idp', 'token request rejected', { domain: domainName, status: response.status, error });
  }
  return response;
}

async function tokenRequest(app: App, domainName: string, req: HttpRequest): Promise<HttpResponse> {
  if (req.method !== 'POST') return { ...oauthError('invalid_request', 'Use POST for /oauth2/token.', 405), headers: { ...NO_STORE, allow: 'POST', 'content-type': 'application/json' } };
  const pool = poolOfDomain(app, domainName);
  if (!pool) return oauthError('invalid_request', 'This domain is not configured for a user pool.', 404);
  if (!isForm(req)) return oauthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
  const form = new URLSearchParams(req.body.toString('utf8'));
  const auth = authenticateClient(app, req, form, pool.Id);
  if ('error' in auth) return oauthError(auth.error, auth.description);
  const grantType = form.get('grant_type');
  if (grantType === 'authorization_code') return authorizationCodeGrant(app, pool, auth.client, form);
  if (grantType === 'refresh_token') return refreshTokenGrant(app, pool, auth.client, form);
  if (grantType === 'client_credentials') return clientCredentialsGrant(app, pool, auth.client, auth.secret, form);
  if (grantType === null) return oauthError('invalid_request', 'Missing grant_type.');
  return oauthError('unsupported_grant_type');
}

function bearerError(status: number, error: string, description: string): HttpResponse {
  return jsonResponse(status, { error, error_description: description }, { ...NO_STORE, 'www-authenticate': `Bearer error="${error}", error_description="${description}"` });
}

const FAILURE_DESCRIPTION: Record<string, string> = {
  invalid: 'Invalid access token',
  expired: 'Access token is expired',
  revoked: 'Access token has been revoked',
  'user-missing': 'User does not exist.',
  'user-disabled': 'User is disabled.',
};

/**
 * GET or POST /oauth2/userInfo: the signed-in user's attributes for a
 * Bearer access token of this domain's pool that carries the `openid` scope.
 * Values are strings, as Cognito returns them.
 */
export async function userInfoEndpoint(app: App, domainName: string, req: HttpRequest): Promise<HttpResponse> {
  if (req.method !== 'GET' && req.method !== 'POST') return oauthError('invalid_request', 'Use GET or POST for /oauth2/userInfo.', 405);
  const pool = poolOfDomain(app, domainName);
  if (!pool) return oauthError('invalid_request', 'This domain is not configured for a user pool.', 404);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return bearerError(400, 'invalid_request', 'Missing Bearer access token');
  const token = match[1];
  if (poolIdOfToken(app, token) !== pool.Id) return bearerError(401, 'invalid_token', FAILURE_DESCRIPTION.invalid);
  const verified = await verifyPoolToken(app, pool, token, 'access');
  if ('failure' in verified) return bearerError(401, 'invalid_token', FAILURE_DESCRIPTION[verified.failure]);
  const scopes = typeof verified.claims.scope === 'string' ? verified.claims.scope.split(' ') : [];
  // NOTE: the status for a token without openid is a guess at Cognito's behaviour; RFC 6750 §3.1 would use 403 insufficient_scope.
  if (!scopes.includes('openid')) return bearerError(401, 'invalid_token', 'Access token does not contain openid scope');
  const info: Record<string, string> = {};
  for (const entry of verified.user.Attributes) info[entry.Name] = entry.Value;
  info.username = verified.user.Username;
  info.sub = attribute(verified.user, 'sub') ?? verified.user.Username;
  return jsonResponse(200, info, NO_STORE);
}

const REVOKE_ERRORS: Record<string, string> = {
  UnsupportedTokenTypeException: 'unsupported_token_type',
  UnsupportedOperationException: 'unauthorized_client',
  UnauthorizedException: 'unauthorized_client',
};

/** POST /oauth2/revoke (RFC 7009): revoke a refresh token and the tokens issued from it, through the RevokeToken operation. */
export async function revokeEndpoint(app: App, domainName: string, req: HttpRequest): Promise<HttpResponse> {
  if (req.method !== 'POST') return oauthError('invalid_request', 'Use POST for /oauth2/revoke.', 405);
  const pool = poolOfDomain(app, domainName);
  if (!pool) return oauthError('invalid_request', 'This domain is not configured for a user pool.', 404);
  if (!isForm(req)) return oauthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
  const form = new URLSearchParams(req.body.toString('utf8'));
  const auth = authenticateClient(app, req, form, pool.Id);
  if ('error' in auth) return oauthError(auth.error, auth.description);
  const token = form.get('token');
  if (!token) return oauthError('invalid_request', 'Missing token.');
  try {
    await app.call('cognito-idp', 'RevokeToken', { Token: token, ClientId: auth.client.ClientId, ClientSecret: auth.secret });
  } catch (error) {
    if (error instanceof AwsError && REVOKE_ERRORS[error.code]) return oauthError(REVOKE_ERRORS[error.code]);
    throw error;
  }
  return { status: 200, headers: NO_STORE, body: '' };
}
