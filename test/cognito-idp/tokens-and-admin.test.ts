import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  GetUserCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, createLabPool, rejection, secretHash, type LabPool } from './lab-pool.ts';

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
let poolA: LabPool;
let poolB: LabPool;
const PASSWORD = 'Permanent-Pass-7';

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  poolA = await createLabPool(cognito, 'walab-a');
  poolB = await createLabPool(cognito, 'walab-b');
});
after(async () => {
  await palisade.stop();
});

function arn(pool: LabPool): string {
  return `arn:aws:cognito-idp:us-east-1:${palisade.app.accountId}:userpool/${pool.userPoolId}`;
}

async function createPermanentUser(pool: LabPool, email: string) {
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: pool.userPoolId, Username: email, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }] }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: email, Password: PASSWORD, Permanent: true }));
}

async function signIn(pool: LabPool, email: string, password = PASSWORD) {
  return cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.userPoolId,
      ClientId: pool.clientId,
      AuthFlow: 'ADMIN_NO_SRP_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: secretHash(pool.clientSecret, email, pool.clientId) },
    }),
  );
}

function verify(pool: LabPool, token: string, tokenUse: 'id' | 'access' = 'id') {
  return palisade.app.seam('cognito').verifyToken({ userPoolArns: [arn(pool)], token, tokenUse });
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

test('verifyToken accepts its own pool only', async () => {
  await createPermanentUser(poolA, 'seam-a@example.com');
  await createPermanentUser(poolB, 'seam-b@example.com');
  const tokenA = (await signIn(poolA, 'seam-a@example.com')).AuthenticationResult!.IdToken!;
  const tokenB = (await signIn(poolB, 'seam-b@example.com')).AuthenticationResult!.IdToken!;

  const claims = await verify(poolA, tokenA);
  assert.equal(claims?.email, 'seam-a@example.com');
  assert.equal(claims?.token_use, 'id');
  assert.equal(await verify(poolA, tokenB), undefined);
  assert.ok(await verify(poolB, tokenB));

  // Pool B's token relabelled with pool A's issuer and kid still fails: the signature is B's.
  const [, payloadB, signatureB] = tokenB.split('.');
  const headerA = JSON.parse(Buffer.from(tokenA.split('.')[0], 'base64url').toString());
  const payload = JSON.parse(Buffer.from(payloadB, 'base64url').toString());
  payload.iss = `https://cognito-idp.us-east-1.amazonaws.com/${poolA.userPoolId}`;
  assert.equal(await verify(poolA, `${base64url(headerA)}.${base64url(payload)}.${signatureB}`), undefined);
});

test('verifyToken rejects tampered, alg none and wrong use', async () => {
  await createPermanentUser(poolA, 'tamper@example.com');
  const result = (await signIn(poolA, 'tamper@example.com')).AuthenticationResult!;
  const [header, payload, signature] = result.IdToken!.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());

  const tampered = `${header}.${base64url({ ...claims, email: 'admin@example.com' })}.${signature}`;
  assert.equal(await verify(poolA, tampered), undefined);

  const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;
  const unsigned = `${base64url({ alg: 'none', kid })}.${payload}.`;
  assert.equal(await verify(poolA, unsigned), undefined);

  assert.equal(await verify(poolA, result.IdToken!, 'access'), undefined);
  assert.equal(await verify(poolA, result.AccessToken!, 'id'), undefined);
  assert.equal((await verify(poolA, result.AccessToken!, 'access'))?.token_use, 'access');
  assert.equal(await verify(poolA, 'not.a.token'), undefined);
});

test('verifyToken rejects disabled users and revoked tokens', async () => {
  await createPermanentUser(poolA, 'disabled@example.com');
  const result = (await signIn(poolA, 'disabled@example.com')).AuthenticationResult!;
  assert.ok(await verify(poolA, result.IdToken!));

  await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolA.userPoolId, Username: 'disabled@example.com' }));
  assert.equal(await verify(poolA, result.IdToken!), undefined);
  const disabled = await rejection(signIn(poolA, 'disabled@example.com'));
  assert.equal(disabled.name, 'NotAuthorizedException');
  assert.equal(disabled.message, 'User is disabled.');
  await cognito.send(new AdminEnableUserCommand({ UserPoolId: poolA.userPoolId, Username: 'disabled@example.com' }));
  assert.ok(await verify(poolA, result.IdToken!));

  await cognito.send(new RevokeTokenCommand({ Token: result.RefreshToken!, ClientId: poolA.clientId, ClientSecret: poolA.clientSecret }));
  assert.equal(await verify(poolA, result.IdToken!), undefined);
  const revoked = await rejection(cognito.send(new GetUserCommand({ AccessToken: result.AccessToken! })));
  assert.equal(revoked.name, 'NotAuthorizedException');
  assert.equal(revoked.message, 'Access Token has been revoked');
});

