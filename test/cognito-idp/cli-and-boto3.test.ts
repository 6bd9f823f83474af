import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, createLabPool, secretHash, type LabPool } from './lab-pool.ts';

const run = promisify(execFile);
let palisade: TestPalisade;
let lab: LabPool;
const EMAIL = 'learner@example.com';
const PASSWORD = 'Lab-Password-42';

before(async () => {
  palisade = await startTestPalisade();
  const cognito = cognitoClient(palisade);
  lab = await createLabPool(cognito, 'walab-scripts');
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: lab.userPoolId, Username: EMAIL, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: EMAIL }] }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: lab.userPoolId, Username: EMAIL, Password: PASSWORD, Permanent: true }));
});
after(async () => {
  await palisade.stop();
});

/** The lab's getIDtoken.py call: SECRET_HASH over username + client id, then admin_initiate_auth with ADMIN_NO_SRP_AUTH. */
const GET_ID_TOKEN = `
import base64, hashlib, hmac, sys, boto3
username, password, pool_id, client_id, client_secret = sys.argv[1:6]
message = bytes(username + client_id, 'utf-8')
secret_hash = base64.b64encode(hmac.new(bytes(client_secret, 'utf-8'), message, digestmod=hashlib.sha256).digest()).decode()
client = boto3.client('cognito-idp')
response = client.admin_initiate_auth(
    UserPoolId=pool_id, ClientId=client_id, AuthFlow='ADMIN_NO_SRP_AUTH',
    AuthParameters={'USERNAME': username, 'SECRET_HASH': secret_hash, 'PASSWORD': password})
print(' ID token: ' + response['AuthenticationResult']['IdToken'])
`;

test('boto3 getIDtoken flow prints an ID token', async () => {
  const { stdout } = await run('python3', ['-c', GET_ID_TOKEN, EMAIL, PASSWORD, lab.userPoolId, lab.clientId, lab.clientSecret], {
    env: palisade.cliEnv,
    timeout: 30_000,
  });
  const match = /^ ID token: (\S+)$/m.exec(stdout);
  assert.ok(match, stdout);
  const claims = decodeJwt(match[1]);
  assert.equal(claims.email, EMAIL);
  assert.equal(claims.aud, lab.clientId);
  assert.equal(claims.token_use, 'id');
  const verified = await palisade.app.seam('cognito').verifyToken({
    userPoolArns: [`arn:aws:cognito-idp:us-east-1:${palisade.app.accountId}:userpool/${lab.userPoolId}`],
    token: match[1],
    tokenUse: 'id',
  });
  assert.equal(verified?.sub, claims.sub);
});

test('boto3 sees the wrong-password error', async () => {
  const error = await run('python3', ['-c', GET_ID_TOKEN, EMAIL, 'Wrong-Password-1', lab.userPoolId, lab.clientId, lab.clientSecret], {
    env: palisade.cliEnv,
    timeout: 30_000,
  }).catch((failure) => failure);
  assert.equal(error.code, 1);
  assert.match(error.stderr, /NotAuthorizedException\) when calling the AdminInitiateAuth operation: Incorrect username or password\./);
});

test('AWS CLI describe-user-pool-client returns the secret', async () => {
  const { stdout } = await run('aws', ['cognito-idp', 'describe-user-pool-client', '--user-pool-id', lab.userPoolId, '--client-id', lab.clientId, '--output', 'json'], {
    env: palisade.cliEnv,
    timeout: 30_000,
  });
  const client = JSON.parse(stdout).UserPoolClient;
  assert.equal(client.ClientSecret, lab.clientSecret);
  assert.deepEqual(client.ExplicitAuthFlows, ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  assert.deepEqual(client.AllowedOAuthFlows, ['code', 'implicit']);
  assert.equal(typeof client.CreationDate, 'number');
});

test('AWS CLI admin-initiate-auth returns tokens', async () => {
  const parameters = `USERNAME=${EMAIL},PASSWORD=${PASSWORD},SECRET_HASH=${secretHash(lab.clientSecret, EMAIL, lab.clientId)}`;
  const { stdout } = await run(
    'aws',
    ['cognito-idp', 'admin-initiate-auth', '--user-pool-id', lab.userPoolId, '--client-id', lab.clientId, '--auth-flow', 'ADMIN_USER_PASSWORD_AUTH', '--auth-parameters', parameters, '--output', 'json'],
    { env: palisade.cliEnv, timeout: 30_000 },
  );
  const result = JSON.parse(stdout).AuthenticationResult;
  assert.equal(result.TokenType, 'Bearer');
  assert.equal(result.ExpiresIn, 3600);
  assert.equal(decodeJwt(result.AccessToken).client_id, lab.clientId);
});
