import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, createLabPool, secretHash, type LabPool } from './lab-pool.ts';
import { CALLBACK, CookieJar, basic, get, hiddenFields, hostedUi, pkcePair, postForm, signInForLocation } from './oauth-helpers.ts';

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
let lab: LabPool;
let base: string;
let publicClientId: string;
const EMAIL = 'oauth-user@example.com';
const PASSWORD = 'Correct-Horse-9';

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  lab = await createLabPool(cognito, 'walab-oauth');
  base = hostedUi(palisade, lab.domain);
  await cognito.send(
    new SignUpCommand({
      ClientId: lab.clientId,
      Username: EMAIL,
      Password: PASSWORD,
      SecretHash: secretHash(lab.clientSecret, EMAIL, lab.clientId),
      UserAttributes: [{ Name: 'email', Value: EMAIL }],
    }),
  );
  const mail = palisade.app.mail.list().find((message) => message.recipient === EMAIL);
  await cognito.send(
    new ConfirmSignUpCommand({
      ClientId: lab.clientId,
      Username: EMAIL,
      ConfirmationCode: mail!.code,
      SecretHash: secretHash(lab.clientSecret, EMAIL, lab.clientId),
    }),
  );
  const publicClient = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: lab.userPoolId,
      ClientName: 'public-code-only',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  publicClientId = publicClient.UserPoolClient!.ClientId!;
});
after(async () => {
  await palisade.stop();
});

function authorizeQuery(overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({ client_id: lab.clientId, response_type: 'code', scope: 'openid email', redirect_uri: CALLBACK, state: 'state-123', ...overrides });
}

async function codeFor(query: URLSearchParams, jar?: CookieJar): Promise<string> {
  const location = await signInForLocation(base, query, EMAIL, PASSWORD, jar);
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
  assert.equal(location.searchParams.get('state'), 'state-123');
  return location.searchParams.get('code')!;
}

async function exchange(form: Record<string, string>, clientSecret = lab.clientSecret) {
  const response = await postForm(`${base}/oauth2/token`, { grant_type: 'authorization_code', redirect_uri: CALLBACK, ...form }, undefined, basic(lab.clientId, clientSecret));
  return { status: response.status, body: await response.json() };
}

async function verifyWithJwks(token: string) {
  const jwks = await (await fetch(`${palisade.url}/${lab.userPoolId}/.well-known/jwks.json`)).json();
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: `https://cognito-idp.us-east-1.amazonaws.com/${lab.userPoolId}` });
}

test('authorize without session redirects to login', async () => {
  const query = authorizeQuery();
  const response = await get(`${base}/oauth2/authorize?${query}`);
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), `/hosted-ui/${lab.domain}/login?${query}`);
});

test('unregistered redirect_uri shows error page', async () => {
  for (const redirectUri of ['https://example.com/callback/', 'https://evil.example/callback', 'https://example.com/Callback']) {
    const response = await get(`${base}/oauth2/authorize?${authorizeQuery({ redirect_uri: redirectUri })}`);
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(await response.text(), /An error was encountered with the requested page\. \(redirect_mismatch\)/);
  }
  const login = await get(`${base}/login?${authorizeQuery({ redirect_uri: 'https://evil.example/' })}`);
  assert.equal(login.status, 400);
  assert.equal(login.headers.get('location'), null);
});

test('unknown client_id shows error page', async () => {
  const response = await get(`${base}/oauth2/authorize?${authorizeQuery({ client_id: 'nosuchclient' })}`);
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
});

test('implicit refused without the flow', async () => {
  const query = authorizeQuery({ client_id: publicClientId, response_type: 'token' });
  const response = await get(`${base}/oauth2/authorize?${query}`);
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
  assert.equal(location.searchParams.get('error'), 'unauthorized_client');
  assert.equal(location.searchParams.get('state'), 'state-123');
});

test('scope outside AllowedOAuthScopes is invalid_scope', async () => {
  const response = await get(`${base}/oauth2/authorize?${authorizeQuery({ scope: 'openid phone' })}`);
  assert.equal(response.status, 302);
  assert.equal(new URL(response.headers.get('location')!).searchParams.get('error'), 'invalid_scope');
});

test('PKCE plain method is rejected', async () => {
  const response = await get(`${base}/oauth2/authorize?${authorizeQuery({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })}`);
  assert.equal(response.status, 302);
  assert.equal(new URL(response.headers.get('location')!).searchParams.get('error'), 'invalid_request');
});

test('login wrong password shows Cognito wording', async () => {
  const jar = new CookieJar();
  const form = await get(`${base}/login?${authorizeQuery()}`, jar);
  const hidden = hiddenFields(await form.text());
  const response = await postForm(`${base}/login`, { ...hidden, username: EMAIL, password: 'Wrong-Horse-9' }, jar);
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
  assert.match(await response.text(), /Incorrect username or password\./);
});

