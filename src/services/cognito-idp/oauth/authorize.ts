import { randomUUID } from 'node:crypto';
import type { App } from '../../../core/app.ts';
import type { HttpRequest, HttpResponse } from '../../../core/http.ts';
import { log } from '../../../core/log.ts';
import { SERVICE, userKey, type UserRecord } from '../records.ts';
import { messagePage, redirect } from '../hosted-ui/html.ts';
import { currentSession } from '../hosted-ui/session.ts';
import { checkAuthorizeRequest, failureLocation, type AuthorizeRequest } from './authorize-request.ts';
import { issueAuthorizationCode, signOAuthTokens } from './grants.ts';

/**
 * Finish an authorization for a signed-in user: redirect to the registered
 * redirect URI with a code in the query, or with the tokens in the fragment
 * for the implicit grant (RFC 6749 §4.1.2 and §4.2.2).
 */
export async function completeAuthorization(app: App, request: AuthorizeRequest, user: UserRecord, authTime: number, headers: Record<string, string> = {}): Promise<HttpResponse> {
  const url = new URL(request.redirectUri);
  if (request.responseType === 'code') {
    const code = issueAuthorizationCode(app, {
      UserPoolId: request.pool.Id,
      ClientId: request.client.ClientId,
      Username: user.Username,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      codeChallenge: request.codeChallenge,
      nonce: request.nonce,
      authTime,
    });
    url.searchParams.set('code', code);
    if (request.state !== undefined) url.searchParams.set('state', request.state);
  } else {
    const event = { originJti: randomUUID(), eventId: randomUUID(), authTime };
    const tokens = await signOAuthTokens(app, request.pool, request.client, user, event, request.scopes, request.nonce);
    const fragment = new URLSearchParams();
    if (tokens.id_token) fragment.set('id_token', tokens.id_token);
    fragment.set('access_token', tokens.access_token);
    fragment.set('expires_in', String(tokens.expires_in));
    fragment.set('token_type', 'Bearer');
    if (request.state !== undefined) fragment.set('state', request.state);
    url.hash = fragment.toString();
  }
  log('info', 'cognito-idp', 'hosted UI authorization granted', { userPoolId: request.pool.Id, clientId: request.client.ClientId, responseType: request.responseType });
  return redirect(url.toString(), headers);
}

/**
 * GET /oauth2/authorize: check the request, then either finish it for the
 * user of a live hosted UI session or send the browser to the sign-in page
 * with the same parameters.
 */
export async function authorizeEndpoint(app: App, domain: string, basePath: string, req: HttpRequest): Promise<HttpResponse> {
  if (req.method !== 'GET') return messagePage(405, 'Error', 'Method not allowed: use GET for /oauth2/authorize.', { allow: 'GET' });
  const check = checkAuthorizeRequest(app, domain, req.query);
  if (check.kind === 'page') return messagePage(400, 'Error', check.message);
  if (check.kind === 'redirect') return redirect(failureLocation(check));
  const request = check.request;
  const session = currentSession(app, req, request.pool.Id);
  const user = session ? app.store.get<UserRecord>(SERVICE, 'user', userKey(request.pool.Id, session.record.Username)) : undefined;
  if (session && user && user.Enabled && user.UserStatus === 'CONFIRMED') {
    return completeAuthorization(app, request, user, session.record.authTime);
  }
  return redirect(`${basePath}/login?${req.rawQuery}`);
}
