import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import { randomString } from '../../core/ids.ts';
import type { Operation } from '../../core/service.ts';
import { checkMaxResults, paginate } from './pools.ts';
import { customScopes } from './resource-servers.ts';
import { SERVICE, requireClient, requirePool, type UserPoolClientRecord } from './records.ts';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const EXPLICIT_AUTH_FLOWS = new Set([
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
]);
const LEGACY_FLOWS = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);
const STANDARD_SCOPES = new Set(['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin']);
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** Validity bounds in seconds (CreateUserPoolClient, API reference): ID and access 5 min to 1 day, refresh 1 hour to 10 years. */
const VALIDITY_LIMITS = {
  IdToken: [300, 86400, 'hours'],
  AccessToken: [300, 86400, 'hours'],
  RefreshToken: [3600, 315360000, 'days'],
} as const;

function checkTokenValidity(input: Record<string, any>): void {
  const units = input.TokenValidityUnits ?? {};
  for (const [kind, [min, max, defaultUnit]] of Object.entries(VALIDITY_LIMITS)) {
    const value = input[`${kind}Validity`];
    if (value === undefined) continue;
    const unit = units[kind] ?? defaultUnit;
    if (!(unit in UNIT_SECONDS)) throw new AwsError('InvalidParameterException', `Invalid TokenValidityUnits value for ${kind}: ${unit}.`);
    const seconds = Number(value) * UNIT_SECONDS[unit];
    if (!Number.isInteger(value) || seconds < min || seconds > max) {
      throw new AwsError('InvalidParameterException', `Invalid range for token validity: ${kind}Validity ${value} ${unit} is outside ${min} to ${max} seconds.`);
    }
  }
}

function checkOAuthSettings(input: Record<string, any>, knownCustomScopes: Set<string>): void {
  const flows: string[] = input.AllowedOAuthFlows ?? [];
  for (const flow of flows) {
    if (!['code', 'implicit', 'client_credentials'].includes(flow)) throw new AwsError('InvalidOAuthFlowException', `Invalid OAuth flow: ${flow}.`);
  }
  if (flows.includes('client_credentials') && flows.length > 1) {
    throw new AwsError('InvalidOAuthFlowException', 'client_credentials flow can not be selected with either implicit or code.');
  }
  if (flows.includes('client_credentials') && !input.GenerateSecret) {
    throw new AwsError('InvalidOAuthFlowException', 'client_credentials flow can not be selected if client does not have a client secret.');
  }
  for (const scope of input.AllowedOAuthScopes ?? []) {
    if (!STANDARD_SCOPES.has(scope) && !knownCustomScopes.has(scope)) throw new AwsError('ScopeDoesNotExistException', `Invalid scope requested: ${scope}`);
  }
  for (const url of [...(input.CallbackURLs ?? []), ...(input.LogoutURLs ?? [])]) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new AwsError('InvalidParameterException', `Invalid URL: ${url}.`);
    }
    const loopback = parsed.protocol === 'http:' && parsed.hostname === 'localhost';
    if (parsed.protocol !== 'https:' && !loopback && !/^[a-z][a-z0-9+.-]*:$/.test(parsed.protocol)) {
      throw new AwsError('InvalidParameterException', `Invalid URL: ${url}.`);
    }
    if (parsed.protocol === 'http:' && !loopback) throw new AwsError('InvalidParameterException', 'CallbackURLs and LogoutURLs cannot use the HTTP protocol except for localhost.');
  }
  if (input.DefaultRedirectURI !== undefined && !(input.CallbackURLs ?? []).includes(input.DefaultRedirectURI)) {
    throw new AwsError('InvalidParameterException', 'DefaultRedirectURI must be one of the CallbackURLs.');
  }
  if (input.AllowedOAuthFlowsUserPoolClient && flows.length > 0 && (input.CallbackURLs ?? []).length === 0 && !flows.includes('client_credentials')) {
    throw new AwsError('InvalidParameterException', 'CallbackURLs must be provided for the code and implicit OAuth flows.');
  }
}

function checkClientSettings(input: Record<string, any>, knownCustomScopes: Set<string>): void {
  const flows: string[] = input.ExplicitAuthFlows ?? [];
  for (const flow of flows) {
    if (!EXPLICIT_AUTH_FLOWS.has(flow)) throw new AwsError('InvalidParameterException', `Invalid ExplicitAuthFlows value: ${flow}.`);
  }
  if (flows.some((flow) => LEGACY_FLOWS.has(flow)) && flows.some((flow) => flow.startsWith('ALLOW_'))) {
    throw new AwsError('InvalidParameterException', 'ExplicitAuthFlows cannot mix legacy values with ALLOW_ values.');
  }
  const prevent = input.PreventUserExistenceErrors;
  if (prevent !== undefined && prevent !== 'ENABLED' && prevent !== 'LEGACY') {
    throw new AwsError('InvalidParameterException', `Invalid PreventUserExistenceErrors value: ${prevent}.`);
  }
  if (input.AnalyticsConfiguration) throw new AwsError('InvalidParameterException', 'palisade does not support AnalyticsConfiguration yet; remove it.');
  checkTokenValidity(input);
  checkOAuthSettings(input, knownCustomScopes);
}

