import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  DescribeResourceServerCommand,
  ForgotPasswordCommand,
  GetGroupCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListResourceServersCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, rejection } from './lab-pool.ts';

const run = promisify(execFile);
let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
let userPoolId: string;
let clientId: string;
let hiddenClientId: string;
const PASSWORD = 'Surface-Pass-11';

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'surface',
      AutoVerifiedAttributes: ['email'],
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true },
        { Name: 'tier', AttributeDataType: 'String', Mutable: true },
        { Name: 'employee_id', AttributeDataType: 'String', Mutable: false },
      ],
    }),
  );
  userPoolId = pool.UserPool!.Id!;
  const flows: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
  clientId = (await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'open', ExplicitAuthFlows: flows, PreventUserExistenceErrors: 'LEGACY' })))
    .UserPoolClient!.ClientId!;
  hiddenClientId = (await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'hidden', ExplicitAuthFlows: flows, PreventUserExistenceErrors: 'ENABLED' })))
    .UserPoolClient!.ClientId!;
});
after(async () => {
  await palisade.stop();
});

async function createUser(username: string, email = `${username}@example.com`, extra: { Name: string; Value: string }[] = []) {
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }, ...extra],
    }),
  );
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
}

function signIn(username: string, password = PASSWORD, client = clientId) {
  return cognito.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
}

function lastCode(recipient: string): string {
  const messages = palisade.app.mail.list().filter((message) => message.recipient === recipient);
  return messages[messages.length - 1].code!;
}

function decode(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

test('groups: create, add, list, claims in ID and access tokens, remove, delete', async () => {
  await createUser('grouped');
  await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'readers', Precedence: 5, Description: 'Read only' }));
  await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'admins', Precedence: 1, RoleArn: 'arn:aws:iam::000000000000:role/Admins' }));
  const exists = await rejection(cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'admins' })));
  assert.equal(exists.name, 'GroupExistsException');
  assert.equal((await cognito.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: 'readers' }))).Group!.Description, 'Read only');
  const missing = await rejection(cognito.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: 'nobody' })));
  assert.equal(missing.name, 'ResourceNotFoundException');
  assert.equal(missing.message, 'Group not found.');

  for (const group of ['readers', 'admins']) await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: 'grouped', GroupName: group }));
  const listed = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: 'grouped' }));
  assert.deepEqual(listed.Groups!.map((group) => group.GroupName), ['admins', 'readers']);
  const members = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: 'readers' }));
  assert.deepEqual(members.Users!.map((user) => user.Username), ['grouped']);
  assert.equal((await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit: 1 }))).Groups!.length, 1);

  const tokens = (await signIn('grouped')).AuthenticationResult!;
  assert.deepEqual(decode(tokens.IdToken!)['cognito:groups'], ['admins', 'readers']);
  assert.deepEqual(decode(tokens.IdToken!)['cognito:roles'], ['arn:aws:iam::000000000000:role/Admins']);
  assert.equal(decode(tokens.IdToken!)['cognito:preferred_role'], 'arn:aws:iam::000000000000:role/Admins');
  assert.deepEqual(decode(tokens.AccessToken!)['cognito:groups'], ['admins', 'readers']);

  await cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: 'grouped', GroupName: 'admins' }));
  await cognito.send(new DeleteGroupCommand({ UserPoolId: userPoolId, GroupName: 'readers' }));
  const after = (await signIn('grouped')).AuthenticationResult!;
  assert.equal(decode(after.AccessToken!)['cognito:groups'], undefined);
});

test('resource servers define custom scopes an app client can allow', async () => {
  const created = await cognito.send(
    new CreateResourceServerCommand({ UserPoolId: userPoolId, Identifier: 'https://api.example.com', Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] }),
  );
  assert.deepEqual(created.ResourceServer!.Scopes, [{ ScopeName: 'read', ScopeDescription: 'Read' }]);
  const described = await cognito.send(new DescribeResourceServerCommand({ UserPoolId: userPoolId, Identifier: 'https://api.example.com' }));
  assert.equal(described.ResourceServer!.Name, 'api');
  const listed = await cognito.send(new ListResourceServersCommand({ UserPoolId: userPoolId, MaxResults: 10 }));
  assert.deepEqual(listed.ResourceServers!.map((server) => server.Identifier), ['https://api.example.com']);
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'machine',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['https://api.example.com/read'],
    }),
  );
  assert.deepEqual(client.UserPoolClient!.AllowedOAuthScopes, ['https://api.example.com/read']);
  const unknown = await rejection(
    cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'machine2',
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['https://api.example.com/write'],
      }),
    ),
  );
  assert.equal(unknown.name, 'ScopeDoesNotExistException');
});

