import { compact, toBoolean, toNumber, type ResourceProvisioner } from './types.ts';

/** Properties of AWS::Cognito::UserPool that CreateUserPool takes under the same name. */
const USER_POOL_MEMBERS = ['AccountRecoverySetting', 'AdminCreateUserConfig', 'AliasAttributes', 'AutoVerifiedAttributes', 'DeletionProtection', 'DeviceConfiguration', 'EmailConfiguration', 'EmailVerificationMessage', 'EmailVerificationSubject', 'LambdaConfig', 'MfaConfiguration', 'Policies', 'Schema', 'SmsAuthenticationMessage', 'SmsConfiguration', 'SmsVerificationMessage', 'UserAttributeUpdateSettings', 'UsernameAttributes', 'UsernameConfiguration', 'UserPoolAddOns', 'UserPoolTags', 'UserPoolTier', 'VerificationMessageTemplate'];

/** Members UpdateUserPool also takes; a change to any other property replaces the pool. */
const UPDATABLE_POOL_MEMBERS = ['AccountRecoverySetting', 'AdminCreateUserConfig', 'AutoVerifiedAttributes', 'DeletionProtection', 'DeviceConfiguration', 'EmailConfiguration', 'EmailVerificationMessage', 'EmailVerificationSubject', 'LambdaConfig', 'MfaConfiguration', 'Policies', 'SmsAuthenticationMessage', 'SmsConfiguration', 'SmsVerificationMessage', 'UserAttributeUpdateSettings', 'UserPoolAddOns', 'UserPoolTags', 'UserPoolTier', 'VerificationMessageTemplate'];

function pick(props: Record<string, any>, names: string[]): Record<string, unknown> {
  return compact(Object.fromEntries(names.map((name) => [name, props[name]])));
}

/** AWS::Cognito::UserPool → CreateUserPool; Ref is the pool id, Fn::GetAtt Arn, ProviderName, ProviderURL. */
const userPool: ResourceProvisioner = {
  properties: [...USER_POOL_MEMBERS, 'UserPoolName'],
  unsupported: ['EmailAuthenticationMessage', 'EmailAuthenticationSubject', 'EnabledMfas', 'WebAuthnRelyingPartyID', 'WebAuthnUserVerification'],
  replaceOn: ['AliasAttributes', 'Schema', 'UsernameAttributes', 'UsernameConfiguration'],
  async create(ctx, props) {
    const { UserPool } = await ctx.call('cognito-idp', 'CreateUserPool', { PoolName: props.UserPoolName ?? `${ctx.logicalId}-${Date.now().toString(36)}`, ...pick(props, USER_POOL_MEMBERS) });
    const host = `cognito-idp.${ctx.app.region}.amazonaws.com`;
    return {
      physicalId: UserPool.Id,
      attributes: { Arn: UserPool.Arn, ProviderName: `${host}/${UserPool.Id}`, ProviderURL: `https://${host}/${UserPool.Id}`, UserPoolId: UserPool.Id },
    };
  },
  async update(ctx, current, props) {
    await ctx.call('cognito-idp', 'UpdateUserPool', compact({ UserPoolId: current.physicalId, PoolName: props.UserPoolName, ...pick(props, UPDATABLE_POOL_MEMBERS) }));
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await ctx.call('cognito-idp', 'DeleteUserPool', { UserPoolId: current.physicalId });
  },
};

const CLIENT_MEMBERS = ['AccessTokenValidity', 'AllowedOAuthFlows', 'AllowedOAuthFlowsUserPoolClient', 'AllowedOAuthScopes', 'AnalyticsConfiguration', 'AuthSessionValidity', 'CallbackURLs', 'ClientName', 'DefaultRedirectURI', 'EnablePropagateAdditionalUserContextData', 'EnableTokenRevocation', 'ExplicitAuthFlows', 'IdTokenValidity', 'LogoutURLs', 'PreventUserExistenceErrors', 'ReadAttributes', 'RefreshTokenRotation', 'RefreshTokenValidity', 'SupportedIdentityProviders', 'TokenValidityUnits', 'WriteAttributes'];

function clientInput(props: Record<string, any>): Record<string, unknown> {
  const input = pick(props, CLIENT_MEMBERS);
  for (const name of ['AccessTokenValidity', 'IdTokenValidity', 'RefreshTokenValidity', 'AuthSessionValidity']) {
    if (input[name] !== undefined) input[name] = toNumber(input[name]);
  }
  for (const name of ['AllowedOAuthFlowsUserPoolClient', 'EnableTokenRevocation', 'EnablePropagateAdditionalUserContextData']) {
    if (input[name] !== undefined) input[name] = toBoolean(input[name]);
  }
  return input;
}

/**
 * AWS::Cognito::UserPoolClient → CreateUserPoolClient; Ref is the client id,
 * Fn::GetAtt ClientSecret the generated secret (kept sealed in the stack record).
 */
const userPoolClient: ResourceProvisioner = {
  properties: [...CLIENT_MEMBERS, 'GenerateSecret', 'UserPoolId'],
  required: ['UserPoolId'],
  replaceOn: ['GenerateSecret', 'UserPoolId'],
  async create(ctx, props) {
    const { UserPoolClient } = await ctx.call('cognito-idp', 'CreateUserPoolClient', compact({
      UserPoolId: props.UserPoolId,
      ClientName: props.ClientName ?? ctx.logicalId,
      GenerateSecret: toBoolean(props.GenerateSecret),
      ...clientInput(props),
    }));
    return {
      physicalId: UserPoolClient.ClientId,
      attributes: compact({ ClientId: UserPoolClient.ClientId, ClientSecret: UserPoolClient.ClientSecret, Name: UserPoolClient.ClientName }),
    };
  },
  async update(ctx, current, props) {
    await ctx.call('cognito-idp', 'UpdateUserPoolClient', { UserPoolId: props.UserPoolId, ClientId: current.physicalId, ...clientInput(props) });
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await ctx.call('cognito-idp', 'DeleteUserPoolClient', { UserPoolId: current.properties.UserPoolId, ClientId: current.physicalId });
  },
};

/** AWS::Cognito::UserPoolDomain → CreateUserPoolDomain (a prefix domain); Ref is the domain. */
const userPoolDomain: ResourceProvisioner = {
  properties: ['Domain', 'ManagedLoginVersion', 'UserPoolId'],
  unsupported: ['CustomDomainConfig'],
  required: ['Domain', 'UserPoolId'],
  async create(ctx, props) {
    const output = await ctx.call('cognito-idp', 'CreateUserPoolDomain', compact({ Domain: props.Domain, UserPoolId: props.UserPoolId, ManagedLoginVersion: toNumber(props.ManagedLoginVersion) }));
    return { physicalId: String(props.Domain), attributes: compact({ CloudFrontDistribution: output.CloudFrontDomain }) };
  },
  async delete(ctx, current) {
    await ctx.call('cognito-idp', 'DeleteUserPoolDomain', { Domain: current.physicalId, UserPoolId: current.properties.UserPoolId });
  },
};

export const cognitoProvisioners: Record<string, ResourceProvisioner> = {
  'AWS::Cognito::UserPool': userPool,
  'AWS::Cognito::UserPoolClient': userPoolClient,
  'AWS::Cognito::UserPoolDomain': userPoolDomain,
};
