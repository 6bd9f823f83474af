import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerRds(app: App): void {
  app.register({ signingName: 'rds', protocol: 'query', xmlNamespace: 'http://rds.amazonaws.com/doc/2014-10-31/', operations: {} });
}
