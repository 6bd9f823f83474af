import { timingSafeEqual } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { consumeCode, issueCode } from './codes.ts';
import { maskDestination, sendPasswordResetCode } from './messages.ts';
import { checkPassword, setPassword } from './credentials.ts';
import { mfaSettings } from './mfa.ts';
import { checkPasswordPolicy } from './passwords.ts';
import { SERVICE, attribute, findUser, poolOfClient, putUser, requireClient, requirePool, requireUser, type RefreshTokenRecord, type UserPoolRecord, type UserRecord } from './records.ts';
import { checkSecretHash } from './secret-hash.ts';
import { postConfirmation } from './trigger-hooks.ts';
import { findRefreshToken, poolIdOfToken, revokeOrigin, verifyPoolToken } from './tokens.ts';
import { deleteUser, preventsUserExistenceErrors } from './users.ts';

/**
 * Find the user an access token authorizes for the self-service operations
 * (GetUser, ChangePassword, GlobalSignOut), failing with Cognito's messages.
 */
export async function userOfAccessToken(app: App, token: unknown): Promise<{ pool: UserPoolRecord; user: UserRecord }> {
  const invalid = new AwsError('NotAuthorizedException', 'Invalid Access Token');
  if (typeof token !== 'string' || token === '') {
    throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null");
  }
  const poolId = poolIdOfToken(app, token);
  const pool = poolId ? app.store.get<UserPoolRecord>(SERVICE, 'user-pool', poolId) : undefined;
  if (!pool) throw invalid;
  const result = await verifyPoolToken(app, pool, token, 'access');
  if ('failure' in result) {
    switch (result.failure) {
      case 'expired':
        throw new AwsError('NotAuthorizedException', 'Access Token has expired');
      case 'revoked':
        throw new AwsError('NotAuthorizedException', 'Access Token has been revoked');
      case 'user-missing':
        throw new AwsError('UserNotFoundException', 'User does not exist.');
      case 'user-disabled':
        throw new AwsError('NotAuthorizedException', 'User is disabled.');
      default:
        throw invalid;
    }
  }
  return { pool, user: result.user };
}

function refreshTokensOf(app: App, user: UserRecord): RefreshTokenRecord[] {
  return app.store
    .list<RefreshTokenRecord>(SERVICE, 'refresh-token')
    .filter((record) => record.UserPoolId === user.UserPoolId && record.Username === user.Username);
}

/** Revoke every refresh token of the user and the ID and access tokens issued with them (GlobalSignOut, AdminUserGlobalSignOut). */
export function signOutEverywhere(app: App, user: UserRecord): void {
  for (const record of refreshTokensOf(app, user)) {
    revokeOrigin(app, record.originJti);
    app.store.put(SERVICE, 'refresh-token', record.tokenHash, { ...record, revoked: true });
  }
}

