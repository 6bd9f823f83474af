import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerLambda(app: App): void {
  app.register({ signingName: 'lambda', protocol: 'rest-json',  operations: {} });
}
