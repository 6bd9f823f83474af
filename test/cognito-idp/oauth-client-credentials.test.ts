import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { CreateResourceServerCommand, CreateUserPoolClientCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, createLabPool, type LabPool } from './lab-pool.ts';
import { basic, hostedUi, postForm } from './oauth-helpers.ts';

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
let lab: LabPool;
let base: string;
let machine: { id: string; secret: string };

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  lab = await createLabPool(cognito, 'walab-machine');
  base = hostedUi(palisade, lab.domain);
  await cognito.send(
    new CreateResourceServerCommand({
      UserPoolId: lab.userPoolId,
      Identifier: 'https://api.example.com',
      Name: 'lab api',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'read items' },
        { ScopeName: 'write', ScopeDescription: 'write items' },
      ],
    }),
  );
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: lab.userPoolId,
      ClientName: 'machine',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['https://api.example.com/read'],
    }),
  );
  machine = { id: client.UserPoolClient!.ClientId!, secret: client.UserPoolClient!.ClientSecret! };
});
after(async () => {
  await palisade.stop();
});

async function requestToken(form: Record<string, string>, clientId = machine.id, secret = machine.secret) {
  const response = await postForm(`${base}/oauth2/token`, { grant_type: 'client_credentials', ...form }, undefined, basic(clientId, secret));
  return { status: response.status, body: await response.json(), headers: response.headers };
}

test('client_credentials grants resource-server scope', async () => {
  const { status, body, headers } = await requestToken({ scope: 'https://api.example.com/read' });
  assert.equal(status, 200);
  assert.equal(headers.get('cache-control'), 'no-store');
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 3600);
  assert.equal(body.id_token, undefined);
  assert.equal(body.refresh_token, undefined);
  const jwks = createLocalJWKSet(await (await fetch(`${palisade.url}/${lab.userPoolId}/.well-known/jwks.json`)).json());
  const { payload } = await jwtVerify(body.access_token, jwks, { issuer: `https://cognito-idp.us-east-1.amazonaws.com/${lab.userPoolId}` });
  assert.equal(payload.sub, machine.id);
  assert.equal(payload.client_id, machine.id);
  assert.equal(payload.token_use, 'access');
  assert.equal(payload.scope, 'https://api.example.com/read');
});

test('client_credentials without scope grants allowed scopes', async () => {
  const { status, body } = await requestToken({});
  assert.equal(status, 200);
  const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
  assert.equal(claims.scope, 'https://api.example.com/read');
});

test('client_credentials scope not allowed is invalid_scope', async () => {
  for (const scope of ['https://api.example.com/write', 'openid', 'https://api.example.com/read https://api.example.com/write']) {
    const { status, body } = await requestToken({ scope });
    assert.equal(status, 400, scope);
    assert.deepEqual(body, { error: 'invalid_scope' });
  }
});

test('client_credentials wrong secret is invalid_client', async () => {
  const { status, body } = await requestToken({}, machine.id, 'x'.repeat(51));
  assert.equal(status, 400);
  assert.equal(body.error, 'invalid_client');
});

test('client_credentials refused for code client', async () => {
  const { status, body } = await requestToken({ scope: 'openid' }, lab.clientId, lab.clientSecret);
  assert.equal(status, 400);
  assert.deepEqual(body, { error: 'unauthorized_client' });
});

test('token endpoint needs a form body', async () => {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...basic(machine.id, machine.secret) },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error, 'invalid_request');
});
