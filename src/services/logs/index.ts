import type { App } from '../../core/app.ts';

// Placeholder until the service is written: every operation fails closed.
export function registerLogs(app: App): void {
  app.register({ signingName: 'logs', protocol: 'json', targetPrefix: 'Logs_20140328', jsonVersion: '1.1', operations: {} });
}
