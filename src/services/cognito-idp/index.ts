import type { App } from '../../core/app.ts';
import { authOperations } from './auth.ts';
import { clientOperations } from './clients.ts';
import { httpRoutes, registerUrlRewriters } from './hosted-ui.ts';
import { poolOperations } from './pools.ts';
import { cognitoSeam } from './seam.ts';
import { selfServiceOperations } from './self-service.ts';
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
    },
    httpRoutes: httpRoutes(app),
  });
  app.seams.cognito = cognitoSeam(app);
  registerUrlRewriters(app);
}
