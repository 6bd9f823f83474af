import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, rejection } from './lab-pool.ts';

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
const PASSWORD = 'Mfa-Strong-Pass-5';

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
});
after(async () => {
  await palisade.stop();
});

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) from a base32 secret, written here independently of palisade. */
function totp(secret: string, offsetSteps = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + offsetSteps));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function createPool(mfa: 'OFF' | 'OPTIONAL' | 'ON') {
  // As in AWS, a TOTP-only pool is created with MFA OFF and turned on with SetUserPoolMfaConfig.
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: `mfa-${mfa}` }));
  const userPoolId = pool.UserPool!.Id!;
  if (mfa !== 'OFF') await cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: mfa, SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const client = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  return { userPoolId, clientId: client.UserPoolClient!.ClientId! };
}

async function createUser(userPoolId: string, username: string) {
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS' }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
}

function passwordAuth(clientId: string, username: string) {
  return cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
}

test('OPTIONAL: associate, verify, prefer, then SOFTWARE_TOKEN_MFA with a TOTP', async () => {
  const { userPoolId, clientId } = await createPool('OPTIONAL');
  await createUser(userPoolId, 'opt-user');
  const first = await passwordAuth(clientId, 'opt-user');
  const accessToken = first.AuthenticationResult!.AccessToken!;

  const associated = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  assert.match(associated.SecretCode!, /^[A-Z2-7]{32}$/);
  const badPreference = await rejection(cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })));
  assert.equal(badPreference.name, 'InvalidParameterException');
  assert.equal(badPreference.message, 'User has not verified software token mfa');

  const wrong = await rejection(cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totp(associated.SecretCode!, 5) })));
  assert.equal(wrong.name, 'EnableSoftwareTokenMFAException');
  assert.equal(wrong.message, 'Code mismatch and fail enable Software Token MFA');
  const verified = await cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totp(associated.SecretCode!), FriendlyDeviceName: 'phone' }));
  assert.equal(verified.Status, 'SUCCESS');
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  const me = await cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
  assert.equal(me.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');

  const challenged = await passwordAuth(clientId, 'opt-user');
  assert.equal(challenged.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  assert.equal(challenged.AuthenticationResult, undefined);
  assert.ok(challenged.Session);
  const mismatch = await rejection(
    cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenged.Session,
        ChallengeResponses: { USERNAME: 'opt-user', SOFTWARE_TOKEN_MFA_CODE: totp(associated.SecretCode!, 7) },
      }),
    ),
  );
  assert.equal(mismatch.name, 'CodeMismatchException');
  assert.equal(mismatch.message, 'Invalid code received for user');

  // VerifySoftwareToken spent the current step's code, so respond with the next step's code (within the drift window).
  const answered = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challenged.Session,
      ChallengeResponses: { USERNAME: 'opt-user', SOFTWARE_TOKEN_MFA_CODE: totp(associated.SecretCode!, 1) },
    }),
  );
  assert.ok(answered.AuthenticationResult?.IdToken);
  const reused = await rejection(
    cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenged.Session,
        ChallengeResponses: { USERNAME: 'opt-user', SOFTWARE_TOKEN_MFA_CODE: totp(associated.SecretCode!, 1) },
      }),
    ),
  );
  assert.equal(reused.name, 'NotAuthorizedException');
  assert.equal(reused.message, 'Invalid session for the user, session is expired.');
});

test('ON: MFA_SETUP through the session, then AdminRespondToAuthChallenge with a TOTP', async () => {
  const { userPoolId, clientId } = await createPool('ON');
  await createUser(userPoolId, 'on-user');
  const adminAuth = () =>
    cognito.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'on-user', PASSWORD } }));
  const setup = await adminAuth();
  assert.equal(setup.ChallengeName, 'MFA_SETUP');
  assert.equal(setup.ChallengeParameters!.MFAS_CAN_SETUP, '["SOFTWARE_TOKEN_MFA"]');
  const associated = await cognito.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }));
  assert.ok(associated.Session);
  const verified = await cognito.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: totp(associated.SecretCode!) }));
  assert.equal(verified.Status, 'SUCCESS');
  const done = await cognito.send(
    new AdminRespondToAuthChallengeCommand({ UserPoolId: userPoolId, ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: verified.Session, ChallengeResponses: { USERNAME: 'on-user' } }),
  );
  assert.ok(done.AuthenticationResult?.AccessToken);
  const described = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'on-user' }));
  assert.deepEqual(described.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

  const next = await adminAuth();
  assert.equal(next.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  const answered = await cognito.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: userPoolId,
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: next.Session,
      ChallengeResponses: { USERNAME: 'on-user', SOFTWARE_TOKEN_MFA_CODE: totp(associated.SecretCode!, 1) },
    }),
  );
  assert.ok(answered.AuthenticationResult?.IdToken);
});

test('OFF: no challenge, and software tokens cannot be associated', async () => {
  const { userPoolId, clientId } = await createPool('OFF');
  await createUser(userPoolId, 'off-user');
  const result = await passwordAuth(clientId, 'off-user');
  assert.ok(result.AuthenticationResult?.AccessToken);
  const error = await rejection(cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: result.AuthenticationResult!.AccessToken! })));
  assert.equal(error.name, 'SoftwareTokenMFANotFoundException');
  assert.equal(error.message, 'Software Token MFA has not been enabled by the userPool.');
  const config = await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
  assert.equal(config.MfaConfiguration, 'OFF');
  const set = await cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  assert.equal(set.MfaConfiguration, 'OPTIONAL');
  assert.deepEqual(set.SoftwareTokenMfaConfiguration, { Enabled: true });
  const refused = await rejection(cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: userPoolId, Username: 'off-user', SoftwareTokenMfaSettings: { Enabled: true } })));
  assert.equal(refused.message, 'User has not verified software token mfa');
});

test('MFA ON without a software token factor is refused', async () => {
  const error = await rejection(cognito.send(new CreateUserPoolCommand({ PoolName: 'bad-mfa', MfaConfiguration: 'ON' })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional');
});
