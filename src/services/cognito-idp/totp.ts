import { createHmac, randomBytes } from 'node:crypto';

/** RFC 4648 §6 base32 alphabet, the form authenticator apps take a secret in. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('invalid base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** Generate a TOTP secret of 20 random bytes (RFC 4226 §4 recommends 160 bits), as 32 base32 characters. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** Return the 30-second time step of RFC 6238 §4 (T0 = 0, X = 30). */
export function timeStep(now = Date.now()): number {
  return Math.floor(now / 30_000);
}

/** HOTP (RFC 4226 §5.3) with HMAC-SHA-1 and 6 digits for one time step. */
export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/**
 * Find the step a code belongs to, allowing one step of clock drift either
 * way (RFC 6238 §5.2). A step at or before `lastUsedStep` is rejected, so a
 * code works once.
 */
export function matchTotp(secret: string, code: unknown, lastUsedStep = -1): number | undefined {
  if (typeof code !== 'string' || !/^[0-9]{6}$/.test(code)) return undefined;
  const now = timeStep();
  for (const step of [now - 1, now, now + 1]) {
    if (step > lastUsedStep && totpAt(secret, step) === code) return step;
  }
  return undefined;
}
