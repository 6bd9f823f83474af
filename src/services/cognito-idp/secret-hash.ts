import { createHmac, timingSafeEqual } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import type { UserPoolClientRecord } from './records.ts';

/** SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function computeSecretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

/**
 * Check the secret hash a request carries when the app client has a secret.
 * Any of `usernames` may be the one the hash was computed over (the name the
 * caller signed in with, or the user name a refresh token belongs to).
 * A client without a secret cannot verify a hash, so a request that sends
 * one is rejected as a wrong hash would be.
 */
export function checkSecretHash(app: App, client: UserPoolClientRecord, received: unknown, usernames: string[]): void {
  if (!client.sealedSecret) {
    // NOTE: the message is the one Cognito sends for a hash it cannot verify; AWS documents no separate wording.
    if (typeof received === 'string' && received !== '') throw new AwsError('NotAuthorizedException', `Unable to verify secret hash for client ${client.ClientId}`);
    return;
  }
  if (typeof received !== 'string' || received === '') {
    throw new AwsError('NotAuthorizedException', `Client ${client.ClientId} is configured with secret but SECRET_HASH was not received`);
  }
  const secret = app.store.openString(client.sealedSecret);
  const receivedBytes = Buffer.from(received);
  const matches = usernames.some((username) => {
    const expected = Buffer.from(computeSecretHash(secret, username, client.ClientId));
    return expected.length === receivedBytes.length && timingSafeEqual(expected, receivedBytes);
  });
  if (!matches) throw new AwsError('NotAuthorizedException', `Unable to verify secret hash for client ${client.ClientId}`);
}

