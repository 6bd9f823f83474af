import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerApiGateway(app: App): void {
  app.register({ signingName: 'apigateway', protocol: 'rest-json',  operations: {} });
}