/** The client as DescribeUserPoolClient returns it, secret included. */
export function describeClient(app: App, client: UserPoolClientRecord): Record<string, unknown> {
  const settings = client.settings;
  return {
    UserPoolId: client.UserPoolId,
    ClientName: client.ClientName,
    ClientId: client.ClientId,
    ClientSecret: client.sealedSecret ? app.store.openString(client.sealedSecret) : undefined,
    LastModifiedDate: new Date(client.LastModifiedDate),
    CreationDate: new Date(client.CreationDate),
    RefreshTokenValidity: settings.RefreshTokenValidity ?? 30,
    AccessTokenValidity: settings.AccessTokenValidity,
    IdTokenValidity: settings.IdTokenValidity,
    TokenValidityUnits: settings.TokenValidityUnits,
    ReadAttributes: settings.ReadAttributes,
    WriteAttributes: settings.WriteAttributes,
    ExplicitAuthFlows: settings.ExplicitAuthFlows,
    SupportedIdentityProviders: settings.SupportedIdentityProviders,
    CallbackURLs: settings.CallbackURLs,
    LogoutURLs: settings.LogoutURLs,
    DefaultRedirectURI: settings.DefaultRedirectURI,
    AllowedOAuthFlows: settings.AllowedOAuthFlows,
    AllowedOAuthScopes: settings.AllowedOAuthScopes,
    AllowedOAuthFlowsUserPoolClient: settings.AllowedOAuthFlowsUserPoolClient ?? false,
    PreventUserExistenceErrors: settings.PreventUserExistenceErrors ?? 'LEGACY',
    EnableTokenRevocation: settings.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: settings.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: settings.AuthSessionValidity ?? 3,
  };
}

function newSecret(input: Record<string, any>): string | undefined {
  if (input.ClientSecret !== undefined) {
    if (typeof input.ClientSecret !== 'string' || !/^[\w+]{24,64}$/.test(input.ClientSecret)) {
      throw new AwsError('InvalidParameterException', '1 validation error detected: Value at \'clientSecret\' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+ and have length between 24 and 64');
    }
    return input.ClientSecret;
  }
  return input.GenerateSecret ? randomString(51, SECRET_ALPHABET) : undefined;
}

export function clientOperations(app: App): Record<string, Operation> {
  return {
    CreateUserPoolClient(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const name = requireField<string>(input, 'ClientName');
      checkClientSettings(input, customScopes(app, pool.Id));
      const secret = newSecret(input);
      const now = Date.now();
      const { UserPoolId: _pool, ClientName: _name, GenerateSecret: _generate, ClientSecret: _secret, ...settings } = input;
      const client: UserPoolClientRecord = {
        UserPoolId: pool.Id,
        ClientId: randomString(26, LOWER_ALNUM),
        ClientName: name,
        sealedSecret: secret === undefined ? undefined : app.store.seal(secret),
        CreationDate: now,
        LastModifiedDate: now,
        settings,
      };
      app.store.put(SERVICE, 'user-pool-client', client.ClientId, client);
      return { UserPoolClient: describeClient(app, client) };
    },

    DescribeUserPoolClient(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      return { UserPoolClient: describeClient(app, requireClient(app, input.ClientId, pool.Id)) };
    },

    UpdateUserPoolClient(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const client = requireClient(app, input.ClientId, pool.Id);
      checkClientSettings(input, customScopes(app, pool.Id));
      // UpdateUserPoolClient replaces every setting: members left out return to their defaults.
      const { UserPoolId: _pool, ClientId: _id, ClientName: name, ...settings } = input;
      const updated: UserPoolClientRecord = { ...client, ClientName: name ?? client.ClientName, settings, LastModifiedDate: Date.now() };
      app.store.put(SERVICE, 'user-pool-client', client.ClientId, updated);
      return { UserPoolClient: describeClient(app, updated) };
    },

    ListUserPoolClients(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const max = input.MaxResults === undefined ? 60 : checkMaxResults(input.MaxResults, 'maxResults');
      const clients = app.store.list<UserPoolClientRecord>(SERVICE, 'user-pool-client').filter((client) => client.UserPoolId === pool.Id);
      const { page, next } = paginate(clients, input.NextToken, max);
      return {
        UserPoolClients: page.map((client) => ({ ClientId: client.ClientId, UserPoolId: client.UserPoolId, ClientName: client.ClientName })),
        NextToken: next,
      };
    },

    DeleteUserPoolClient(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const client = requireClient(app, input.ClientId, pool.Id);
      app.store.delete(SERVICE, 'user-pool-client', client.ClientId);
      return {};
    },
  };
}
