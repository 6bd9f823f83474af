import type { App } from '../../core/app.ts';
import { notImplemented } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { SecretRepository } from './secret-record.ts';
import { secretOperations } from './secret-operations.ts';
import { versionOperations } from './version-operations.ts';

export { generateSecretString, randomPassword, type GenerateSecretStringSpec, type PasswordSpec } from './random-password.ts';

/**
 * AWS Secrets Manager (awsJson 1.1, target prefix `secretsmanager`). Secret
 * values are sealed at rest with the state store's key and never logged.
 */
export function registerSecretsManager(app: App): void {
  const secrets = new SecretRepository(app);
  const operations: Record<string, Operation> = {
    ...secretOperations(secrets),
    ...versionOperations(secrets),
    // TODO: rotation (RotateSecret invoking the rotation Lambda through its four steps) is not implemented yet.
    RotateSecret: () => {
      throw notImplemented('secretsmanager', 'RotateSecret');
    },
    CancelRotateSecret: () => {
      throw notImplemented('secretsmanager', 'CancelRotateSecret');
    },
  };
  app.register({ signingName: 'secretsmanager', protocol: 'json', targetPrefix: 'secretsmanager', jsonVersion: '1.1', operations });
}