test('attributes: custom attributes, update, verify, immutability', async () => {
  await createUser('attrs', 'attrs@example.com', [{ Name: 'custom:employee_id', Value: 'E1' }]);
  await cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: 'attrs', UserAttributes: [{ Name: 'custom:tier', Value: 'gold' }] }));
  const immutable = await rejection(
    cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: 'attrs', UserAttributes: [{ Name: 'custom:employee_id', Value: 'E2' }] })),
  );
  assert.equal(immutable.name, 'NotAuthorizedException');
  const undeclared = await rejection(
    cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: 'attrs', UserAttributes: [{ Name: 'custom:unknown', Value: 'x' }] })),
  );
  assert.equal(undeclared.name, 'InvalidParameterException');

  const accessToken = (await signIn('attrs')).AuthenticationResult!.AccessToken!;
  const updated = await cognito.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: 'new-attrs@example.com' }] }));
  assert.deepEqual(updated.CodeDeliveryDetailsList, [{ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
  let user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'attrs' }));
  const value = (name: string) => user.UserAttributes!.find((entry) => entry.Name === name)?.Value;
  assert.equal(value('email_verified'), 'false');
  assert.equal(value('custom:tier'), 'gold');

  const wrong = await rejection(cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: '000000' === lastCode('new-attrs@example.com') ? '111111' : '000000' })));
  assert.equal(wrong.name, 'CodeMismatchException');
  assert.equal(wrong.message, 'Invalid verification code provided, please try again.');
  await cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }));
  await cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: lastCode('new-attrs@example.com') }));
  user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'attrs' }));
  assert.equal(value('email_verified'), 'true');
});

test('password operations enforce the policy; ForgotPassword and ConfirmForgotPassword', async () => {
  await createUser('changer');
  const accessToken = (await signIn('changer')).AuthenticationResult!.AccessToken!;
  const weak = await rejection(cognito.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: PASSWORD, ProposedPassword: 'short' })));
  assert.equal(weak.name, 'InvalidPasswordException');
  assert.equal(weak.message, 'Password did not conform with policy: Password not long enough');
  const wrongPrevious = await rejection(cognito.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: 'Not-The-Pass-1', ProposedPassword: 'Changed-Pass-22' })));
  assert.equal(wrongPrevious.name, 'NotAuthorizedException');
  assert.equal(wrongPrevious.message, 'Incorrect username or password.');
  await cognito.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: PASSWORD, ProposedPassword: 'Changed-Pass-22' }));
  assert.ok((await signIn('changer', 'Changed-Pass-22')).AuthenticationResult);

  const sent = await cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'changer' }));
  assert.equal(sent.CodeDeliveryDetails!.DeliveryMedium, 'EMAIL');
  const code = lastCode('changer@example.com');
  const weakReset = await rejection(cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'changer', ConfirmationCode: code, Password: 'nouppercase1!' })));
  assert.equal(weakReset.name, 'InvalidPasswordException');
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'changer', ConfirmationCode: code, Password: 'Reset-Pass-33' }));
  assert.ok((await signIn('changer', 'Reset-Pass-33')).AuthenticationResult);
  const reused = await rejection(cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'changer', ConfirmationCode: code, Password: 'Reset-Pass-44' })));
  assert.equal(reused.name, 'ExpiredCodeException');

  const unknown = await rejection(cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ghost' })));
  assert.equal(unknown.name, 'UserNotFoundException');
  const hidden = await cognito.send(new ForgotPasswordCommand({ ClientId: hiddenClientId, Username: 'ghost@example.com' }));
  assert.equal(hidden.CodeDeliveryDetails!.DeliveryMedium, 'EMAIL');
});

test('ResendConfirmationCode sends a fresh code to an unconfirmed user', async () => {
  await cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'pending', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'pending@example.com' }] }));
  const first = lastCode('pending@example.com');
  const resent = await cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'pending' }));
  assert.deepEqual(resent.CodeDeliveryDetails, { Destination: 'p***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  assert.equal(palisade.app.mail.list().filter((message) => message.recipient === 'pending@example.com').length, 2);
  assert.match(first, /^\d{6}$/);
  const unknown = await rejection(cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'nobody-here' })));
  assert.equal(unknown.name, 'UserNotFoundException');
});

