import type { App } from '../../../core/app.ts';
import { findDomain } from '../pools.ts';
import { SERVICE, findClient, type UserPoolClientRecord, type UserPoolRecord } from '../records.ts';

/** Parameters of `/oauth2/authorize` that `/login` and `/signup` carry along until the user signs in. */
export const AUTHORIZE_PARAMETERS = [
  'client_id',
  'response_type',
  'scope',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'identity_provider',
] as const;

/** A checked authorization request: every value here was compared with the client's settings. */
export interface AuthorizeRequest {
  pool: UserPoolRecord;
  client: UserPoolClientRecord;
  redirectUri: string;
  responseType: 'code' | 'token';
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  nonce?: string;
  /** The parameters as received, for links between hosted UI pages. */
  parameters: URLSearchParams;
}

/**
 * Failures before the redirect URI is trusted: shown on an error page and
 * never redirected, because the URI may not belong to the client.
 */
export interface PageFailure {
  kind: 'page';
  message: string;
}

/** Failures after the redirect URI is known to be registered: returned to the client (RFC 6749 §4.1.2.1). */
export interface RedirectFailure {
  kind: 'redirect';
  redirectUri: string;
  error: string;
  description?: string;
  state?: string;
}

export type AuthorizeCheck = { kind: 'ok'; request: AuthorizeRequest } | PageFailure | RedirectFailure;

/**
 * Parse the requested scopes. With no `scope` parameter Cognito grants every
 * scope the client allows (authorization endpoint, Cognito developer guide).
 * Returns undefined when a scope is not allowed for the client.
 */
export function grantedScopes(client: UserPoolClientRecord, requested: string | null): string[] | undefined {
  const allowed: string[] = client.settings.AllowedOAuthScopes ?? [];
  if (requested === null || requested.trim() === '') return [...allowed];
  const scopes = [...new Set(requested.split(/[ +]+/).filter((scope) => scope !== ''))];
  return scopes.every((scope) => allowed.includes(scope)) ? scopes : undefined;
}

const PAGE_ERROR = 'An error was encountered with the requested page.';

/**
 * Check an authorization request in the order that decides where errors go:
 * the client and redirect URI first (error page), then everything else
 * (redirect to the registered URI with `error`).
 */
export function checkAuthorizeRequest(app: App, domainName: string, parameters: URLSearchParams): AuthorizeCheck {
  const domain = findDomain(app, domainName);
  if (!domain) return { kind: 'page', message: 'This domain is not configured for a user pool.' };
  const pool = app.store.get<UserPoolRecord>(SERVICE, 'user-pool', domain.UserPoolId);
  const client = findClient(app, parameters.get('client_id'));
  if (!pool || !client || client.UserPoolId !== pool.Id) return { kind: 'page', message: `${PAGE_ERROR} (invalid client_id)` };

  const redirectUri = parameters.get('redirect_uri') ?? '';
  const callbacks: string[] = client.settings.CallbackURLs ?? [];
  // Cognito compares redirect_uri with the registered callback URLs exactly, character for character.
  if (!callbacks.includes(redirectUri)) return { kind: 'page', message: `${PAGE_ERROR} (redirect_mismatch)` };

  return checkGrantParameters(pool, client, redirectUri, parameters);
}

/** Check the response type, provider, scopes and PKCE challenge of a request whose redirect URI is registered. */
function checkGrantParameters(pool: UserPoolRecord, client: UserPoolClientRecord, redirectUri: string, parameters: URLSearchParams): AuthorizeCheck {
  const state = parameters.get('state') ?? undefined;
  const fail = (error: string, description?: string): RedirectFailure => ({ kind: 'redirect', redirectUri, error, description, state });
  if (client.settings.AllowedOAuthFlowsUserPoolClient !== true) return fail('unauthorized_client', 'Client is not enabled for OAuth2.0 flows.');

  const responseType = parameters.get('response_type');
  if (responseType !== 'code' && responseType !== 'token') return fail('unsupported_response_type');
  const flows: string[] = client.settings.AllowedOAuthFlows ?? [];
  if (!flows.includes(responseType === 'code' ? 'code' : 'implicit')) return fail('unauthorized_client');

  const provider = parameters.get('identity_provider');
  const providers: string[] = client.settings.SupportedIdentityProviders ?? [];
  if (!providers.includes('COGNITO')) return fail('unauthorized_client', 'The COGNITO identity provider is not enabled for the client.');
  // TODO: palisade has no federated identity providers; only the user pool itself (COGNITO) signs users in.
  if (provider !== null && provider !== 'COGNITO') return fail('invalid_request', `Identity provider ${provider} is not supported.`);
  if (parameters.has('idp_identifier')) return fail('invalid_request', 'idp_identifier is not supported.');

  const scopes = grantedScopes(client, parameters.get('scope'));
  if (!scopes) return fail('invalid_scope');

  const codeChallenge = parameters.get('code_challenge') ?? undefined;
  const method = parameters.get('code_challenge_method');
  if (codeChallenge !== undefined || method !== null) {
    // Cognito supports only the S256 PKCE method (authorization endpoint, Cognito developer guide).
    if (responseType !== 'code' || method !== 'S256' || !codeChallenge || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
      return fail('invalid_request', 'Invalid code_challenge or code_challenge_method.');
    }
  }
  return {
    kind: 'ok',
    request: { pool, client, redirectUri, responseType, scopes, state, codeChallenge, nonce: parameters.get('nonce') ?? undefined, parameters },
  };
}

/** Keep only the authorization parameters of a query or form, to carry between pages. */
export function authorizeParameters(source: URLSearchParams): URLSearchParams {
  const kept = new URLSearchParams();
  for (const name of AUTHORIZE_PARAMETERS) {
    const value = source.get(name);
    if (value !== null) kept.set(name, value);
  }
  return kept;
}

/** Build the redirect URL of a failure on a registered redirect URI: the error goes in the query, as RFC 6749 §4.1.2.1 specifies. */
export function failureLocation(failure: RedirectFailure): string {
  const url = new URL(failure.redirectUri);
  url.searchParams.set('error', failure.error);
  if (failure.description) url.searchParams.set('error_description', failure.description);
  if (failure.state !== undefined) url.searchParams.set('state', failure.state);
  return url.toString();
}