test('AdminCreateUser temporary password needs NEW_PASSWORD_REQUIRED', async () => {
  const email = 'invited@example.com';
  const created = await cognito.send(
    new AdminCreateUserCommand({ UserPoolId: poolA.userPoolId, Username: email, TemporaryPassword: 'Temporary$&-Pass-1', DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: email }] }),
  );
  assert.equal(created.User!.UserStatus, 'FORCE_CHANGE_PASSWORD');
  assert.match(created.User!.Username!, /^[0-9a-f-]{36}$/);
  const invitation = palisade.app.mail.list().find((message) => message.recipient === email);
  assert.equal(invitation?.subject, 'Your temporary password');
  assert.equal(invitation?.body, `Your username is ${email} and temporary password is Temporary$&-Pass-1.`);

  const challenge = await signIn(poolA, email, 'Temporary$&-Pass-1');
  assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  assert.equal(challenge.AuthenticationResult, undefined);
  assert.equal(challenge.ChallengeParameters!.USER_ID_FOR_SRP, created.User!.Username);
  assert.deepEqual(JSON.parse(challenge.ChallengeParameters!.userAttributes), { email });

  const weak = await rejection(
    cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: poolA.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: 'short', SECRET_HASH: secretHash(poolA.clientSecret, email, poolA.clientId) },
      }),
    ),
  );
  assert.equal(weak.name, 'InvalidPasswordException');

  const answered = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: poolA.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: email, NEW_PASSWORD: 'Brand-New-Pass-2', SECRET_HASH: secretHash(poolA.clientSecret, email, poolA.clientId) },
    }),
  );
  assert.ok(answered.AuthenticationResult!.IdToken);
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolA.userPoolId, Username: email }));
  assert.equal(user.UserStatus, 'CONFIRMED');

  const me = await cognito.send(new GetUserCommand({ AccessToken: answered.AuthenticationResult!.AccessToken! }));
  assert.equal(me.Username, created.User!.Username);
  assert.ok(me.UserAttributes!.some((entry) => entry.Name === 'email' && entry.Value === email));

  const suppressed = palisade.app.mail.list().filter((message) => message.recipient === 'seam-a@example.com');
  assert.equal(suppressed.length, 0);
});

test('GetUser rejects a forged access token', async () => {
  const error = await rejection(cognito.send(new GetUserCommand({ AccessToken: 'eyJhbGciOiJub25lIn0.e30.' })));
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, 'Invalid Access Token');
});

test('ListUsers lists and fails closed on filters', async () => {
  await createPermanentUser(poolB, 'listed@example.com');
  const all = await cognito.send(new ListUsersCommand({ UserPoolId: poolB.userPoolId }));
  assert.ok(all.Users!.some((user) => user.Attributes!.some((entry) => entry.Value === 'listed@example.com')));
  const filtered = await cognito.send(new ListUsersCommand({ UserPoolId: poolB.userPoolId, Filter: 'email = "listed@example.com"' }));
  assert.equal(filtered.Users!.length, 1);
  const error = await rejection(cognito.send(new ListUsersCommand({ UserPoolId: poolB.userPoolId, Filter: 'custom:team = "x"' })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'Invalid search attribute: custom:team');
});

test('unknown pool and client are ResourceNotFoundException', async () => {
  const pool = await rejection(cognito.send(new ListUsersCommand({ UserPoolId: 'us-east-1_AAAAAAAAA' })));
  assert.equal(pool.name, 'ResourceNotFoundException');
  assert.equal(pool.message, 'User pool us-east-1_AAAAAAAAA does not exist.');
  const client = await rejection(
    cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolA.userPoolId, ClientId: poolB.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: {} })),
  );
  assert.equal(client.name, 'ResourceNotFoundException');
  assert.equal(client.message, `User pool client ${poolB.clientId} does not exist.`);
});

test('Admin operations need SigV4', async () => {
  const response = await fetch(palisade.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser' },
    body: JSON.stringify({ UserPoolId: poolA.userPoolId, Username: 'seam-a@example.com' }),
  });
  assert.equal(response.status, 400);
  const body = await response.json();
  assert.equal(body.__type, 'MissingAuthenticationTokenException');
});

test('InitiateAuth is served unsigned', async () => {
  const email = 'seam-a@example.com';
  const response = await fetch(palisade.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({
      ClientId: poolA.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: secretHash(poolA.clientSecret, email, poolA.clientId) },
    }),
  });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('content-type'), 'application/x-amz-json-1.1');
  const body = await response.json();
  assert.equal(body.__type, 'InvalidParameterException');
  assert.equal(body.message, 'USER_PASSWORD_AUTH flow not enabled for this client');
});

test('UpdateUserPool keeps sign-in attributes', async () => {
  const { UpdateUserPoolCommand, DescribeUserPoolCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  await cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolB.userPoolId, AutoVerifiedAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 12 } } }));
  const pool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolB.userPoolId }))).UserPool!;
  assert.deepEqual(pool.UsernameAttributes, ['email']);
  assert.equal(pool.Policies!.PasswordPolicy!.MinimumLength, 12);
  assert.equal(pool.VerificationMessageTemplate!.DefaultEmailOption, 'CONFIRM_WITH_CODE');
});

test('SECRET_HASH refused for a client without a secret', async () => {
  const { CreateUserPoolClientCommand, InitiateAuthCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolA.userPoolId, ClientName: 'public', GenerateSecret: false, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  const email = 'seam-a@example.com';
  const withHash = await rejection(
    cognito.send(
      new InitiateAuthCommand({ ClientId: UserPoolClient!.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: 'c29tZS1oYXNo' } }),
    ),
  );
  assert.equal(withHash.name, 'NotAuthorizedException');
  assert.equal(withHash.$metadata.httpStatusCode, 400);
  assert.equal(withHash.message, `Unable to verify secret hash for client ${UserPoolClient!.ClientId}`);

  const withoutHash = await cognito.send(new InitiateAuthCommand({ ClientId: UserPoolClient!.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }));
  assert.equal(withoutHash.AuthenticationResult!.IdToken!.split('.').length, 3);
});