test('disable, enable and DeleteUser', async () => {
  await createUser('toggled');
  await cognito.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: 'toggled' }));
  const disabled = await rejection(signIn('toggled'));
  assert.equal(disabled.name, 'NotAuthorizedException');
  assert.equal(disabled.message, 'User is disabled.');
  await cognito.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: 'toggled' }));
  const accessToken = (await signIn('toggled')).AuthenticationResult!.AccessToken!;
  await cognito.send(new DeleteUserCommand({ AccessToken: accessToken }));
  const gone = await rejection(cognito.send(new GetUserCommand({ AccessToken: accessToken })));
  assert.equal(gone.name, 'UserNotFoundException');
  assert.equal(gone.message, 'User does not exist.');
  const missing = await rejection(cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'toggled' })));
  assert.equal(missing.name, 'UserNotFoundException');
});

test('five failed sign-ins lock the user out', async () => {
  await createUser('locked');
  for (let attempt = 0; attempt < 5; attempt++) {
    const error = await rejection(signIn('locked', 'Wrong-Pass-000'));
    assert.equal(error.message, 'Incorrect username or password.');
  }
  const locked = await rejection(signIn('locked'));
  assert.equal(locked.name, 'NotAuthorizedException');
  assert.equal(locked.message, 'Password attempts exceeded');
});

test('five wrong reset codes void the code', async () => {
  await createUser('guesser');
  await cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'guesser' }));
  const code = lastCode('guesser@example.com');
  const wrongCode = code === '000000' ? '111111' : '000000';
  const confirm = (confirmationCode: string) =>
    cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'guesser', ConfirmationCode: confirmationCode, Password: 'Guessed-Pass-55' }));
  for (let attempt = 0; attempt < 4; attempt++) {
    const error = await rejection(confirm(wrongCode));
    assert.equal(error.name, 'CodeMismatchException');
  }
  const tooMany = await rejection(confirm(wrongCode));
  assert.equal(tooMany.name, 'TooManyFailedAttemptsException');
  assert.equal(tooMany.$metadata.httpStatusCode, 400);
  const voided = await rejection(confirm(code));
  assert.equal(voided.name, 'ExpiredCodeException');
});

test('ListUsers filters with = and ^= and pages with Limit', async () => {
  for (const name of ['filter-ann', 'filter-anna', 'filter-bob']) await createUser(name);
  const exact = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'email = "filter-ann@example.com"' }));
  assert.deepEqual(exact.Users!.map((user) => user.Username), ['filter-ann']);
  const prefix = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'username ^= "filter-an"' }));
  assert.deepEqual(prefix.Users!.map((user) => user.Username).sort(), ['filter-ann', 'filter-anna']);
  const page = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'username ^= "filter-"', Limit: 2 }));
  assert.equal(page.Users!.length, 2);
  const rest = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'username ^= "filter-"', Limit: 2, PaginationToken: page.PaginationToken }));
  assert.equal(rest.Users!.length, 1);
  assert.equal(rest.PaginationToken, undefined);
  const status = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'cognito:user_status = "UNCONFIRMED"' }));
  assert.ok(status.Users!.every((user) => user.UserStatus === 'UNCONFIRMED'));
  const custom = await rejection(cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'custom:tier = "gold"' })));
  assert.equal(custom.name, 'InvalidParameterException');
});

test('the AWS CLI and boto3 drive groups and list-users', async () => {
  await run('aws', ['cognito-idp', 'create-group', '--user-pool-id', userPoolId, '--group-name', 'cli-group'], { env: palisade.cliEnv });
  const { stdout } = await run('aws', ['cognito-idp', 'list-groups', '--user-pool-id', userPoolId], { env: palisade.cliEnv });
  assert.ok(JSON.parse(stdout).Groups.some((group: any) => group.GroupName === 'cli-group'));
  const script = `import boto3; c = boto3.client('cognito-idp'); print(len(c.list_users(UserPoolId='${userPoolId}', Filter='username = "filter-bob"')['Users']))`;
  const boto = await run('python3', ['-c', script], { env: palisade.cliEnv });
  assert.equal(boto.stdout.trim(), '1');
});
