import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerCognitoIdp(app: App): void {
  app.register({ signingName: 'cognito-idp', protocol: 'json', targetPrefix: 'AWSCognitoIdentityProviderService', jsonVersion: '1.1', operations: {} });
}
