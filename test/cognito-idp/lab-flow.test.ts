import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, createLabPool, rejection, secretHash, type LabPool } from './lab-pool.ts';

let palisade: TestPalisade;
let cognito: CognitoIdentityProviderClient;
let lab: LabPool;
const PASSWORD = 'Correct-Horse-9';

before(async () => {
  palisade = await startTestPalisade();
  cognito = cognitoClient(palisade);
  lab = await createLabPool(cognito, 'walab-flow');
});
after(async () => {
  await palisade.stop();
});

function mailTo(recipient: string) {
  const messages = palisade.app.mail.list().filter((message) => message.recipient === recipient);
  assert.ok(messages.length > 0, `no message was sent to ${recipient}`);
  return messages[messages.length - 1];
}

async function signUp(email: string, password = PASSWORD) {
  return cognito.send(
    new SignUpCommand({
      ClientId: lab.clientId,
      Username: email,
      Password: password,
      SecretHash: secretHash(lab.clientSecret, email, lab.clientId),
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
}

async function signUpConfirmed(email: string) {
  await signUp(email);
  const mail = mailTo(email);
  await cognito.send(
    new ConfirmSignUpCommand({
      ClientId: lab.clientId,
      Username: email,
      ConfirmationCode: mail.code,
      SecretHash: secretHash(lab.clientSecret, email, lab.clientId),
    }),
  );
}

function adminAuth(username: string, password: string, hash: string | null = secretHash(lab.clientSecret, username, lab.clientId)) {
  return cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: lab.userPoolId,
      ClientId: lab.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password, ...(hash === null ? {} : { SECRET_HASH: hash }) },
    }),
  );
}

test('lab pool and client are described as configured', async () => {
  const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: lab.userPoolId }));
  assert.match(lab.userPoolId, /^us-east-1_[0-9A-Za-z]{9}$/);
  assert.equal(pool.UserPool!.Arn, `arn:aws:cognito-idp:us-east-1:${palisade.app.accountId}:userpool/${lab.userPoolId}`);
  assert.deepEqual(pool.UserPool!.UsernameAttributes, ['email']);
  assert.equal(pool.UserPool!.VerificationMessageTemplate!.DefaultEmailOption, 'CONFIRM_WITH_LINK');
  assert.equal(pool.UserPool!.Domain, 'walab-flow');
  assert.deepEqual(pool.UserPool!.Policies!.PasswordPolicy, {
    MinimumLength: 8,
    RequireUppercase: true,
    RequireLowercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
    TemporaryPasswordValidityDays: 7,
  });

  const client = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: lab.userPoolId, ClientId: lab.clientId }));
  assert.match(lab.clientId, /^[a-z0-9]{26}$/);
  assert.equal(client.UserPoolClient!.ClientSecret, lab.clientSecret);
  assert.equal(lab.clientSecret.length, 51);
  assert.equal(client.UserPoolClient!.PreventUserExistenceErrors, 'ENABLED');
  assert.equal(client.UserPoolClient!.RefreshTokenValidity, 30);

  const domain = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: 'walab-flow' }));
  assert.equal(domain.DomainDescription!.UserPoolId, lab.userPoolId);
  assert.equal(domain.DomainDescription!.Status, 'ACTIVE');
});

test('sign-up link confirms the user through the hosted UI', async () => {
  const email = 'link-user@example.com';
  const output = await signUp(email);
  assert.equal(output.UserConfirmed, false);
  assert.match(output.UserSub!, /^[0-9a-f-]{36}$/);
  assert.deepEqual(output.CodeDeliveryDetails, { Destination: 'l***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });

  const mail = mailTo(email);
  assert.equal(mail.from, 'no-reply@verificationemail.com');
  assert.equal(mail.subject, 'Your verification link');
  assert.match(mail.code!, /^\d{6}$/);
  const expectedLink =
    `${palisade.url}/hosted-ui/walab-flow/confirmUser?client_id=${lab.clientId}` +
    `&user_name=${output.UserSub}&confirmation_code=${mail.code}`;
  assert.equal(mail.link, expectedLink);
  assert.ok(mail.body.includes(`<a href="${expectedLink}">Verify Email</a>`), mail.body);

  const page = await fetch(mail.link!);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Your registration has been confirmed!/);

  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: lab.userPoolId, Username: email }));
  assert.equal(user.Username, output.UserSub);
  assert.equal(user.UserStatus, 'CONFIRMED');
  assert.deepEqual(user.UserAttributes, [
    { Name: 'sub', Value: output.UserSub },
    { Name: 'email', Value: email },
    { Name: 'email_verified', Value: 'true' },
  ]);

  const again = await fetch(mail.link!);
  assert.equal(again.status, 400);
  assert.match(await again.text(), /User cannot be confirmed\. Current status is CONFIRMED/);
});

