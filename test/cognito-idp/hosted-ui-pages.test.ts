import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient } from './lab-pool.ts';
import { CALLBACK, CookieJar, get, hiddenFields, hostedUi, postForm, signInForLocation } from './oauth-helpers.ts';

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
let base: string;
let clientId: string;
const DOMAIN = 'pages-code';
const PASSWORD = 'Correct-Horse-9';

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'code-pool', AutoVerifiedAttributes: ['email'] }));
  const userPoolId = pool.UserPool!.Id!;
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'web',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: DOMAIN }));
  base = hostedUi(palisade, DOMAIN);
});
after(async () => {
  await palisade.stop();
});

function query(): URLSearchParams {
  return new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: CALLBACK, state: 's1' });
}

function lastMail(recipient: string) {
  const messages = palisade.app.mail.list().filter((message) => message.recipient === recipient);
  assert.ok(messages.length > 0, `no message was sent to ${recipient}`);
  return messages[messages.length - 1];
}

/** GET a form page, then POST it with the given fields; the jar carries the CSRF cookie. */
async function submit(pageName: string, pageQuery: URLSearchParams, fields: Record<string, string>, jar = new CookieJar()): Promise<Response> {
  const form = await get(`${base}/${pageName}?${pageQuery}`, jar);
  assert.equal(form.status, 200);
  return postForm(`${base}/${pageName}`, { ...hiddenFields(await form.text()), ...fields }, jar);
}

test('signup with code, confirm, sign in', async () => {
  const signup = await submit('signup', query(), { username: 'carol', email: 'carol@example.com', password: PASSWORD });
  assert.equal(signup.status, 302);
  const confirmUrl = new URL(signup.headers.get('location')!, palisade.url);
  assert.equal(confirmUrl.pathname, `/hosted-ui/${DOMAIN}/confirm`);
  assert.equal(confirmUrl.searchParams.get('username'), 'carol');

  const wrong = await submit('confirm', confirmUrl.searchParams, { code: '000000' === lastMail('carol@example.com').code ? '111111' : '000000' });
  assert.equal(wrong.status, 400);
  assert.match(await wrong.text(), /Invalid verification code provided, please try again\./);

  const confirmed = await submit('confirm', confirmUrl.searchParams, { code: lastMail('carol@example.com').code! });
  assert.equal(confirmed.status, 302);
  assert.match(confirmed.headers.get('location')!, /\/login\?/);

  const location = await signInForLocation(base, query(), 'carol', PASSWORD);
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
  assert.ok(location.searchParams.get('code'));
});

test('signup weak password shows policy error', async () => {
  const response = await submit('signup', query(), { username: 'dave', email: 'dave@example.com', password: 'short' });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
  assert.match(await response.text(), /Password did not conform with policy/);
});

test('unconfirmed user cannot sign in', async () => {
  await submit('signup', query(), { username: 'erin', email: 'erin@example.com', password: PASSWORD });
  const jar = new CookieJar();
  const form = await get(`${base}/login?${query()}`, jar);
  const response = await postForm(`${base}/login`, { ...hiddenFields(await form.text()), username: 'erin', password: PASSWORD }, jar);
  assert.equal(response.status, 400);
  assert.match(await response.text(), /User is not confirmed\./);
});

test('forgot password resets through code', async () => {
  await submit('signup', query(), { username: 'frank', email: 'frank@example.com', password: PASSWORD });
  await submit('confirm', new URLSearchParams({ ...Object.fromEntries(query()), username: 'frank' }), { code: lastMail('frank@example.com').code! });

  const forgot = await submit('forgotPassword', query(), { username: 'frank' });
  assert.equal(forgot.status, 302);
  const resetUrl = new URL(forgot.headers.get('location')!, palisade.url);
  assert.equal(resetUrl.pathname, `/hosted-ui/${DOMAIN}/confirmForgotPassword`);
  const reset = await submit('confirmForgotPassword', resetUrl.searchParams, { code: lastMail('frank@example.com').code!, password: 'Another-Horse-7' });
  assert.equal(reset.status, 302);
  assert.match(reset.headers.get('location')!, /\/login\?/);

  const location = await signInForLocation(base, query(), 'frank', 'Another-Horse-7');
  assert.ok(location.searchParams.get('code'));
});

test('unknown page is 404 without redirect', async () => {
  const response = await get(`${base}/nope`);
  assert.equal(response.status, 404);
  assert.equal(response.headers.get('location'), null);
});
