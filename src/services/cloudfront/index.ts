import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerCloudFront(app: App): void {
  app.register({ signingName: 'cloudfront', protocol: 'rest-xml', xmlNamespace: 'http://cloudfront.amazonaws.com/doc/2020-05-31/', operations: {} });
}
