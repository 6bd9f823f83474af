import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { LambdaClient, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AdminCreateUserCommand,
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { buildZip } from '../lambda/support/zip.ts';
import { ROLE } from '../lambda/support/fixture.ts';
import { cognitoClient, rejection } from './lab-pool.ts';

const PASSWORD = 'Correct-Horse-9';

/** Trigger functions: each handler is one behaviour a test checks. */
const TRIGGERS = buildZip({
  'index.mjs': [
    'export const autoConfirm = async (event) => {',
    '  event.response.autoConfirmUser = true;',
    '  event.response.autoVerifyEmail = true;',
    '  return event;',
    '};',
    "export const rejectSignUp = async () => { throw new Error('Sign-ups are closed'); };",
    'export const recordConfirmation = async (event) => {',
    "  console.log('POST_CONFIRMATION ' + JSON.stringify({ version: event.version, triggerSource: event.triggerSource, region: event.region,",
    '    userPoolId: event.userPoolId, userName: event.userName, clientId: event.callerContext.clientId,',
    "    status: event.request.userAttributes['cognito:user_status'], email: event.request.userAttributes.email, clientMetadata: event.request.clientMetadata }));",
    '  return event;',
    '};',
    'export const addClaim = async (event) => {',
    "  event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { tenant: 'acme', iss: 'https://forged.example' }, claimsToSuppress: ['email'] } };",
    '  return event;',
    '};',
    'export const customMessage = async (event) => {',
    "  if (event.triggerSource === 'CustomMessage_SignUp') {",
    "    event.response.emailSubject = 'Welcome to Acme';",
    "    event.response.emailMessage = 'Hello ' + event.request.userAttributes.email + ', your code is ' + event.request.codeParameter;",
    '  }',
    '  return event;',
    '};',
    "export const rejectSignIn = async () => { throw new Error('Sign-in blocked'); };",
    'export const returnNothing = async () => {};',
    "export const badFlag = async (event) => { event.response.autoConfirmUser = 'yes'; return event; };",
    'export const slow = async (event) => { await new Promise((resolve) => setTimeout(resolve, 7000)); return event; };',
  ].join('\n'),
});

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
let logs: CloudWatchLogsClient;
const arns: Record<string, string> = {};

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  logs = new CloudWatchLogsClient({ ...palisade.clientConfig, maxAttempts: 1 });
  const lambda = new LambdaClient({ ...palisade.clientConfig, maxAttempts: 1 });
  const functions: [string, string, number][] = [
    ['autoConfirm', 'autoConfirm', 3],
    ['rejectSignUp', 'rejectSignUp', 3],
    ['recordConfirmation', 'recordConfirmation', 3],
    ['addClaim', 'addClaim', 3],
    ['customMessage', 'customMessage', 3],
    ['rejectSignIn', 'rejectSignIn', 3],
    ['returnNothing', 'returnNothing', 3],
    ['badFlag', 'badFlag', 3],
    // One times out inside Lambda (1 s timeout); the other outlasts Cognito's 5 s wait.
    ['timesOut', 'slow', 1],
    ['outlastsWait', 'slow', 10],
  ];
  for (const [name, handler, timeout] of functions) {
    const created = await lambda.send(
      new CreateFunctionCommand({ FunctionName: `trigger-${name}`, Runtime: 'nodejs20.x', Role: ROLE, Handler: `index.${handler}`, Timeout: timeout, Code: { ZipFile: TRIGGERS } }),
    );
    arns[name] = created.FunctionArn!;
  }
});

after(async () => {
  await palisade.stop();
});

/** Create a pool with the given triggers and an app client that signs in with USER_PASSWORD_AUTH. */
async function poolWith(lambdaConfig: LambdaConfigType) {
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: `triggers-${Date.now()}`, AutoVerifiedAttributes: ['email'], LambdaConfig: lambdaConfig }));
  const userPoolId = pool.UserPool!.Id!;
  const client = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  return { userPoolId, clientId: client.UserPoolClient!.ClientId! };
}

function signUp(clientId: string, username: string) {
  return cognito.send(
    new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }),
  );
}

async function confirmedUser(userPoolId: string, username: string) {
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
}

function signIn(clientId: string, username: string) {
  return cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
}

test('DescribeUserPool returns LambdaConfig', async () => {
  const { userPoolId } = await poolWith({ PreSignUp: arns.autoConfirm, PreTokenGeneration: arns.addClaim });
  const described = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  assert.deepEqual(described.UserPool!.LambdaConfig, {
    PreSignUp: arns.autoConfirm,
    PreTokenGeneration: arns.addClaim,
    PreTokenGenerationConfig: { LambdaVersion: 'V1_0', LambdaArn: arns.addClaim },
  });
});

