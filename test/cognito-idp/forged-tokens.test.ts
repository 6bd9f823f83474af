import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SignJWT } from 'jose';
import { privateKey } from '../../src/services/cognito-idp/keys.ts';
import type { UserPoolRecord } from '../../src/services/cognito-idp/records.ts';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, rejection } from './lab-pool.ts';

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
const PASSWORD = 'Forge-Proof-Pass-3';

interface Pool {
  userPoolId: string;
  clientId: string;
  otherClientId: string;
}
let poolA: Pool;
let poolB: Pool;

async function createPool(name: string): Promise<Pool> {
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: name }));
  const userPoolId = pool.UserPool!.Id!;
  const client = async (clientName: string) =>
    (await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: clientName, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })))
      .UserPoolClient!.ClientId!;
  return { userPoolId, clientId: await client('web'), otherClientId: await client('other') };
}

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  poolA = await createPool('forge-a');
  poolB = await createPool('forge-b');
});
after(async () => {
  await palisade.stop();
});

async function signIn(pool: Pool, username: string) {
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: pool.userPoolId, Username: username, MessageAction: 'SUPPRESS' }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
  const result = await cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
  return result.AuthenticationResult!;
}

async function fetchJwks(pool: Pool) {
  const response = await fetch(`${palisade.url}/${pool.userPoolId}/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  return response.json();
}

function verifierFor(pool: Pool, tokenUse: 'id' | 'access', clientId = pool.clientId, jwks?: any) {
  const verifier = CognitoJwtVerifier.create({ userPoolId: pool.userPoolId, tokenUse, clientId });
  verifier.cacheJwks(jwks);
  return verifier;
}

function seamVerify(pool: Pool, token: string, tokenUse: 'id' | 'access') {
  const arn = `arn:aws:cognito-idp:us-east-1:${palisade.app.accountId}:userpool/${pool.userPoolId}`;
  return palisade.app.seam('cognito').verifyToken({ userPoolArns: [arn], token, tokenUse });
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());

/** Expect a token to be refused by GetUser (with the message), by the seam, and by aws-jwt-verify. */
async function expectRefused(pool: Pool, token: string, message: string) {
  const error = await rejection(cognito.send(new GetUserCommand({ AccessToken: token })));
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, message);
  assert.equal(await seamVerify(pool, token, 'access'), undefined);
}

test('aws-jwt-verify verifies ID and access tokens with the JWKS loaded from palisade', async () => {
  const tokens = await signIn(poolA, 'verified-user');
  const jwks = await fetchJwks(poolA);
  const id = await verifierFor(poolA, 'id', poolA.clientId, jwks).verify(tokens.IdToken!);
  assert.equal(id['cognito:username'], 'verified-user');
  assert.equal(id.aud, poolA.clientId);
  assert.equal(id.iss, `https://cognito-idp.us-east-1.amazonaws.com/${poolA.userPoolId}`);
  const access = await verifierFor(poolA, 'access', poolA.clientId, jwks).verify(tokens.AccessToken!);
  assert.equal(access.client_id, poolA.clientId);
  assert.equal(access.scope, 'aws.cognito.signin.user.admin');
  // The kids of the two pools differ, and pool B's JWKS does not verify pool A's token.
  const jwksB = await fetchJwks(poolB);
  assert.ok(jwks.keys.every((key: any) => jwksB.keys.every((other: any) => other.kid !== key.kid)));
  await assert.rejects(verifierFor(poolB, 'access', poolB.clientId, jwksB).verify(tokens.AccessToken!));
});

test('alg none is refused', async () => {
  const tokens = await signIn(poolA, 'alg-none');
  const [header, payload] = tokens.AccessToken!.split('.');
  const forged = `${b64({ ...decode(header), alg: 'none' })}.${payload}.`;
  await expectRefused(poolA, forged, 'Invalid Access Token');
  await assert.rejects(verifierFor(poolA, 'access', poolA.clientId, await fetchJwks(poolA)).verify(forged));
});

test('HS256 signed with the public key is refused', async () => {
  const tokens = await signIn(poolA, 'hs256');
  const [header, payload] = tokens.AccessToken!.split('.');
  const jwks = await fetchJwks(poolA);
  const jwk = jwks.keys.find((key: any) => key.kid === decode(header).kid);
  const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const head = b64({ ...decode(header), alg: 'HS256' });
  const signature = createHmac('sha256', pem).update(`${head}.${payload}`).digest('base64url');
  const forged = `${head}.${payload}.${signature}`;
  await expectRefused(poolA, forged, 'Invalid Access Token');
  await assert.rejects(verifierFor(poolA, 'access', poolA.clientId, jwks).verify(forged));
});

