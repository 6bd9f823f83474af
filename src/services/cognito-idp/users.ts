import { randomUUID } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { codeMismatch, consumeCode, issueCode } from './codes.ts';
import { maskDestination, sendConfirmation, sendInvitation, verificationTarget } from './messages.ts';
import { deleteCredentials, setPassword } from './credentials.ts';
import { removeUserFromGroups } from './groups.ts';
import { deleteSoftwareToken, mfaSettings } from './mfa.ts';
import { checkPasswordPolicy, generateTemporaryPassword, passwordPolicy } from './passwords.ts';
import {
  SERVICE,
  attribute,
  findUser,
  poolOfClient,
  putUser,
  requireClient,
  requirePool,
  requireUser,
  setAttribute,
  userKey,
  type UserPoolClientRecord,
  type UserPoolRecord,
  type UserRecord,
} from './records.ts';
import { checkAttributes, checkRequiredAttributes } from './schema.ts';
import { checkSecretHash } from './secret-hash.ts';
import { listUsers, userType } from './user-listing.ts';
import type { CustomMessageSource } from './custom-message.ts';
import { postConfirmation, preSignUp } from './trigger-hooks.ts';
import { CLIENT_ID_NOT_APPLICABLE } from './triggers.ts';

/** An address good enough for Cognito's "Username should be an email." check. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;

export function preventsUserExistenceErrors(client: UserPoolClientRecord): boolean {
  return client.settings.PreventUserExistenceErrors === 'ENABLED';
}

interface NewUser {
  username: string;
  attributes: { Name: string; Value: string }[];
}

/**
 * Work out the user name and attributes of a new user. In a pool whose
 * UsernameAttributes are email or phone, the name given must be one of those,
 * it becomes that attribute, and the user name is a generated UUID, the same
 * value as `sub`.
 */
function newUserIdentity(app: App, pool: UserPoolRecord, given: string, attributes: { Name: string; Value: string }[], existsMessage: string): NewUser {
  const usernameAttributes: string[] = pool.settings.UsernameAttributes ?? [];
  const sub = randomUUID();
  const withSub = [{ Name: 'sub', Value: sub }, ...attributes.filter((entry) => entry.Name !== 'sub')];
  if (usernameAttributes.length === 0) {
    if (findUser(app, pool, given)) throw new AwsError('UsernameExistsException', existsMessage);
    return { username: given, attributes: withSub };
  }
  const asEmail = usernameAttributes.includes('email') && EMAIL.test(given);
  const asPhone = usernameAttributes.includes('phone_number') && PHONE.test(given);
  if (!asEmail && !asPhone) {
    const kinds = usernameAttributes.map((name) => (name === 'email' ? 'an email' : 'a phone number')).join(' or ');
    throw new AwsError('InvalidParameterException', `Username should be ${kinds}.`);
  }
  const attributeName = asEmail ? 'email' : 'phone_number';
  if (findUser(app, pool, given)) {
    throw new AwsError('UsernameExistsException', `An account with the given ${asEmail ? 'email' : 'phone_number'} already exists.`);
  }
  const merged = withSub.filter((entry) => entry.Name !== attributeName);
  merged.push({ Name: attributeName, Value: given });
  return { username: sub, attributes: merged };
}