test('LambdaConfig rejects unsupported triggers', async () => {
  const unsupported = await rejection(
    cognito.send(new CreateUserPoolCommand({ PoolName: 'custom-auth', LambdaConfig: { DefineAuthChallenge: arns.autoConfirm } })),
  );
  assert.equal(unsupported.name, 'InvalidParameterException');
  assert.equal(unsupported.$metadata.httpStatusCode, 400);
  assert.match(unsupported.message, /LambdaConfig\.DefineAuthChallenge/);

  const version2 = await rejection(
    cognito.send(new CreateUserPoolCommand({ PoolName: 'v2', LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: arns.addClaim } } })),
  );
  assert.equal(version2.name, 'InvalidParameterException');
  assert.match(version2.message, /V2_0/);

  const notArn = await rejection(cognito.send(new CreateUserPoolCommand({ PoolName: 'bad-arn', LambdaConfig: { PreSignUp: 'trigger-autoConfirm' } })));
  assert.equal(notArn.name, 'InvalidParameterException');
  assert.match(notArn.message, /^1 validation error detected: Value 'trigger-autoConfirm' at 'lambdaConfig.preSignUp' failed to satisfy constraint/);
});

test('PreSignUp confirms and verifies', async () => {
  const { userPoolId, clientId } = await poolWith({ PreSignUp: arns.autoConfirm });
  const output = await signUp(clientId, 'auto');
  assert.equal(output.UserConfirmed, true);
  assert.equal(output.CodeDeliveryDetails, undefined);
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'auto' }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  assert.equal(user.UserAttributes!.find((entry) => entry.Name === 'email_verified')?.Value, 'true');
  assert.equal(palisade.app.mail.list().filter((message) => message.recipient === 'auto@example.com').length, 0);
  const tokens = await signIn(clientId, 'auto');
  assert.ok(tokens.AuthenticationResult?.IdToken);
});

test('PreSignUp rejection is UserLambdaValidationException', async () => {
  const { userPoolId, clientId } = await poolWith({ PreSignUp: arns.rejectSignUp });
  const error = await rejection(signUp(clientId, 'rejected'));
  assert.equal(error.name, 'UserLambdaValidationException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'PreSignUp failed with error Sign-ups are closed.');
  const missing = await rejection(cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'rejected' })));
  assert.equal(missing.name, 'UserNotFoundException');
});

test('PreSignUp runs for AdminCreateUser', async () => {
  const { userPoolId } = await poolWith({ PreSignUp: arns.rejectSignUp });
  const error = await rejection(
    cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'invited', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }] })),
  );
  assert.equal(error.name, 'UserLambdaValidationException');
  assert.equal(error.message, 'PreSignUp failed with error Sign-ups are closed.');
});

test('malformed trigger output is InvalidLambdaResponseException', async () => {
  const nothing = await poolWith({ PreSignUp: arns.returnNothing });
  const invalidJson = await rejection(signUp(nothing.clientId, 'nothing'));
  assert.equal(invalidJson.name, 'InvalidLambdaResponseException');
  assert.equal(invalidJson.message, 'Invalid lambda function output : Invalid JSON');

  const badFlag = await poolWith({ PreSignUp: arns.badFlag });
  const unrecognizable = await rejection(signUp(badFlag.clientId, 'badflag'));
  assert.equal(unrecognizable.name, 'InvalidLambdaResponseException');
  assert.equal(unrecognizable.$metadata.httpStatusCode, 400);
  assert.equal(unrecognizable.message, 'Unrecognizable lambda output');
});

