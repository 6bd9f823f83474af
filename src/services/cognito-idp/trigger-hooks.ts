import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { attribute, setAttribute, type UserPoolRecord, type UserRecord } from './records.ts';
import { attributeMap, invokeTrigger, isBoolean, isObject, isString, isStringArray, optionalMember, userAttributesOf } from './triggers.ts';

/**
 * The calls user pool operations make at each trigger point. Each does
 * nothing when the pool has no function for its trigger. Event and response
 * shapes follow each trigger's page in the Cognito developer guide.
 */

type Metadata = Record<string, string> | undefined;

function metadata(value: unknown): Metadata {
  return isObject(value) ? (value as Record<string, string>) : undefined;
}

/**
 * Pre sign-up: the function can reject the sign-up, confirm the user and
 * mark email or phone verified. The user record is changed in place; the
 * caller stores it. For AdminCreateUser the user stays FORCE_CHANGE_PASSWORD,
 * so only the verification flags apply.
 */
export async function preSignUp(
  app: App,
  pool: UserPoolRecord,
  source: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser',
  clientId: string,
  user: UserRecord,
  input: Record<string, any>,
): Promise<void> {
  const response = await invokeTrigger(app, pool, {
    trigger: 'PreSignUp',
    triggerSource: source,
    userName: user.Username,
    clientId,
    request: { userAttributes: userAttributesOf(user, false), validationData: attributeMap(input.ValidationData) ?? null, clientMetadata: metadata(input.ClientMetadata) ?? {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  if (!response) return;
  const autoConfirm = optionalMember<boolean>(response, 'autoConfirmUser', isBoolean);
  const verifyEmail = optionalMember<boolean>(response, 'autoVerifyEmail', isBoolean);
  const verifyPhone = optionalMember<boolean>(response, 'autoVerifyPhone', isBoolean);
  // NOTE: the developer guide documents a flag set for a missing attribute as an error; the error type and text are palisade's.
  if (verifyEmail && !attribute(user, 'email')) throw new AwsError('InvalidParameterException', 'Cannot auto verify email: the user has no email attribute.');
  if (verifyPhone && !attribute(user, 'phone_number')) throw new AwsError('InvalidParameterException', 'Cannot auto verify phone_number: the user has no phone_number attribute.');
  if (verifyEmail) setAttribute(user, 'email_verified', 'true');
  if (verifyPhone) setAttribute(user, 'phone_number_verified', 'true');
  if (autoConfirm && source === 'PreSignUp_SignUp') user.UserStatus = 'CONFIRMED';
}

/**
 * Post confirmation runs after the confirmation is stored: when the function
 * fails, the operation returns its error but the user stays confirmed, as
 * in Cognito.
 */
export async function postConfirmation(
  app: App,
  pool: UserPoolRecord,
  source: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword',
  clientId: string,
  user: UserRecord,
  clientMetadata: unknown,
): Promise<void> {
  await invokeTrigger(app, pool, {
    trigger: 'PostConfirmation',
    triggerSource: source,
    userName: user.Username,
    clientId,
    request: { userAttributes: userAttributesOf(user), clientMetadata: metadata(clientMetadata) ?? {} },
    response: {},
  });
}

/**
 * Pre authentication runs before the password is checked, so a function can
 * block sign-in. The ClientMetadata of InitiateAuth reaches it as
 * `validationData`. With PreventUserExistenceErrors it also runs for an
 * unknown user, with `userNotFound: true`.
 */
export async function preAuthentication(app: App, pool: UserPoolRecord, clientId: string, username: string, user: UserRecord | undefined, clientMetadata: unknown): Promise<void> {
  const request: Record<string, unknown> = { userAttributes: user ? userAttributesOf(user) : {}, validationData: metadata(clientMetadata) ?? {} };
  if (!user) request.userNotFound = true;
  await invokeTrigger(app, pool, {
    trigger: 'PreAuthentication',
    triggerSource: 'PreAuthentication_Authentication',
    userName: user?.Username ?? username,
    clientId,
    request,
    response: {},
  });
}

/** Post authentication runs once a sign-in has succeeded and before tokens are returned; a failure withholds them. */
export async function postAuthentication(app: App, pool: UserPoolRecord, clientId: string, user: UserRecord, clientMetadata: unknown): Promise<void> {
  await invokeTrigger(app, pool, {
    trigger: 'PostAuthentication',
    triggerSource: 'PostAuthentication_Authentication',
    userName: user.Username,
    clientId,
    request: { userAttributes: userAttributesOf(user), newDeviceUsed: false, clientMetadata: metadata(clientMetadata) ?? {} },
    response: {},
  });
}

/**
 * Claims a V1_0 pre token generation response cannot change, because they
 * bind the token to its issuer, audience, user and sign-in.
 * NOTE: palisade keeps Cognito's value for these silently; whether Cognito
 * rejects such a response instead is not stated in the sources read.
 */
const PROTECTED_CLAIMS = new Set(['acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'cognito:username', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf', 'nonce', 'origin_jti', 'sub', 'token_use', 'event_id']);

function applyGroupOverride(claims: Record<string, unknown>, details: Record<string, unknown>): void {
  const groups = optionalMember<string[]>(details, 'groupsToOverride', isStringArray);
  const roles = optionalMember<string[]>(details, 'iamRolesToOverride', isStringArray);
  const preferred = optionalMember<string>(details, 'preferredRole', isString);
  if (groups) {
    if (groups.length > 0) claims['cognito:groups'] = groups;
    else delete claims['cognito:groups'];
  }
  if (roles) {
    if (roles.length > 0) claims['cognito:roles'] = roles;
    else delete claims['cognito:roles'];
  }
  if (preferred) claims['cognito:preferred_role'] = preferred;
}

/**
 * Pre token generation (V1_0 event): the function adds, overrides or
 * suppresses ID token claims and overrides group claims. The claims object
 * is changed in place before the ID token is signed.
 */
export async function preTokenGeneration(
  app: App,
  pool: UserPoolRecord,
  triggerSource: string,
  clientId: string,
  user: UserRecord,
  idClaims: Record<string, unknown>,
  clientMetadata: unknown,
): Promise<void> {
  const groups = Array.isArray(idClaims['cognito:groups']) ? idClaims['cognito:groups'] : [];
  const response = await invokeTrigger(app, pool, {
    trigger: 'PreTokenGeneration',
    triggerSource,
    userName: user.Username,
    clientId,
    request: {
      userAttributes: userAttributesOf(user),
      groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: idClaims['cognito:roles'] ?? [], preferredRole: idClaims['cognito:preferred_role'] ?? null },
      clientMetadata: metadata(clientMetadata) ?? {},
    },
    response: { claimsOverrideDetails: null },
  });
  if (!response) return;
  const details = optionalMember<Record<string, unknown>>(response, 'claimsOverrideDetails', isObject);
  if (!details) return;
  // NOTE: the V1_0 event documents string values; numbers and booleans are accepted as well and kept as JSON types.
  const scalar = (value: unknown) => isObject(value) && Object.values(value as object).every((item) => ['string', 'number', 'boolean'].includes(typeof item));
  const additions = optionalMember<Record<string, unknown>>(details, 'claimsToAddOrOverride', scalar) ?? {};
  const suppressed = optionalMember<string[]>(details, 'claimsToSuppress', isStringArray) ?? [];
  const groupOverride = optionalMember<Record<string, unknown>>(details, 'groupOverrideDetails', isObject);
  for (const [claim, value] of Object.entries(additions)) {
    if (!PROTECTED_CLAIMS.has(claim)) idClaims[claim] = value;
  }
  for (const claim of suppressed) {
    if (!PROTECTED_CLAIMS.has(claim)) delete idClaims[claim];
  }
  if (groupOverride) applyGroupOverride(idClaims, groupOverride);
}
