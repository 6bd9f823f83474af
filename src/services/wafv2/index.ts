import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerWafv2(app: App): void {
  app.register({ signingName: 'wafv2', protocol: 'json', targetPrefix: 'AWSWAF_20190729', jsonVersion: '1.1', operations: {} });
}
