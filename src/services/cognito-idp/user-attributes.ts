import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { codeMismatch, consumeCode, issueCode } from './codes.ts';
import { DEFAULT_SENDER, maskDestination, type CodeDeliveryDetails } from './messages.ts';
import { attribute, putUser, requirePool, requireUser, setAttribute, type AttributeType, type UserPoolRecord, type UserRecord } from './records.ts';
import { checkAttributes, isStandardAttribute } from './schema.ts';
import { userOfAccessToken } from './self-service.ts';

const VERIFIABLE: Record<string, 'EMAIL' | 'SMS'> = { email: 'EMAIL', phone_number: 'SMS' };

/** Send an attribute verification code as a code message (Cognito never sends a link for attribute updates). */
function sendAttributeCode(app: App, pool: UserPoolRecord, user: UserRecord, name: string): CodeDeliveryDetails {
  const medium = VERIFIABLE[name];
  const destination = attribute(user, name);
  if (!medium || !destination) throw new AwsError('InvalidParameterException', `Invalid attribute name or the attribute is not set: ${name}`);
  const code = issueCode(app, user, 'VerifyAttribute', name);
  const template = pool.settings.VerificationMessageTemplate ?? {};
  // TODO: the CustomMessage_UpdateUserAttribute / _VerifyUserAttribute trigger is not called for these messages yet.
  const message: string = medium === 'SMS' ? (template.SmsMessage ?? 'Your verification code is {####}. ') : (template.EmailMessage ?? 'Your verification code is {####}. ');
  const subject: string = medium === 'SMS' ? '' : (template.EmailSubject ?? 'Your verification code');
  app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: destination, subject, body: message.replace('{####}', code), code });
  return { Destination: maskDestination(destination, medium), DeliveryMedium: medium, AttributeName: name };
}

/**
 * Apply attribute updates. A changed email or phone number becomes
 * unverified unless the same request marks it verified, and in a pool that
 * auto-verifies it a code goes to the new value ("Updating user attributes",
 * Cognito developer guide). Immutable attributes cannot change.
 */
function updateAttributes(app: App, pool: UserPoolRecord, user: UserRecord, given: unknown): CodeDeliveryDetails[] {
  if (given === undefined) throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'userAttributes' failed to satisfy constraint: Member must not be null");
  const updates: AttributeType[] = checkAttributes(pool, given);
  const immutable = new Set(
    ((pool.settings.Schema ?? []) as Record<string, any>[])
      .filter((entry) => entry.Mutable === false)
      .map((entry) => String(entry.Name))
      .map((name) => (isStandardAttribute(name) ? name : `custom:${name.replace(/^custom:/, '')}`)),
  );
  for (const entry of updates) {
    if (immutable.has(entry.Name) && attribute(user, entry.Name) !== undefined) {
      throw new AwsError('NotAuthorizedException', `Cannot modify an already provided immutable attribute: ${entry.Name}`);
    }
  }
  const autoVerified: string[] = pool.settings.AutoVerifiedAttributes ?? [];
  const toVerify: string[] = [];
  for (const entry of updates) {
    const changed = attribute(user, entry.Name) !== entry.Value;
    setAttribute(user, entry.Name, entry.Value);
    if (entry.Name in VERIFIABLE && changed && !updates.some((other) => other.Name === `${entry.Name}_verified`)) {
      setAttribute(user, `${entry.Name}_verified`, 'false');
      if (autoVerified.includes(entry.Name)) toVerify.push(entry.Name);
    }
  }
  user.UserLastModifiedDate = Date.now();
  const sent = toVerify.map((name) => sendAttributeCode(app, pool, user, name));
  putUser(app, user);
  return sent;
}

export function userAttributeOperations(app: App): Record<string, Operation> {
  return {
    AdminUpdateUserAttributes(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      updateAttributes(app, pool, requireUser(app, pool, input.Username), input.UserAttributes);
      return {};
    },

    async UpdateUserAttributes(input: Record<string, any>) {
      const { pool, user } = await userOfAccessToken(app, input.AccessToken);
      const sent = updateAttributes(app, pool, user, input.UserAttributes);
      return { CodeDeliveryDetailsList: sent };
    },

    async GetUserAttributeVerificationCode(input: Record<string, any>) {
      const { pool, user } = await userOfAccessToken(app, input.AccessToken);
      const name = requireField<string>(input, 'AttributeName');
      const details = sendAttributeCode(app, pool, user, name);
      putUser(app, user);
      return { CodeDeliveryDetails: details };
    },

    async VerifyUserAttribute(input: Record<string, any>) {
      const { user } = await userOfAccessToken(app, input.AccessToken);
      const name = requireField<string>(input, 'AttributeName');
      const code = requireField<string>(input, 'Code');
      if (user.code?.purpose === 'VerifyAttribute' && user.code.attributeName !== name) throw codeMismatch();
      try {
        consumeCode(app, user, 'VerifyAttribute', code);
        setAttribute(user, `${name}_verified`, 'true');
        user.UserLastModifiedDate = Date.now();
      } finally {
        putUser(app, user);
      }
      return {};
    },
  };
}