test('ConfirmSignUp checks the code once', async () => {
  const email = 'code-user@example.com';
  await signUp(email);
  const hash = secretHash(lab.clientSecret, email, lab.clientId);
  const code = mailTo(email).code!;
  const wrong = code === '000000' ? '111111' : '000000';

  const mismatch = await rejection(cognito.send(new ConfirmSignUpCommand({ ClientId: lab.clientId, Username: email, ConfirmationCode: wrong, SecretHash: hash })));
  assert.equal(mismatch.name, 'CodeMismatchException');
  assert.equal(mismatch.$metadata.httpStatusCode, 400);
  assert.equal(mismatch.message, 'Invalid verification code provided, please try again.');

  await cognito.send(new ConfirmSignUpCommand({ ClientId: lab.clientId, Username: email, ConfirmationCode: code, SecretHash: hash }));
  const reused = await rejection(cognito.send(new ConfirmSignUpCommand({ ClientId: lab.clientId, Username: email, ConfirmationCode: code, SecretHash: hash })));
  assert.equal(reused.name, 'NotAuthorizedException');
  assert.equal(reused.message, 'User cannot be confirmed. Current status is CONFIRMED');
});

test('expired confirmation code is ExpiredCodeException', async () => {
  const email = 'late-user@example.com';
  const output = await signUp(email);
  const code = mailTo(email).code!;
  const key = `${lab.userPoolId}/${output.UserSub}`;
  const record = palisade.app.store.get<any>('cognito-idp', 'user', key);
  record.code.expiresAt = Date.now() - 1;
  palisade.app.store.put('cognito-idp', 'user', key, record);
  const hash = secretHash(lab.clientSecret, email, lab.clientId);
  const error = await rejection(cognito.send(new ConfirmSignUpCommand({ ClientId: lab.clientId, Username: email, ConfirmationCode: code, SecretHash: hash })));
  assert.equal(error.name, 'ExpiredCodeException');
  assert.equal(error.message, 'Invalid code provided, please request a code again.');

  await cognito.send(new ResendConfirmationCodeCommand({ ClientId: lab.clientId, Username: email, SecretHash: hash }));
  const fresh = mailTo(email).code!;
  await cognito.send(new ConfirmSignUpCommand({ ClientId: lab.clientId, Username: email, ConfirmationCode: fresh, SecretHash: hash }));
});

test('SignUp secret hash errors are exact', async () => {
  const missing = await rejection(cognito.send(new SignUpCommand({ ClientId: lab.clientId, Username: 'nohash@example.com', Password: PASSWORD })));
  assert.equal(missing.name, 'NotAuthorizedException');
  assert.equal(missing.$metadata.httpStatusCode, 400);
  assert.equal(missing.message, `Client ${lab.clientId} is configured with secret but SECRET_HASH was not received`);

  const wrong = await rejection(
    cognito.send(new SignUpCommand({ ClientId: lab.clientId, Username: 'badhash@example.com', Password: PASSWORD, SecretHash: secretHash(lab.clientSecret, 'other@example.com', lab.clientId) })),
  );
  assert.equal(wrong.name, 'NotAuthorizedException');
  assert.equal(wrong.message, `Unable to verify secret hash for client ${lab.clientId}`);
});

test('SignUp enforces username, password policy and uniqueness', async () => {
  const notEmail = await rejection(signUp('not-an-email'));
  assert.equal(notEmail.name, 'InvalidParameterException');
  assert.equal(notEmail.message, 'Username should be an email.');

  const weak = await rejection(signUp('weak@example.com', 'alllowercase1!'));
  assert.equal(weak.name, 'InvalidPasswordException');
  assert.equal(weak.message, 'Password did not conform with policy: Password must have uppercase characters');

  const short = await rejection(signUp('short@example.com', 'Ab1!'));
  assert.equal(short.message, 'Password did not conform with policy: Password not long enough');

  await signUp('twice@example.com');
  const exists = await rejection(signUp('twice@example.com'));
  assert.equal(exists.name, 'UsernameExistsException');
  assert.equal(exists.message, 'An account with the given email already exists.');
});