test('login without CSRF token is rejected', async () => {
  const response = await postForm(`${base}/login`, { ...Object.fromEntries(authorizeQuery()), username: EMAIL, password: PASSWORD });
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('location'), null);
});

test('login page is a plain phone-sized form', async () => {
  const response = await get(`${base}/login?${authorizeQuery()}`);
  const html = await response.text();
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.doesNotMatch(html, /<script/i);
  assert.match(response.headers.get('content-security-policy')!, /default-src 'none'/);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('XSRF-TOKEN='));
  assert.match(cookie!, /HttpOnly; SameSite=Lax/);
});

test('PKCE code flow issues verifiable tokens', async () => {
  const pkce = pkcePair();
  const code = await codeFor(authorizeQuery({ code_challenge: pkce.challenge, code_challenge_method: 'S256' }));
  const { status, body } = await exchange({ code, code_verifier: pkce.verifier });
  assert.equal(status, 200);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 3600);
  const id = await verifyWithJwks(body.id_token);
  assert.equal(id.payload.aud, lab.clientId);
  assert.equal(id.payload.email, EMAIL);
  assert.equal(id.payload.token_use, 'id');
  assert.equal(typeof id.payload.at_hash, 'string');
  const access = await verifyWithJwks(body.access_token);
  assert.equal(access.payload.scope, 'openid email');
  assert.equal(access.payload.client_id, lab.clientId);
  assert.equal(typeof body.refresh_token, 'string');
});

test('PKCE wrong verifier is invalid_grant', async () => {
  const pkce = pkcePair();
  const code = await codeFor(authorizeQuery({ code_challenge: pkce.challenge, code_challenge_method: 'S256' }));
  const wrong = await exchange({ code, code_verifier: pkcePair().verifier });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.body, { error: 'invalid_grant' });
  const missing = await exchange({ code });
  assert.deepEqual(missing.body, { error: 'invalid_grant' });
});

test('authorization code is single use', async () => {
  const code = await codeFor(authorizeQuery());
  const first = await exchange({ code });
  assert.equal(first.status, 200);
  const second = await exchange({ code });
  assert.equal(second.status, 400);
  assert.deepEqual(second.body, { error: 'invalid_grant' });
});

test('token redirect_uri must match the code', async () => {
  const code = await codeFor(authorizeQuery());
  const response = await exchange({ code, redirect_uri: 'https://example.com/signout' });
  assert.equal(response.status, 400);
  assert.deepEqual(response.body, { error: 'invalid_grant' });
});

test('token endpoint rejects wrong client secret', async () => {
  const code = await codeFor(authorizeQuery());
  const response = await exchange({ code }, 'not-the-secret');
  assert.equal(response.status, 400);
  assert.equal(response.body.error, 'invalid_client');
  const unsupported = await postForm(`${base}/oauth2/token`, { grant_type: 'password' }, undefined, basic(lab.clientId, lab.clientSecret));
  assert.deepEqual(await unsupported.json(), { error: 'unsupported_grant_type' });
});