test("a token signed with another pool's key is refused", async () => {
  const tokens = await signIn(poolA, 'other-key');
  const [header, payload] = tokens.AccessToken!.split('.');
  const recordB = palisade.app.store.get<UserPoolRecord>('cognito-idp', 'user-pool', poolB.userPoolId)!;
  const keyB = await privateKey(palisade.app, recordB.keys.access);
  for (const kid of [decode(header).kid, recordB.keys.access.kid]) {
    const forged = await new SignJWT(decode(payload)).setProtectedHeader({ alg: 'RS256', kid }).sign(keyB);
    await expectRefused(poolA, forged, 'Invalid Access Token');
  }
});

test('an altered payload is refused', async () => {
  const tokens = await signIn(poolA, 'altered');
  await signIn(poolA, 'victim');
  const [header, payload, signature] = tokens.AccessToken!.split('.');
  const forged = `${header}.${b64({ ...decode(payload), username: 'victim' })}.${signature}`;
  await expectRefused(poolA, forged, 'Invalid Access Token');
});

test('an expired token is refused', async () => {
  const tokens = await signIn(poolA, 'expired');
  const [header, payload] = tokens.AccessToken!.split('.');
  const recordA = palisade.app.store.get<UserPoolRecord>('cognito-idp', 'user-pool', poolA.userPoolId)!;
  const claims = decode(payload);
  const expired = await new SignJWT({ ...claims, iat: claims.iat - 7200, exp: claims.iat - 3600 })
    .setProtectedHeader(decode(header))
    .sign(await privateKey(palisade.app, recordA.keys.access));
  await expectRefused(poolA, expired, 'Access Token has expired');
  await assert.rejects(verifierFor(poolA, 'access', poolA.clientId, await fetchJwks(poolA)).verify(expired), /expired/i);
});

test('the wrong token_use is refused', async () => {
  const tokens = await signIn(poolA, 'wrong-use');
  await expectRefused(poolA, tokens.IdToken!, 'Invalid Access Token');
  assert.equal(await seamVerify(poolA, tokens.AccessToken!, 'id'), undefined);
  await assert.rejects(verifierFor(poolA, 'access', poolA.clientId, await fetchJwks(poolA)).verify(tokens.IdToken!));
});

test('the wrong audience or client is refused by verifiers', async () => {
  const tokens = await signIn(poolA, 'wrong-aud');
  const jwks = await fetchJwks(poolA);
  await assert.rejects(verifierFor(poolA, 'id', poolA.otherClientId, jwks).verify(tokens.IdToken!), /audience|client/i);
  await assert.rejects(verifierFor(poolA, 'access', poolA.otherClientId, jwks).verify(tokens.AccessToken!), /client/i);
});

test('RevokeToken revokes the refresh token and the tokens issued from it', async () => {
  const tokens = await signIn(poolA, 'revoked');
  assert.ok(await seamVerify(poolA, tokens.AccessToken!, 'access'));
  await cognito.send(new RevokeTokenCommand({ ClientId: poolA.clientId, Token: tokens.RefreshToken! }));
  await expectRefused(poolA, tokens.AccessToken!, 'Access Token has been revoked');
  assert.equal(await seamVerify(poolA, tokens.IdToken!, 'id'), undefined);
  const refresh = await rejection(
    cognito.send(new InitiateAuthCommand({ ClientId: poolA.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } })),
  );
  assert.equal(refresh.name, 'NotAuthorizedException');
  assert.equal(refresh.message, 'Refresh Token has been revoked');
});

test('GlobalSignOut and AdminUserGlobalSignOut revoke all of the user\'s tokens', async () => {
  const first = await signIn(poolA, 'signed-out');
  const second = (await cognito.send(new InitiateAuthCommand({ ClientId: poolA.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'signed-out', PASSWORD } }))).AuthenticationResult!;
  await cognito.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken! }));
  await expectRefused(poolA, first.AccessToken!, 'Access Token has been revoked');
  await expectRefused(poolA, second.AccessToken!, 'Access Token has been revoked');

  const third = (await cognito.send(new InitiateAuthCommand({ ClientId: poolA.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'signed-out', PASSWORD } }))).AuthenticationResult!;
  assert.equal((await cognito.send(new GetUserCommand({ AccessToken: third.AccessToken! }))).Username, 'signed-out');
  await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolA.userPoolId, Username: 'signed-out' }));
  await expectRefused(poolA, third.AccessToken!, 'Access Token has been revoked');
  assert.equal(await seamVerify(poolA, third.IdToken!, 'id'), undefined);
});
