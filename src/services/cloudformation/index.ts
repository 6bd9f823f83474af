import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerCloudFormation(app: App): void {
  app.register({ signingName: 'cloudformation', protocol: 'query', xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/', operations: {} });
}