test('public client exchanges with client_id in body', async () => {
  const pkce = pkcePair();
  const query = authorizeQuery({ client_id: publicClientId, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
  const code = await codeFor(query);
  const response = await postForm(`${base}/oauth2/token`, { grant_type: 'authorization_code', client_id: publicClientId, code, redirect_uri: CALLBACK, code_verifier: pkce.verifier });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(decodeJwt(body.access_token).client_id, publicClientId);
});

test('session cookie skips login on authorize', async () => {
  const jar = new CookieJar();
  await codeFor(authorizeQuery(), jar);
  assert.ok(jar.has('cognito'));
  const again = await get(`${base}/oauth2/authorize?${authorizeQuery()}`, jar);
  assert.equal(again.status, 302);
  const location = new URL(again.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
  assert.ok(location.searchParams.get('code'));
});

test('logout clears session and redirects', async () => {
  const jar = new CookieJar();
  await codeFor(authorizeQuery(), jar);
  const unregistered = await get(`${base}/logout?${new URLSearchParams({ client_id: lab.clientId, logout_uri: 'https://evil.example/' })}`, jar);
  assert.equal(unregistered.status, 400);
  assert.equal(unregistered.headers.get('location'), null);
  const response = await get(`${base}/logout?${new URLSearchParams({ client_id: lab.clientId, logout_uri: 'https://example.com/signout' })}`, jar);
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), 'https://example.com/signout');
  assert.equal(jar.has('cognito'), false);
  const authorize = await get(`${base}/oauth2/authorize?${authorizeQuery()}`, jar);
  assert.match(authorize.headers.get('location')!, /\/login\?/);
});

test('implicit flow returns tokens in fragment', async () => {
  const location = await signInForLocation(base, authorizeQuery({ response_type: 'token' }), EMAIL, PASSWORD);
  assert.equal(location.search, '');
  const fragment = new URLSearchParams(location.hash.slice(1));
  assert.equal(fragment.get('token_type'), 'Bearer');
  assert.equal(fragment.get('state'), 'state-123');
  assert.equal(fragment.get('refresh_token'), null);
  const access = await verifyWithJwks(fragment.get('access_token')!);
  assert.equal(access.payload.token_use, 'access');
});

test('refresh, userInfo and revoke', async () => {
  const code = await codeFor(authorizeQuery());
  const tokens = (await exchange({ code })).body;
  const info = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(info.status, 200);
  const attributes = await info.json();
  assert.equal(attributes.email, EMAIL);
  assert.equal(attributes.email_verified, 'true');
  assert.equal(typeof attributes.sub, 'string');

  const refreshForm = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
  const refreshed = await postForm(`${base}/oauth2/token`, refreshForm, undefined, basic(lab.clientId, lab.clientSecret));
  assert.equal(refreshed.status, 200);
  const refreshedBody = await refreshed.json();
  assert.equal(refreshedBody.refresh_token, undefined);
  assert.equal((await verifyWithJwks(refreshedBody.access_token)).payload.scope, 'openid email');

  const revoked = await postForm(`${base}/oauth2/revoke`, { token: tokens.refresh_token }, undefined, basic(lab.clientId, lab.clientSecret));
  assert.equal(revoked.status, 200);
  const afterRevoke = await postForm(`${base}/oauth2/token`, refreshForm, undefined, basic(lab.clientId, lab.clientSecret));
  assert.equal(afterRevoke.status, 400);
  assert.deepEqual(await afterRevoke.json(), { error: 'invalid_grant' });
  const infoAfter = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(infoAfter.status, 401);
  assert.equal((await infoAfter.json()).error, 'invalid_token');
});

test('userInfo needs openid scope', async () => {
  const code = await codeFor(authorizeQuery({ scope: 'email' }));
  const tokens = (await exchange({ code })).body;
  assert.equal(tokens.id_token, undefined);
  const info = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(info.status, 401);
  assert.equal((await info.json()).error, 'invalid_token');
});

test('discovery names hosted UI endpoints', async () => {
  const discovery = await (await fetch(`${palisade.url}/${lab.userPoolId}/.well-known/openid-configuration`)).json();
  const host = `https://${lab.domain}.auth.us-east-1.amazoncognito.com`;
  assert.equal(discovery.authorization_endpoint, `${host}/oauth2/authorize`);
  assert.equal(discovery.token_endpoint, `${host}/oauth2/token`);
  assert.equal(discovery.userinfo_endpoint, `${host}/oauth2/userInfo`);
  assert.equal(discovery.revocation_endpoint, `${host}/oauth2/revoke`);
  assert.equal(palisade.app.localUrl(discovery.token_endpoint), `${base}/oauth2/token`);
});

test('lab CognitoSignupURL signs in', async () => {
  const awsUrl = `https://${lab.domain}.auth.us-east-1.amazoncognito.com/login?client_id=${lab.clientId}` +
    '&response_type=code&scope=aws.cognito.signin.user.admin+email+openid&redirect_uri=https://example.com/callback';
  const local = new URL(palisade.app.localUrl(awsUrl)!);
  assert.equal(local.pathname, `/hosted-ui/${lab.domain}/login`);
  const location = await signInForLocation(base, local.searchParams, EMAIL, PASSWORD);
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
  assert.equal(location.searchParams.get('state'), null);
  const { status, body } = await exchange({ code: location.searchParams.get('code')! });
  assert.equal(status, 200);
  const access = await verifyWithJwks(body.access_token);
  assert.equal(access.payload.scope, 'aws.cognito.signin.user.admin email openid');
  assert.equal(access.payload.username, (await verifyWithJwks(body.id_token)).payload['cognito:username']);
});

test('hosted UI login honours lockout', async () => {
  const email = 'lockout@example.com';
  await cognito.send(
    new SignUpCommand({
      ClientId: lab.clientId,
      Username: email,
      Password: PASSWORD,
      SecretHash: secretHash(lab.clientSecret, email, lab.clientId),
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  const jar = new CookieJar();
  const form = await get(`${base}/login?${authorizeQuery()}`, jar);
  const hidden = hiddenFields(await form.text());
  const messages: string[] = [];
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const response = await postForm(`${base}/login`, { ...hidden, username: email, password: 'Wrong-Horse-9' }, jar);
    assert.equal(response.status, 400);
    messages.push((await response.text()).match(/role="alert">([^<]*)</)![1]);
  }
  assert.deepEqual(messages.slice(0, 5), Array(5).fill('Incorrect username or password.'));
  assert.equal(messages[5], 'Password attempts exceeded');
});
