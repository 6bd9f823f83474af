import { createHash, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { importJWK, importPKCS8, type CryptoKey } from 'jose';
import type { App } from '../../core/app.ts';
import type { SigningKeyRecord, UserPoolRecord } from './records.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * Generate an RSA-2048 signing key for a pool. The kid is the base64 SHA-256
 * of the public key, the same 44-character form Cognito's kids have.
 */
export async function generateSigningKey(app: App): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return {
    kid,
    // Members in the order Cognito's JWKS lists them.
    publicJwk: { alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' },
    sealedPrivateKey: app.store.seal(pem),
  };
}

/** Build the pool's JWKS document: the ID token key, then the access token key. */
export function jwks(pool: UserPoolRecord): { keys: Record<string, string>[] } {
  return { keys: [pool.keys.id.publicJwk, pool.keys.access.publicJwk] };
}

const privateKeys = new Map<string, Promise<CryptoKey>>();
const publicKeys = new Map<string, Promise<CryptoKey>>();

/** Import the private key from its sealed form, once per process. */
export function privateKey(app: App, key: SigningKeyRecord): Promise<CryptoKey> {
  let imported = privateKeys.get(key.kid);
  if (!imported) {
    imported = importPKCS8(app.store.openString(key.sealedPrivateKey), 'RS256');
    privateKeys.set(key.kid, imported);
  }
  return imported;
}

export function publicKey(key: SigningKeyRecord): Promise<CryptoKey> {
  let imported = publicKeys.get(key.kid);
  if (!imported) {
    imported = importJWK(key.publicJwk, 'RS256') as Promise<CryptoKey>;
    publicKeys.set(key.kid, imported);
  }
  return imported;
}