test('AdminInitiateAuth tokens verify against the JWKS', async () => {
  const email = 'tokens@example.com';
  await signUpConfirmed(email);
  const output = await adminAuth(email, PASSWORD);
  const result = output.AuthenticationResult!;
  assert.equal(result.TokenType, 'Bearer');
  assert.equal(result.ExpiresIn, 3600);
  assert.equal(typeof result.RefreshToken, 'string');
  assert.equal(result.RefreshToken!.split('.').length, 1);
  assert.deepEqual(output.ChallengeParameters, {});

  const jwksUrl = new URL(`${palisade.url}/${lab.userPoolId}/.well-known/jwks.json`);
  const keys = createRemoteJWKSet(jwksUrl);
  const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${lab.userPoolId}`;
  const id = await jwtVerify(result.IdToken!, keys, { issuer, audience: lab.clientId, algorithms: ['RS256'] });
  const access = await jwtVerify(result.AccessToken!, keys, { issuer, algorithms: ['RS256'] });

  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: lab.userPoolId, Username: email }));
  const sub = user.Username!;
  assert.deepEqual(Object.keys(id.payload), ['sub', 'email_verified', 'iss', 'cognito:username', 'origin_jti', 'aud', 'event_id', 'token_use', 'auth_time', 'exp', 'iat', 'jti', 'email']);
  assert.equal(id.payload.sub, sub);
  assert.equal(id.payload['cognito:username'], sub);
  assert.equal(id.payload.email, email);
  assert.equal(id.payload.email_verified, true);
  assert.equal(id.payload.token_use, 'id');
  assert.equal(id.payload.exp, id.payload.iat! + 3600);

  assert.deepEqual(Object.keys(access.payload), ['sub', 'iss', 'client_id', 'origin_jti', 'event_id', 'token_use', 'scope', 'auth_time', 'exp', 'iat', 'jti', 'username']);
  assert.equal(access.payload.client_id, lab.clientId);
  assert.equal(access.payload.username, sub);
  assert.equal(access.payload.scope, 'aws.cognito.signin.user.admin');
  assert.equal(access.payload.token_use, 'access');
  assert.equal(access.payload.origin_jti, id.payload.origin_jti);
  assert.notEqual(access.payload.jti, id.payload.jti);

  const idHeader = decodeProtectedHeader(result.IdToken!);
  const accessHeader = decodeProtectedHeader(result.AccessToken!);
  assert.equal(idHeader.alg, 'RS256');
  assert.notEqual(idHeader.kid, accessHeader.kid);

  const discovery = await (await fetch(`${palisade.url}/${lab.userPoolId}/.well-known/openid-configuration`)).json();
  assert.equal(discovery.issuer, issuer);
  assert.equal(discovery.jwks_uri, `${issuer}/.well-known/jwks.json`);
});

test('AdminInitiateAuth failures are exact', async () => {
  const email = 'failures@example.com';
  await signUpConfirmed(email);

  const wrongPassword = await rejection(adminAuth(email, 'Wrong-Password-1'));
  assert.equal(wrongPassword.name, 'NotAuthorizedException');
  assert.equal(wrongPassword.$metadata.httpStatusCode, 400);
  assert.equal(wrongPassword.message, 'Incorrect username or password.');

  // PreventUserExistenceErrors ENABLED hides a missing user behind the same error.
  const unknown = await rejection(adminAuth('nobody@example.com', PASSWORD));
  assert.equal(unknown.name, 'NotAuthorizedException');
  assert.equal(unknown.message, 'Incorrect username or password.');

  const missingHash = await rejection(adminAuth(email, PASSWORD, null));
  assert.equal(missingHash.name, 'NotAuthorizedException');
  assert.equal(missingHash.message, `Client ${lab.clientId} is configured with secret but SECRET_HASH was not received`);

  const wrongHash = await rejection(adminAuth(email, PASSWORD, secretHash('not-the-secret', email, lab.clientId)));
  assert.equal(wrongHash.name, 'NotAuthorizedException');
  assert.equal(wrongHash.message, `Unable to verify secret hash for client ${lab.clientId}`);

  await signUp('unconfirmed@example.com');
  const unconfirmed = await rejection(adminAuth('unconfirmed@example.com', PASSWORD));
  assert.equal(unconfirmed.name, 'UserNotConfirmedException');
  assert.equal(unconfirmed.message, 'User is not confirmed.');

  const srp = await rejection(
    cognito.send(new AdminInitiateAuthCommand({ UserPoolId: lab.userPoolId, ClientId: lab.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: 'ab' } })),
  );
  // USER_SRP_AUTH is served; a client with a secret still needs SECRET_HASH first.
  assert.equal(srp.name, 'NotAuthorizedException');
  assert.equal(srp.message, `Client ${lab.clientId} is configured with secret but SECRET_HASH was not received`);
});

test('unknown user is UserNotFoundException on a LEGACY client', async () => {
  const legacy = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: lab.userPoolId, ClientName: 'legacy', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  const error = await rejection(
    cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: lab.userPoolId,
        ClientId: legacy.UserPoolClient!.ClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'ghost@example.com', PASSWORD },
      }),
    ),
  );
  assert.equal(error.name, 'UserNotFoundException');
  assert.equal(error.message, 'User does not exist.');
});

test('USER_PASSWORD_AUTH only where the client allows it', async () => {
  const email = 'userpass@example.com';
  await signUpConfirmed(email);
  const refused = await rejection(
    cognito.send(
      new InitiateAuthCommand({
        ClientId: lab.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: secretHash(lab.clientSecret, email, lab.clientId) },
      }),
    ),
  );
  assert.equal(refused.name, 'InvalidParameterException');
  assert.equal(refused.$metadata.httpStatusCode, 400);
  assert.equal(refused.message, 'USER_PASSWORD_AUTH flow not enabled for this client');

  const open = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: lab.userPoolId, ClientName: 'spa', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  const output = await cognito.send(
    new InitiateAuthCommand({ ClientId: open.UserPoolClient!.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
  );
  assert.ok(output.AuthenticationResult!.IdToken);
});

test('refresh flow issues new tokens without a refresh token', async () => {
  const email = 'refresh@example.com';
  await signUpConfirmed(email);
  const first = (await adminAuth(email, PASSWORD)).AuthenticationResult!;
  const sub = (await cognito.send(new AdminGetUserCommand({ UserPoolId: lab.userPoolId, Username: email }))).Username!;

  const refreshed = await cognito.send(
    new InitiateAuthCommand({
      ClientId: lab.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: first.RefreshToken!, SECRET_HASH: secretHash(lab.clientSecret, sub, lab.clientId) },
    }),
  );
  const result = refreshed.AuthenticationResult!;
  assert.equal(result.RefreshToken, undefined);
  assert.ok(result.IdToken);
  assert.equal(result.ExpiresIn, 3600);

  const admin = await cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: lab.userPoolId,
      ClientId: lab.clientId,
      AuthFlow: 'REFRESH_TOKEN',
      AuthParameters: { REFRESH_TOKEN: first.RefreshToken!, SECRET_HASH: secretHash(lab.clientSecret, sub, lab.clientId) },
    }),
  );
  assert.ok(admin.AuthenticationResult!.AccessToken);

  const wrongUserHash = await rejection(
    cognito.send(
      new InitiateAuthCommand({
        ClientId: lab.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken!, SECRET_HASH: secretHash(lab.clientSecret, 'someone-else', lab.clientId) },
      }),
    ),
  );
  assert.equal(wrongUserHash.message, `Unable to verify secret hash for client ${lab.clientId}`);

  const bogus = await rejection(
    cognito.send(
      new InitiateAuthCommand({
        ClientId: lab.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: 'not-a-token', SECRET_HASH: secretHash(lab.clientSecret, sub, lab.clientId) },
      }),
    ),
  );
  assert.equal(bogus.name, 'NotAuthorizedException');
  assert.equal(bogus.message, 'Invalid Refresh Token');
});

test('hosted UI login without redirect_uri is an error page', async () => {
  const response = await fetch(`${palisade.url}/hosted-ui/walab-flow/login?client_id=${lab.clientId}`, { redirect: 'manual' });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
  assert.match(await response.text(), /An error was encountered with the requested page\. \(redirect_mismatch\)/);
  const local = palisade.app.localUrl(`https://walab-flow.auth.us-east-1.amazoncognito.com/login?client_id=${lab.clientId}`);
  assert.equal(local, `${palisade.url}/hosted-ui/walab-flow/login?client_id=${lab.clientId}`);
  assert.equal(palisade.app.localUrl('https://unknown-domain.auth.us-east-1.amazoncognito.com/login'), undefined);
});
