import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { SERVICE, findUser, putUser, requirePool, requireUser, userKey, type UserPoolRecord, type UserRecord } from './records.ts';
import { findSession, rotateSession } from './sessions.ts';
import { userOfAccessToken } from './self-service.ts';
import { matchTotp, newTotpSecret } from './totp.ts';

/** A user's software token (TOTP) MFA: the secret is sealed; `pending` until VerifySoftwareToken succeeds. */
interface SoftwareTokenRecord {
  sealedSecret: string;
  verified: boolean;
  enabled: boolean;
  preferred: boolean;
  lastUsedStep?: number;
}

function tokenKey(user: UserRecord): string {
  return userKey(user.UserPoolId, user.Username);
}

function softwareToken(app: App, user: UserRecord): SoftwareTokenRecord | undefined {
  return app.store.get<SoftwareTokenRecord>(SERVICE, 'software-token', tokenKey(user));
}

export function deleteSoftwareToken(app: App, user: UserRecord): void {
  app.store.delete(SERVICE, 'software-token', tokenKey(user));
}

/** Return the pool's MfaConfiguration: OFF, OPTIONAL or ON. */
export function poolMfa(pool: UserPoolRecord): 'OFF' | 'OPTIONAL' | 'ON' {
  return pool.settings.MfaConfiguration ?? 'OFF';
}

function softwareTokenMfaEnabled(pool: UserPoolRecord): boolean {
  return pool.settings.SoftwareTokenMfaConfiguration?.Enabled === true;
}

/**
 * Check MfaConfiguration and its factors as CreateUserPool, UpdateUserPool and
 * SetUserPoolMfaConfig take them. Only software tokens are served.
 */
