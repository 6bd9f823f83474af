import { AwsError } from '../../../core/errors.ts';
import type { App } from '../../../core/app.ts';
import { checkPassword, recordSuccessfulSignIn } from '../credentials.ts';
import { mfaChallengeFor } from '../mfa.ts';
import { findUser, type UserPoolClientRecord, type UserPoolRecord, type UserRecord } from '../records.ts';
import { postAuthentication, preAuthentication } from '../trigger-hooks.ts';
import { preventsUserExistenceErrors } from '../users.ts';

/**
 * Check a user name and password typed on the hosted UI's sign-in page, in
 * the order the API's password sign-in checks them, with the same lockout and
 * PreAuthentication and PostAuthentication triggers. The hosted UI signs in
 * whatever ExplicitAuthFlows the client allows, as Cognito's managed login
 * does, so no flow is checked here. Throws the API's errors, and the page
 * shows their messages.
 */
export async function authenticateOnHostedUi(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, username: string, password: string): Promise<UserRecord> {
  const incorrect = new AwsError('NotAuthorizedException', 'Incorrect username or password.');
  const user = findUser(app, pool, username);
  if (user || preventsUserExistenceErrors(client)) await preAuthentication(app, pool, client.ClientId, username, user, undefined);
  if (!user) throw preventsUserExistenceErrors(client) ? incorrect : new AwsError('UserNotFoundException', 'User does not exist.');
  if (!user.Enabled) throw new AwsError('NotAuthorizedException', 'User is disabled.');
  if (!(await checkPassword(app, user, password))) throw incorrect;
  recordSuccessfulSignIn(app, user);

  if (user.UserStatus === 'UNCONFIRMED') throw new AwsError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.UserStatus === 'RESET_REQUIRED') throw new AwsError('PasswordResetRequiredException', 'Password reset required for the user');
  // TODO: the hosted UI has no new-password or MFA pages yet, so those sign-ins stop here with an explicit error.
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') {
    throw new AwsError('NotImplementedException', 'palisade does not offer the hosted UI new-password page yet; set a permanent password with AdminSetUserPassword.', 501);
  }
  if (mfaChallengeFor(app, pool, user) !== undefined) {
    throw new AwsError('NotImplementedException', 'palisade does not offer the hosted UI MFA pages yet; sign in through the API (InitiateAuth) for MFA users.', 501);
  }

  await postAuthentication(app, pool, client.ClientId, user, undefined);
  return user;
}
