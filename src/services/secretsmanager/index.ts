import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerSecretsManager(app: App): void {
  app.register({ signingName: 'secretsmanager', protocol: 'json', targetPrefix: 'secretsmanager', jsonVersion: '1.1', operations: {} });
}
