import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The `mysql_native_password` method ("Native Authentication", MySQL
 * Internals documentation). The server stores SHA1(SHA1(password)), as MySQL
 * itself does in `mysql.user.authentication_string`, and never the password.
 * The client replies to a 20-byte scramble with
 * SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))).
 */
export const NATIVE_PASSWORD_PLUGIN = 'mysql_native_password';

function sha1(...parts: Buffer[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** SHA1(SHA1(password)): what MySQL keeps for a `mysql_native_password` account. */
export function nativePasswordHash(password: string): Buffer {
  return sha1(sha1(Buffer.from(password, 'utf8')));
}

/**
 * A scramble of 20 bytes. NUL bytes are avoided because the handshake
 * carries the scramble NUL-terminated.
 */
export function newScramble(): Buffer {
  const scramble = randomBytes(20);
  for (let i = 0; i < scramble.length; i++) if (scramble[i] === 0) scramble[i] = 1 + (scramble[i + 1 < 20 ? i + 1 : 0] % 127);
  return scramble;
}

/**
 * Check a client's scramble response against the stored hash: XOR it with
 * SHA1(scramble + stored) to recover SHA1(password), then compare its SHA1
 * with the stored hash.
 */
export function verifyNativePassword(response: Buffer, scramble: Buffer, storedHash: Buffer): boolean {
  if (response.length !== 20 || storedHash.length !== 20) return false;
  const mask = sha1(scramble, storedHash);
  const stage1 = Buffer.alloc(20);
  for (let i = 0; i < 20; i++) stage1[i] = response[i] ^ mask[i];
  return timingSafeEqual(sha1(stage1), storedHash);
}