test('missing trigger function is UnexpectedLambdaException', async () => {
  const { clientId } = await poolWith({ PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:no-such-function' });
  const error = await rejection(signUp(clientId, 'orphan'));
  assert.equal(error.name, 'UnexpectedLambdaException');
  assert.equal(error.message, 'PreSignUp invocation failed due to error ResourceNotFoundException.');
});

test('function timeout fails the trigger', async () => {
  const { clientId } = await poolWith({ PreSignUp: arns.timesOut });
  const error = await rejection(signUp(clientId, 'timeout'));
  assert.equal(error.name, 'UserLambdaValidationException');
  assert.match(error.message, /^PreSignUp failed with error RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds\.$/);
});

test('function outlasting Cognito wait is UnexpectedLambdaException', async () => {
  const { clientId } = await poolWith({ PreSignUp: arns.outlastsWait });
  const error = await rejection(signUp(clientId, 'slow'));
  assert.equal(error.name, 'UnexpectedLambdaException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.');
});

/** Read the function's POST_CONFIRMATION log lines through CloudWatch Logs. */
async function confirmationRecords(): Promise<Record<string, unknown>[]> {
  const output = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/trigger-recordConfirmation', filterPattern: 'POST_CONFIRMATION' }));
  return (output.events ?? []).map((event) => JSON.parse(event.message!.slice(event.message!.indexOf('POST_CONFIRMATION ') + 'POST_CONFIRMATION '.length)));
}

test('PostConfirmation runs after ConfirmSignUp', async () => {
  const { userPoolId, clientId } = await poolWith({ PostConfirmation: arns.recordConfirmation });
  await signUp(clientId, 'confirmed');
  const mail = palisade.app.mail.list().find((message) => message.recipient === 'confirmed@example.com');
  assert.ok(mail?.code);
  await cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'confirmed', ConfirmationCode: mail.code, ClientMetadata: { source: 'test' } }));
  const records = (await confirmationRecords()).filter((record) => record.userName === 'confirmed');
  assert.deepEqual(records, [
    {
      version: '1',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      region: 'us-east-1',
      userPoolId,
      userName: 'confirmed',
      clientId,
      status: 'CONFIRMED',
      email: 'confirmed@example.com',
      clientMetadata: { source: 'test' },
    },
  ]);
});

test('PostConfirmation runs after AdminConfirmSignUp', async () => {
  const { clientId, userPoolId } = await poolWith({ PostConfirmation: arns.recordConfirmation });
  await signUp(clientId, 'adminconfirmed');
  await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: 'adminconfirmed' }));
  const records = (await confirmationRecords()).filter((record) => record.userName === 'adminconfirmed');
  assert.equal(records.length, 1);
  assert.equal(records[0].clientId, 'CLIENT_ID_NOT_APPLICABLE');
});

test('PreTokenGeneration claim lands in ID token', async () => {
  const { userPoolId, clientId } = await poolWith({ PreTokenGenerationConfig: { LambdaVersion: 'V1_0', LambdaArn: arns.addClaim } });
  await confirmedUser(userPoolId, 'claims');
  const output = await signIn(clientId, 'claims');
  const idClaims = decodeJwt(output.AuthenticationResult!.IdToken!);
  assert.equal(idClaims.tenant, 'acme');
  assert.equal(idClaims.email, undefined);
  assert.equal(idClaims.iss, `https://cognito-idp.us-east-1.amazonaws.com/${userPoolId}`);
  assert.equal(idClaims['cognito:username'], 'claims');
  const accessClaims = decodeJwt(output.AuthenticationResult!.AccessToken!);
  assert.equal(accessClaims.tenant, undefined);

  const refreshed = await cognito.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: output.AuthenticationResult!.RefreshToken! } }),
  );
  assert.equal(decodeJwt(refreshed.AuthenticationResult!.IdToken!).tenant, 'acme');
});

test('CustomMessage changes the sign-up email', async () => {
  const { clientId } = await poolWith({ CustomMessage: arns.customMessage });
  await signUp(clientId, 'custom');
  const messages = palisade.app.mail.list().filter((message) => message.recipient === 'custom@example.com');
  assert.equal(messages.length, 1);
  assert.equal(messages[0].subject, 'Welcome to Acme');
  assert.equal(messages[0].body, `Hello custom@example.com, your code is ${messages[0].code}`);
  assert.match(messages[0].code!, /^\d{6}$/);
});

test('PreAuthentication rejection blocks sign-in', async () => {
  const { userPoolId, clientId } = await poolWith({ PreAuthentication: arns.rejectSignIn });
  await confirmedUser(userPoolId, 'blocked');
  const error = await rejection(signIn(clientId, 'blocked'));
  assert.equal(error.name, 'UserLambdaValidationException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'PreAuthentication failed with error Sign-in blocked.');
});

test('PostAuthentication failure withholds tokens', async () => {
  const { userPoolId, clientId } = await poolWith({ PostAuthentication: arns.rejectSignIn });
  await confirmedUser(userPoolId, 'postauth');
  const error = await rejection(signIn(clientId, 'postauth'));
  assert.equal(error.name, 'UserLambdaValidationException');
  assert.equal(error.message, 'PostAuthentication failed with error Sign-in blocked.');
});

test('UpdateUserPool replaces LambdaConfig', async () => {
  const { userPoolId, clientId } = await poolWith({ PreAuthentication: arns.rejectSignIn });
  await confirmedUser(userPoolId, 'updated');
  await cognito.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, AutoVerifiedAttributes: ['email'] }));
  const described = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  assert.deepEqual(described.UserPool!.LambdaConfig, {});
  const output = await signIn(clientId, 'updated');
  assert.ok(output.AuthenticationResult?.AccessToken);
});
