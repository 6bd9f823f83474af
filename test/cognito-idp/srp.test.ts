import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoRefreshToken, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, rejection } from './lab-pool.ts';

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
let userPoolId: string;
let clientId: string;
const PASSWORD = 'Srp-Secret-Pass-9';

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'srp-pool' }));
  userPoolId = pool.UserPool!.Id!;
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'browser',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  for (const name of ['alice', 'bob']) {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: name, MessageAction: 'SUPPRESS' }));
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: name, Password: PASSWORD, Permanent: true }));
  }
});
after(async () => {
  await palisade.stop();
});

function libraryUser(username: string): CognitoUser {
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint: palisade.url });
  return new CognitoUser({ Username: username, Pool: pool });
}

/** Sign in with the library's SRP handshake; resolves to the session or the error the library reports. */
function srpSignIn(username: string, password: string): Promise<{ session?: CognitoUserSession; error?: any; user: CognitoUser }> {
  const user = libraryUser(username);
  return new Promise((resolve) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ session, user }),
      onFailure: (error) => resolve({ error, user }),
      newPasswordRequired: () => resolve({ error: new Error('unexpected NEW_PASSWORD_REQUIRED'), user }),
    });
  });
}

test('amazon-cognito-identity-js signs in with SRP and the right password', async () => {
  const { session, error } = await srpSignIn('alice', PASSWORD);
  assert.equal(error, undefined);
  assert.ok(session!.isValid());
  assert.equal(session!.getIdToken().payload['cognito:username'], 'alice');
  assert.equal(session!.getAccessToken().payload.client_id, clientId);
  assert.equal(session!.getAccessToken().payload.token_use, 'access');
});

test('SRP with a wrong password fails with NotAuthorizedException', async () => {
  const { error } = await srpSignIn('bob', 'Wrong-Password-1');
  assert.equal(error.code, 'NotAuthorizedException');
  assert.equal(error.message, 'Incorrect username or password.');
});

test('SRP unknown user hidden as wrong password', async () => {
  const { error } = await srpSignIn('nobody', PASSWORD);
  assert.equal(error.code, 'NotAuthorizedException');
  assert.equal(error.message, 'Incorrect username or password.');
});

test('the library refreshes the session with the refresh token', async () => {
  const { session, user } = await srpSignIn('alice', PASSWORD);
  const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
    user.refreshSession(new CognitoRefreshToken({ RefreshToken: session!.getRefreshToken().getToken() }), (error: any, result: CognitoUserSession) =>
      error ? reject(error) : resolve(result),
    ),
  );
  assert.equal(refreshed.getIdToken().payload['cognito:username'], 'alice');
  assert.equal(refreshed.getAccessToken().payload.origin_jti, session!.getAccessToken().payload.origin_jti);
  assert.notEqual(refreshed.getAccessToken().getJwtToken(), session!.getAccessToken().getJwtToken());
});

test('PASSWORD_VERIFIER carries the SRP parameters and rejects a forged signature', async () => {
  const started = await cognito.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice', SRP_A: (2n ** 200n).toString(16) } }),
  );
  assert.equal(started.ChallengeName, 'PASSWORD_VERIFIER');
  const params = started.ChallengeParameters!;
  assert.deepEqual(Object.keys(params).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
  assert.equal(params.USER_ID_FOR_SRP, 'alice');
  const { RespondToAuthChallengeCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const respond = (timestamp: string) =>
    cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: {
          USERNAME: 'alice',
          PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
          PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64'),
          TIMESTAMP: timestamp,
        },
      }),
    );
  const error = await rejection(respond('Tue Sep 3 13:21:02 UTC 2024'));
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, 'Incorrect username or password.');
  assert.equal(error.$metadata.httpStatusCode, 400);
  // The secret block is single use: the same handshake cannot be tried twice.
  const again = await rejection(respond('Tue Sep 3 13:21:03 UTC 2024'));
  assert.equal(again.name, 'NotAuthorizedException');
});

test('SRP_A that is a multiple of N is refused', async () => {
  const error = await rejection(cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice', SRP_A: '00' } })));
  assert.equal(error.name, 'InvalidParameterException');
});