/** Confirm a sign-up with its code; ConfirmSignUp and the hosted UI's confirmUser page share this step. */
export function confirmUser(app: App, user: UserRecord, code: unknown): void {
  if (user.UserStatus !== 'UNCONFIRMED') {
    throw new AwsError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.UserStatus}`);
  }
  const used = consumeCode(app, user, 'SignUp', code);
  user.UserStatus = 'CONFIRMED';
  if (used.attributeName) setAttribute(user, `${used.attributeName}_verified`, 'true');
  user.UserLastModifiedDate = Date.now();
}

/** Issue and send a fresh sign-up code, returning where it went, or undefined when the pool verifies nothing the user has. */
async function sendSignUpCode(app: App, pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord, triggerSource: CustomMessageSource = 'CustomMessage_SignUp') {
  const target = verificationTarget(pool, user);
  if (!target) return undefined;
  const code = issueCode(app, user, 'SignUp', target.AttributeName);
  await sendConfirmation(app, pool, client.ClientId, user, target, code, triggerSource);
  return { ...target, Destination: maskDestination(target.Destination, target.DeliveryMedium) };
}

function requirePassword(input: Record<string, any>, member: string): string {
  return requireField<string>(input, member);
}

export function userOperations(app: App): Record<string, Operation> {
  return {
    async SignUp(input: Record<string, any>) {
      const client = requireClient(app, input.ClientId);
      const pool = poolOfClient(app, client);
      const username = requireField<string>(input, 'Username');
      checkSecretHash(app, client, input.SecretHash, [username]);
      if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) {
        throw new AwsError('NotAuthorizedException', 'SignUp is not permitted for this user pool');
      }
      const password = requirePassword(input, 'Password');
      checkPasswordPolicy(pool, password);
      const identity = newUserIdentity(app, pool, username, checkAttributes(pool, input.UserAttributes), 'User already exists');
      checkRequiredAttributes(pool, identity.attributes);
      const now = Date.now();
      const user: UserRecord = {
        UserPoolId: pool.Id,
        Username: identity.username,
        Attributes: identity.attributes,
        Enabled: true,
        UserStatus: 'UNCONFIRMED',
        UserCreateDate: now,
        UserLastModifiedDate: now,
      };
      await preSignUp(app, pool, 'PreSignUp_SignUp', client.ClientId, user, input);
      await setPassword(app, pool, user, password);
      const delivery = user.UserStatus === 'UNCONFIRMED' ? await sendSignUpCode(app, pool, client, user) : undefined;
      putUser(app, user);
      return { UserConfirmed: user.UserStatus === 'CONFIRMED', CodeDeliveryDetails: delivery, UserSub: attribute(user, 'sub') };
    },

    async ConfirmSignUp(input: Record<string, any>) {
      const client = requireClient(app, input.ClientId);
      const pool = poolOfClient(app, client);
      const username = requireField<string>(input, 'Username');
      const code = requireField<string>(input, 'ConfirmationCode');
      checkSecretHash(app, client, input.SecretHash, [username]);
      const user = findUser(app, pool, username);
      if (!user) {
        // With PreventUserExistenceErrors a missing user looks like a wrong code.
        if (preventsUserExistenceErrors(client)) throw codeMismatch();
        throw new AwsError('UserNotFoundException', 'Username/client id combination not found.');
      }
      try {
        confirmUser(app, user, code);
      } finally {
        putUser(app, user);
      }
      await postConfirmation(app, pool, 'PostConfirmation_ConfirmSignUp', client.ClientId, user, input.ClientMetadata);
      return {};
    },

    async ResendConfirmationCode(input: Record<string, any>) {
      const client = requireClient(app, input.ClientId);
      const pool = poolOfClient(app, client);
      const username = requireField<string>(input, 'Username');
      checkSecretHash(app, client, input.SecretHash, [username]);
      const user = findUser(app, pool, username);
      if (!user) {
        if (preventsUserExistenceErrors(client) && EMAIL.test(username)) {
          return { CodeDeliveryDetails: { Destination: maskDestination(username, 'EMAIL'), DeliveryMedium: 'EMAIL', AttributeName: 'email' } };
        }
        throw new AwsError('UserNotFoundException', 'Username/client id combination not found.');
      }
      if (user.UserStatus !== 'UNCONFIRMED') throw new AwsError('InvalidParameterException', 'User is already confirmed.');
      const delivery = await sendSignUpCode(app, pool, client, user, 'CustomMessage_ResendCode');
      if (!delivery) throw new AwsError('InvalidParameterException', 'Auto verification not turned on.');
      putUser(app, user);
      return { CodeDeliveryDetails: delivery };
    },

    async AdminCreateUser(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const username = requireField<string>(input, 'Username');
      const action = input.MessageAction;
      if (action !== undefined && action !== 'SUPPRESS' && action !== 'RESEND') {
        throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${action}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]`);
      }
      const temporaryPassword: string = input.TemporaryPassword ?? generateTemporaryPassword(pool);
      if (input.TemporaryPassword !== undefined) checkPasswordPolicy(pool, temporaryPassword);
      let user: UserRecord;
      if (action === 'RESEND') {
        user = requireUser(app, pool, username);
        if (user.UserStatus !== 'FORCE_CHANGE_PASSWORD') {
          throw new AwsError('UnsupportedUserStateException', `Resend not possible. ${user.Username} status is not FORCE_CHANGE_PASSWORD.`);
        }
      } else {
        const identity = newUserIdentity(app, pool, username, checkAttributes(pool, input.UserAttributes), 'User account already exists');
        checkRequiredAttributes(pool, identity.attributes);
        const now = Date.now();
        user = {
          UserPoolId: pool.Id,
          Username: identity.username,
          Attributes: identity.attributes,
          Enabled: true,
          UserStatus: 'FORCE_CHANGE_PASSWORD',
          UserCreateDate: now,
          UserLastModifiedDate: now,
        };
      }
      if (action !== 'RESEND') await preSignUp(app, pool, 'PreSignUp_AdminCreateUser', CLIENT_ID_NOT_APPLICABLE, user, input);
      await setPassword(app, pool, user, temporaryPassword);
      user.temporaryPasswordExpiresAt = Date.now() + passwordPolicy(pool).TemporaryPasswordValidityDays * 86400_000;
      if (action !== 'SUPPRESS') await deliverInvitation(app, pool, user, username, input.DesiredDeliveryMediums, temporaryPassword);
      putUser(app, user);
      return { User: userType(user) };
    },

    async AdminSetUserPassword(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const user = requireUser(app, pool, input.Username);
      const password = requirePassword(input, 'Password');
      checkPasswordPolicy(pool, password);
      await setPassword(app, pool, user, password);
      if (input.Permanent === true) {
        user.temporaryPasswordExpiresAt = undefined;
        // An unconfirmed user stays unconfirmed: a password is not a confirmation.
        if (user.UserStatus !== 'UNCONFIRMED') user.UserStatus = 'CONFIRMED';
      } else {
        user.UserStatus = 'FORCE_CHANGE_PASSWORD';
        user.temporaryPasswordExpiresAt = Date.now() + passwordPolicy(pool).TemporaryPasswordValidityDays * 86400_000;
      }
      user.UserLastModifiedDate = Date.now();
      putUser(app, user);
      return {};
    },

    async AdminConfirmSignUp(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const user = requireUser(app, pool, input.Username);
      if (user.UserStatus !== 'UNCONFIRMED') {
        throw new AwsError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.UserStatus}`);
      }
      // AdminConfirmSignUp confirms the account but verifies no attribute.
      user.UserStatus = 'CONFIRMED';
      user.code = undefined;
      user.UserLastModifiedDate = Date.now();
      putUser(app, user);
      await postConfirmation(app, pool, 'PostConfirmation_ConfirmSignUp', CLIENT_ID_NOT_APPLICABLE, user, input.ClientMetadata);
      return {};
    },

    AdminGetUser(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const user = requireUser(app, pool, input.Username);
      const { Attributes, ...rest } = userType(user);
      return { ...rest, UserAttributes: Attributes, ...mfaSettings(app, user) };
    },

    AdminDeleteUser(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      deleteUser(app, requireUser(app, pool, input.Username));
      return {};
    },

    AdminDisableUser(input: Record<string, any>) {
      return setEnabled(app, input, false);
    },

    AdminEnableUser(input: Record<string, any>) {
      return setEnabled(app, input, true);
    },

    ListUsers(input: Record<string, any>) {
      return listUsers(app, requirePool(app, input.UserPoolId), input);
    },
  };
}

/** Delete a user with everything kept beside the record: password material, software token. */
export function deleteUser(app: App, user: UserRecord): void {
  app.store.transaction(() => {
    deleteCredentials(app, user);
    deleteSoftwareToken(app, user);
    removeUserFromGroups(app, user);
    app.store.delete(SERVICE, 'user', userKey(user.UserPoolId, user.Username));
  });
}

function setEnabled(app: App, input: Record<string, any>, enabled: boolean): Record<string, never> {
  const pool = requirePool(app, input.UserPoolId);
  const user = requireUser(app, pool, input.Username);
  user.Enabled = enabled;
  user.UserLastModifiedDate = Date.now();
  putUser(app, user);
  return {};
}

/**
 * Send AdminCreateUser's invitation over the requested mediums (SMS when
 * none is requested, as the API defaults).
 */
async function deliverInvitation(app: App, pool: UserPoolRecord, user: UserRecord, signInName: string, mediums: unknown, temporaryPassword: string): Promise<void> {
  const requested = Array.isArray(mediums) && mediums.length > 0 ? (mediums as string[]) : undefined;
  const email = attribute(user, 'email');
  const phone = attribute(user, 'phone_number');
  // NOTE: with no medium requested and no phone number palisade falls back to email; AWS documents SMS as the default only.
  let chosen: string[] = [];
  if (requested) chosen = requested;
  else if (phone) chosen = ['SMS'];
  else if (email) chosen = ['EMAIL'];
  for (const medium of chosen) {
    if (medium !== 'EMAIL' && medium !== 'SMS') throw new AwsError('InvalidParameterException', `Invalid DesiredDeliveryMediums value: ${medium}.`);
    const destination = medium === 'EMAIL' ? email : phone;
    if (!destination) {
      throw new AwsError('InvalidParameterException', `User has no attribute matching desired delivery mediums: ${medium} needs ${medium === 'EMAIL' ? 'email' : 'phone_number'}.`);
    }
    await sendInvitation(app, pool, user, signInName, destination, medium, temporaryPassword);
  }
}