export function selfServiceOperations(app: App): Record<string, Operation> {
  return {
    async GetUser(input: Record<string, any>) {
      const { user } = await userOfAccessToken(app, input.AccessToken);
      return { Username: user.Username, UserAttributes: user.Attributes.map((entry) => ({ Name: entry.Name, Value: entry.Value })), ...mfaSettings(app, user) };
    },

    async ChangePassword(input: Record<string, any>) {
      const { pool, user } = await userOfAccessToken(app, input.AccessToken);
      const proposed = requireField<string>(input, 'ProposedPassword');
      if (!(await checkPassword(app, user, String(input.PreviousPassword ?? '')))) {
        throw new AwsError('NotAuthorizedException', 'Incorrect username or password.');
      }
      checkPasswordPolicy(pool, proposed);
      await setPassword(app, pool, user, proposed);
      user.UserLastModifiedDate = Date.now();
      putUser(app, user);
      return {};
    },

    /** Revoke every refresh token of the user and the access and ID tokens issued with them. */
    async GlobalSignOut(input: Record<string, any>) {
      const { user } = await userOfAccessToken(app, input.AccessToken);
      signOutEverywhere(app, user);
      return {};
    },

    AdminUserGlobalSignOut(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      signOutEverywhere(app, requireUser(app, pool, input.Username));
      return {};
    },

    /** DeleteUser: the user deletes their own profile with an access token. */
    async DeleteUser(input: Record<string, any>) {
      const { user } = await userOfAccessToken(app, input.AccessToken);
      signOutEverywhere(app, user);
      deleteUser(app, user);
      return {};
    },

    /**
     * Revoke a refresh token and the tokens issued from it. An unknown token
     * succeeds, as RFC 7009 §2.2 has it; a client with a secret must send it.
     */
    RevokeToken(input: Record<string, any>) {
      const token = requireField<string>(input, 'Token');
      const client = requireClient(app, input.ClientId);
      if (client.sealedSecret) {
        const expected = Buffer.from(app.store.openString(client.sealedSecret));
        const given = Buffer.from(typeof input.ClientSecret === 'string' ? input.ClientSecret : '');
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
          throw new AwsError('UnauthorizedException', 'Invalid client credentials');
        }
      }
      if (client.settings.EnableTokenRevocation === false) {
        throw new AwsError('UnsupportedOperationException', 'Token revocation is not enabled for this client.');
      }
      const found = findRefreshToken(app, token);
      if (!found) {
        if (token.split('.').length === 3) throw new AwsError('UnsupportedTokenTypeException', 'Unsupported token type.');
        return {};
      }
      if (found.record.ClientId !== client.ClientId) throw new AwsError('UnauthorizedException', 'Invalid client credentials');
      revokeOrigin(app, found.record.originJti);
      app.store.put(SERVICE, 'refresh-token', found.id, { ...found.record, revoked: true });
      return {};
    },

    async ForgotPassword(input: Record<string, any>) {
      const client = requireClient(app, input.ClientId);
      const pool = poolOfClient(app, client);
      const username = requireField<string>(input, 'Username');
      checkSecretHash(app, client, input.SecretHash, [username]);
      const user = findUser(app, pool, username);
      if (!user) {
        if (preventsUserExistenceErrors(client)) {
          return { CodeDeliveryDetails: { Destination: maskDestination(username, 'EMAIL'), DeliveryMedium: 'EMAIL', AttributeName: 'email' } };
        }
        throw new AwsError('UserNotFoundException', 'Username/client id combination not found.');
      }
      const target = recoveryTarget(user);
      if (!target) {
        throw new AwsError('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number');
      }
      const code = issueCode(app, user, 'ForgotPassword', undefined);
      await sendPasswordResetCode(app, pool, target, code, user, client.ClientId);
      putUser(app, user);
      return { CodeDeliveryDetails: { ...target, Destination: maskDestination(target.Destination, target.DeliveryMedium) } };
    },

    async ConfirmForgotPassword(input: Record<string, any>) {
      const client = requireClient(app, input.ClientId);
      const pool = poolOfClient(app, client);
      const username = requireField<string>(input, 'Username');
      const code = requireField<string>(input, 'ConfirmationCode');
      const password = requireField<string>(input, 'Password');
      checkSecretHash(app, client, input.SecretHash, [username]);
      const user = findUser(app, pool, username);
      if (!user) {
        if (preventsUserExistenceErrors(client)) throw new AwsError('CodeMismatchException', 'Invalid verification code provided, please try again.');
        throw new AwsError('UserNotFoundException', 'Username/client id combination not found.');
      }
      checkPasswordPolicy(pool, password);
      try {
        consumeCode(app, user, 'ForgotPassword', code);
      } catch (error) {
        putUser(app, user);
        throw error;
      }
      await setPassword(app, pool, user, password);
      if (user.UserStatus === 'RESET_REQUIRED') user.UserStatus = 'CONFIRMED';
      user.UserLastModifiedDate = Date.now();
      putUser(app, user);
      await postConfirmation(app, pool, 'PostConfirmation_ConfirmForgotPassword', client.ClientId, user, input.ClientMetadata);
      return {};
    },
  };
}

/** Pick where a password reset code goes: a verified email, else a verified phone number. */
function recoveryTarget(user: UserRecord) {
  const email = attribute(user, 'email');
  if (email && attribute(user, 'email_verified') === 'true') return { Destination: email, DeliveryMedium: 'EMAIL' as const, AttributeName: 'email' };
  const phone = attribute(user, 'phone_number');
  if (phone && attribute(user, 'phone_number_verified') === 'true') return { Destination: phone, DeliveryMedium: 'SMS' as const, AttributeName: 'phone_number' };
  return undefined;
}