export function checkMfaSettings(input: Record<string, any>): void {
  const mfa = input.MfaConfiguration;
  if (mfa !== undefined && !['OFF', 'ON', 'OPTIONAL'].includes(mfa)) {
    throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${mfa}' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]`);
  }
  for (const member of ['SmsMfaConfiguration', 'EmailMfaConfiguration', 'WebAuthnConfiguration']) {
    if (input[member] !== undefined && Object.keys(input[member] ?? {}).length > 0) {
      throw new AwsError('InvalidParameterException', `palisade does not support ${member} yet; only software token MFA is served.`);
    }
  }
  // CreateUserPool and UpdateUserPool take no software token setting: MFA there needs SMS, which palisade lacks,
  // so a TOTP-only pool turns MFA on with SetUserPoolMfaConfig, as in AWS.
  if ((mfa === 'ON' || mfa === 'OPTIONAL') && input.SoftwareTokenMfaConfiguration?.Enabled !== true) {
    throw new AwsError('InvalidParameterException', 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional');
  }
}

/** UserMFASettingList and PreferredMfaSetting as GetUser and AdminGetUser return them. */
export function mfaSettings(app: App, user: UserRecord): { UserMFASettingList?: string[]; PreferredMfaSetting?: string } {
  const token = softwareToken(app, user);
  if (!token?.enabled) return {};
  return { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: token.preferred ? 'SOFTWARE_TOKEN_MFA' : undefined };
}

/**
 * Choose the MFA step after a correct password: SOFTWARE_TOKEN_MFA when the user has
 * a token enabled and the pool has MFA, MFA_SETUP when the pool requires MFA
 * and the user has none, otherwise none.
 */
export function mfaChallengeFor(app: App, pool: UserPoolRecord, user: UserRecord): 'SOFTWARE_TOKEN_MFA' | 'MFA_SETUP' | undefined {
  const mfa = poolMfa(pool);
  if (mfa === 'OFF') return undefined;
  if (softwareTokenMfaEnabled(pool) && softwareToken(app, user)?.enabled) return 'SOFTWARE_TOKEN_MFA';
  return mfa === 'ON' ? 'MFA_SETUP' : undefined;
}

/** Check the code sent in response to SOFTWARE_TOKEN_MFA. Each code is accepted once. */
export function checkMfaCode(app: App, user: UserRecord, code: unknown): void {
  const token = softwareToken(app, user);
  const step = token?.enabled ? matchTotp(app.store.openString(token.sealedSecret), code, token.lastUsedStep) : undefined;
  if (step === undefined || !token) throw new AwsError('CodeMismatchException', 'Invalid code received for user');
  app.store.put<SoftwareTokenRecord>(SERVICE, 'software-token', tokenKey(user), { ...token, lastUsedStep: step });
}

/** Finish MFA_SETUP: the user verified a token during the challenge; it becomes enabled and preferred. */
export function completeMfaSetup(app: App, user: UserRecord): void {
  const token = softwareToken(app, user);
  if (!token?.verified) throw new AwsError('InvalidParameterException', 'User has not verified software token mfa');
  app.store.put<SoftwareTokenRecord>(SERVICE, 'software-token', tokenKey(user), { ...token, enabled: true, preferred: true });
}

/** Resolve the user of AssociateSoftwareToken / VerifySoftwareToken from an access token or an MFA_SETUP session. */
async function tokenOwner(app: App, input: Record<string, any>): Promise<{ pool: UserPoolRecord; user: UserRecord; session?: string }> {
  if (input.AccessToken !== undefined) return userOfAccessToken(app, input.AccessToken);
  if (input.Session === undefined) throw new AwsError('InvalidParameterException', 'Either AccessToken or Session must be provided.');
  const record = findSession(app, input.Session, 'MFA_SETUP');
  const pool = requirePool(app, record.UserPoolId);
  const user = findUser(app, pool, record.Username);
  if (!user) throw new AwsError('NotAuthorizedException', 'Invalid session for the user.');
  return { pool, user, session: rotateSession(app, input.Session, record) };
}

function requireSoftwareTokenPool(pool: UserPoolRecord): void {
  if (!softwareTokenMfaEnabled(pool)) throw new AwsError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the userPool.');
}

/** Apply SoftwareTokenMfaSettings of (Admin)SetUserMFAPreference. */
function setPreference(app: App, user: UserRecord, input: Record<string, any>): Record<string, never> {
  for (const member of ['SMSMfaSettings', 'EmailMfaSettings', 'WebAuthnMfaSettings']) {
    if (input[member]?.Enabled === true || input[member]?.PreferredMfa === true) {
      throw new AwsError('InvalidParameterException', `palisade does not support ${member} yet; only software token MFA is served.`);
    }
  }
  const settings = input.SoftwareTokenMfaSettings;
  if (!settings) return {};
  const token = softwareToken(app, user);
  const enabled = settings.Enabled === true || settings.PreferredMfa === true;
  if (enabled && !token?.verified) throw new AwsError('InvalidParameterException', 'User has not verified software token mfa');
  if (token) {
    app.store.put<SoftwareTokenRecord>(SERVICE, 'software-token', tokenKey(user), { ...token, enabled, preferred: enabled && settings.PreferredMfa === true });
  }
  user.UserLastModifiedDate = Date.now();
  putUser(app, user);
  return {};
}

export function mfaOperations(app: App): Record<string, Operation> {
  return {
    async AssociateSoftwareToken(input: Record<string, any>) {
      const { pool, user, session } = await tokenOwner(app, input);
      requireSoftwareTokenPool(pool);
      const secret = newTotpSecret();
      const existing = softwareToken(app, user);
      // A new association replaces the secret; the user must verify again before it counts.
      app.store.put<SoftwareTokenRecord>(SERVICE, 'software-token', tokenKey(user), {
        sealedSecret: app.store.seal(secret),
        verified: false,
        enabled: false,
        preferred: false,
        lastUsedStep: existing?.lastUsedStep,
      });
      return { SecretCode: secret, Session: session };
    },

    async VerifySoftwareToken(input: Record<string, any>) {
      const code = requireField<string>(input, 'UserCode');
      const { pool, user, session } = await tokenOwner(app, input);
      requireSoftwareTokenPool(pool);
      const token = softwareToken(app, user);
      if (!token) throw new AwsError('InvalidParameterException', 'User has not associated software token mfa');
      const step = matchTotp(app.store.openString(token.sealedSecret), code, token.lastUsedStep);
      if (step === undefined) throw new AwsError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
      // Verifying through an access token also turns the factor on, as the console does; preference stays as set.
      app.store.put<SoftwareTokenRecord>(SERVICE, 'software-token', tokenKey(user), { ...token, verified: true, lastUsedStep: step });
      return { Status: 'SUCCESS', Session: session };
    },

    async SetUserMFAPreference(input: Record<string, any>) {
      const { user } = await userOfAccessToken(app, input.AccessToken);
      return setPreference(app, user, input);
    },

    AdminSetUserMFAPreference(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      return setPreference(app, requireUser(app, pool, input.Username), input);
    },

    SetUserPoolMfaConfig(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      checkMfaSettings(input);
      const settings = { ...pool.settings };
      if (input.MfaConfiguration !== undefined) settings.MfaConfiguration = input.MfaConfiguration;
      if (input.SoftwareTokenMfaConfiguration !== undefined) settings.SoftwareTokenMfaConfiguration = input.SoftwareTokenMfaConfiguration;
      app.store.put(SERVICE, 'user-pool', pool.Id, { ...pool, settings, LastModifiedDate: Date.now() });
      return describeMfaConfig({ ...pool, settings });
    },

    GetUserPoolMfaConfig(input: Record<string, any>) {
      return describeMfaConfig(requirePool(app, input.UserPoolId));
    },
  };
}

function describeMfaConfig(pool: UserPoolRecord) {
  return {
    SoftwareTokenMfaConfiguration: { Enabled: softwareTokenMfaEnabled(pool) },
    MfaConfiguration: poolMfa(pool),
  };
}
