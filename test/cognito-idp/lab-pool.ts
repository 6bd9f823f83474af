import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestPalisade } from '../support/palisade.ts';
export { rejection } from '../support/rejection.ts';

/** A user pool, app client and domain configured as the multilayered API security lab's template configures them. */
export interface LabPool {
  userPoolId: string;
  clientId: string;
  clientSecret: string;
  domain: string;
}

export function cognitoClient(palisade: TestPalisade): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ ...palisade.clientConfig, maxAttempts: 1 });
}

export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

export async function createLabPool(cognito: CognitoIdentityProviderClient, domain: string): Promise<LabPool> {
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: `WAUserPool-${domain}`,
      AutoVerifiedAttributes: ['email'],
      UsernameAttributes: ['email'],
      Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true }],
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK' },
    }),
  );
  const userPoolId = pool.UserPool!.Id!;
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: `WAUserPoolClient-${domain}`,
      GenerateSecret: true,
      AllowedOAuthFlows: ['code', 'implicit'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['email', 'openid', 'aws.cognito.signin.user.admin'],
      CallbackURLs: ['https://example.com/callback'],
      DefaultRedirectURI: 'https://example.com/callback',
      LogoutURLs: ['https://example.com/signout'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: domain }));
  return {
    userPoolId,
    clientId: client.UserPoolClient!.ClientId!,
    clientSecret: client.UserPoolClient!.ClientSecret!,
    domain,
  };
}

