import type { App } from '../../core/app.ts';
import { authOperations } from './auth.ts';
import { clientOperations } from './clients.ts';
import { httpRoutes, registerUrlRewriters } from './hosted-ui.ts';
import { groupOperations } from './groups.ts';
import { mfaOperations } from './mfa.ts';
import { poolOperations } from './pools.ts';
import { resourceServerOperations } from './resource-servers.ts';
import { cognitoSeam } from './seam.ts';
import { selfServiceOperations } from './self-service.ts';
import { userAttributeOperations } from './user-attributes.ts';
import { userOperations } from './users.ts';

/** Operations the service model marks `authtype: none`: end users call them without AWS credentials. */
const UNSIGNED_OPERATIONS = new Set([
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'InitiateAuth',
  'RespondToAuthChallenge',
  'GetUser',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ChangePassword',
  'GlobalSignOut',
  'RevokeToken',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
  'DeleteUser',
  'UpdateUserAttributes',
  'VerifyUserAttribute',
  'GetUserAttributeVerificationCode',
]);

/** Amazon Cognito user pools (`cognito-idp`, awsJson1_1), its JWKS and hosted UI pages, and the token-verification seam. */
export function registerCognitoIdp(app: App): void {
  app.register({
    signingName: 'cognito-idp',
    protocol: 'json',
    targetPrefix: 'AWSCognitoIdentityProviderService',
    jsonVersion: '1.1',
    unsignedOperations: UNSIGNED_OPERATIONS,
    operations: {
      ...poolOperations(app),
      ...clientOperations(app),
      ...userOperations(app),
      ...authOperations(app),
      ...selfServiceOperations(app),
      ...mfaOperations(app),
      ...groupOperations(app),
      ...resourceServerOperations(app),
      ...userAttributeOperations(app),
    },
    httpRoutes: httpRoutes(app),
  });
  app.seams.cognito = cognitoSeam(app);
  registerUrlRewriters(app);
}
