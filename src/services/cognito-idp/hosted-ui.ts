import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { jsonResponse, type HttpRequest, type HttpResponse } from '../../core/http.ts';
import { log } from '../../core/log.ts';
import type { HttpRoute } from '../../core/service.ts';
import { jwks } from './keys.ts';
import { findDomain } from './pools.ts';
import { SERVICE, findClient, issuer, poolOfClient, putUser, userKey, type UserPoolRecord, type UserRecord } from './records.ts';
import { postConfirmation } from './trigger-hooks.ts';
import { confirmUser } from './users.ts';
import { messagePage } from './hosted-ui/html.ts';
import { servePage } from './hosted-ui/routes.ts';

const HOSTED_UI_PREFIX = '/hosted-ui/';
const WELL_KNOWN = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

/**
 * Register the URL rewriters for the hosts Cognito serves: the hosted UI
 * (`https://<domain>.auth.<region>.amazoncognito.com/...`) for domains palisade
 * serves, and the pools' JWKS and discovery documents on the API host.
 */
export function registerUrlRewriters(app: App): void {
  const hostedUiHost = new RegExp(`^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\\.auth\\.${app.region.replace(/-/g, '\\-')}\\.amazoncognito\\.com$`);
  app.urlRewriters.push((url) => {
    if (url.protocol !== 'https:') return undefined;
    const match = hostedUiHost.exec(url.hostname);
    if (!match || !findDomain(app, match[1])) return undefined;
    return `${app.endpoint}${HOSTED_UI_PREFIX}${match[1]}${url.pathname}${url.search}`;
  });
  app.urlRewriters.push((url) => {
    if (url.protocol !== 'https:' || url.hostname !== `cognito-idp.${app.region}.amazonaws.com`) return undefined;
    const match = WELL_KNOWN.exec(url.pathname);
    if (!match || !app.store.get(SERVICE, 'user-pool', match[1])) return undefined;
    return `${app.endpoint}${url.pathname}`;
  });
}

/** GET confirmUser: the page a CONFIRM_WITH_LINK message links to, confirming the user as ConfirmSignUp does. */
async function confirmUserPage(app: App, domainName: string, req: HttpRequest): Promise<HttpResponse> {
  const domain = findDomain(app, domainName);
  if (!domain) return messagePage(404, 'Not found', 'This domain is not configured for a user pool.');
  const clientId = req.query.get('client_id') ?? '';
  const username = req.query.get('user_name') ?? '';
  const code = req.query.get('confirmation_code') ?? '';
  const client = findClient(app, clientId);
  if (!client || client.UserPoolId !== domain.UserPoolId) return messagePage(400, 'Error', 'An error was encountered with the requested page: invalid client_id.');
  const user = app.store.get<UserRecord>(SERVICE, 'user', userKey(domain.UserPoolId, username));
  if (!user) return messagePage(400, 'Error', 'The confirmation link is not valid.');
  try {
    confirmUser(app, user, code);
  } catch (error) {
    if (error instanceof AwsError) return messagePage(400, 'Error', error.message);
    throw error;
  }
  putUser(app, user);
  try {
    await postConfirmation(app, poolOfClient(app, client), 'PostConfirmation_ConfirmSignUp', clientId, user, undefined);
  } catch (error) {
    // The user stays confirmed, as after ConfirmSignUp; the page shows the trigger's error.
    if (error instanceof AwsError) return messagePage(400, 'Error', error.message);
    throw error;
  }
  log('info', 'cognito-idp', 'user confirmed through hosted UI link', { userPoolId: domain.UserPoolId, clientId });
  return messagePage(200, 'Confirmed', 'Your registration has been confirmed!');
}

function hostedUiRoute(app: App): HttpRoute {
  return {
    name: 'cognito-idp hosted UI',
    match: (req) => req.path.startsWith(HOSTED_UI_PREFIX),
    async handle(req) {
      const rest = req.path.slice(HOSTED_UI_PREFIX.length);
      const slash = rest.indexOf('/');
      const domain = slash === -1 ? rest : rest.slice(0, slash);
      const page = slash === -1 ? '/' : rest.slice(slash);
      if (req.method === 'GET' && page === '/confirmUser') return confirmUserPage(app, domain, req);
      return servePage(app, domain, `${HOSTED_UI_PREFIX}${domain}`, page, req);
    },
  };
}

/**
 * Build the pool's OpenID Connect discovery document. With a domain it also names
 * the hosted UI's OAuth 2.0 endpoints, at their AWS URLs (which palisade's URL
 * rewriter maps to its own address).
 */
function discoveryDocument(app: App, pool: UserPoolRecord): Record<string, unknown> {
  const iss = issuer(app, pool.Id);
  const document: Record<string, unknown> = {
    issuer: iss,
    jwks_uri: `${iss}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
  };
  if (!pool.Domain) return document;
  const host = `https://${pool.Domain}.auth.${app.region}.amazoncognito.com`;
  return {
    authorization_endpoint: `${host}/oauth2/authorize`,
    end_session_endpoint: `${host}/logout`,
    ...document,
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${host}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    token_endpoint: `${host}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${host}/oauth2/userInfo`,
  };
}

function wellKnownRoute(app: App): HttpRoute {
  return {
    name: 'cognito-idp well-known',
    match: (req) => (req.method === 'GET' || req.method === 'HEAD') && WELL_KNOWN.test(req.path),
    async handle(req) {
      const [, poolId, document] = WELL_KNOWN.exec(req.path)!;
      const pool = app.store.get<UserPoolRecord>(SERVICE, 'user-pool', poolId);
      if (!pool) return jsonResponse(404, { message: `User pool ${poolId} does not exist.` });
      if (document === 'jwks.json') return jsonResponse(200, jwks(pool));
      return jsonResponse(200, discoveryDocument(app, pool));
    },
  };
}

export function httpRoutes(app: App): HttpRoute[] {
  return [hostedUiRoute(app), wellKnownRoute(app)];
}
