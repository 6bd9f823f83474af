import { timingSafeEqual } from 'node:crypto';
import type { App } from '../../../core/app.ts';
import type { HttpRequest } from '../../../core/http.ts';
import { findClient, type UserPoolClientRecord } from '../records.ts';

export type ClientAuthentication = { client: UserPoolClientRecord; secret?: string } | { error: 'invalid_request' | 'invalid_client'; description: string };

function decodeFormComponent(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Read `Authorization: Basic` credentials; both halves are form-encoded (RFC 6749 §2.3.1). */
function basicCredentials(req: HttpRequest): { id: string; secret: string } | 'malformed' | undefined {
  const authorization = req.headers.authorization;
  if (authorization === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return 'malformed';
  try {
    return { id: decodeFormComponent(decoded.slice(0, colon)), secret: decodeFormComponent(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

/**
 * Authenticate the app client of a token or revoke request: HTTP Basic
 * (client_secret_basic) or `client_id` and `client_secret` in the form. A
 * client with a secret must present it; a public client presents only its id.
 * The client must belong to the domain's pool.
 */
export function authenticateClient(app: App, req: HttpRequest, form: URLSearchParams, userPoolId: string): ClientAuthentication {
  const basic = basicCredentials(req);
  if (basic === 'malformed') return { error: 'invalid_client', description: 'Malformed Authorization header.' };
  const bodyId = form.get('client_id');
  if (basic && bodyId !== null && bodyId !== basic.id) return { error: 'invalid_request', description: 'client_id does not match the Authorization header.' };
  if (basic && form.has('client_secret')) return { error: 'invalid_request', description: 'Use only one method of client authentication.' };
  const clientId = basic?.id ?? bodyId;
  if (!clientId) return { error: 'invalid_request', description: 'Missing client_id.' };
  const presented = basic?.secret ?? form.get('client_secret') ?? undefined;
  const client = findClient(app, clientId);
  if (!client || client.UserPoolId !== userPoolId) return { error: 'invalid_client', description: 'Client authentication failed.' };
  if (!client.sealedSecret) {
    if (presented !== undefined && presented !== '') return { error: 'invalid_client', description: 'Client authentication failed.' };
    return { client };
  }
  const expected = Buffer.from(app.store.openString(client.sealedSecret));
  const given = Buffer.from(presented ?? '');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { error: 'invalid_client', description: 'Client authentication failed.' };
  return { client, secret: presented };
}
