import { createHash, createHmac, getDiffieHellman, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SRP-6a (RFC 5054 §2) as Cognito's USER_SRP_AUTH flow runs it, server side.
 * The group is the 3072-bit MODP prime of RFC 3526 §4 with g = 2; H is
 * SHA-256 over the unsigned big-endian bytes of each number, padded so the
 * high bit is clear (the client libraries' `padHex`). The session key is
 * derived with HKDF-SHA256 (RFC 5869) keyed by u, info "Caldera Derived Key".
 */
const N = BigInt(`0x${getDiffieHellman('modp15').getPrime('hex')}`);
const g = 2n;

/** Hex of a non-negative number, padded to whole bytes with a leading 00 when its high bit is set. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if ('89abcdef'.includes(hex[0])) hex = `00${hex}`;
  return hex;
}

function hashHex(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** k = H(N | g), SRP-6a's multiplier. */
const k = BigInt(`0x${hashHex(padHex(N) + padHex(g))}`);

/** Return the part of the pool id after the Region, which Cognito mixes into x and the claim signature. */
export function poolName(userPoolId: string): string {
  return userPoolId.slice(userPoolId.indexOf('_') + 1);
}

/** x = H(salt | H(poolName | userIdForSrp | ":" | password)). */
function privateValue(userPoolId: string, userIdForSrp: string, password: string, saltHex: string): bigint {
  const inner = createHash('sha256').update(`${poolName(userPoolId)}${userIdForSrp}:${password}`, 'utf8').digest('hex');
  return BigInt(`0x${hashHex(padHex(BigInt(`0x${saltHex}`)) + inner)}`);
}

/** SRP password material stored instead of the password: the salt and v = g^x mod N, both hex. */
export interface PasswordVerifier {
  salt: string;
  verifier: string;
}

export function makePasswordVerifier(userPoolId: string, userIdForSrp: string, password: string): PasswordVerifier {
  const salt = randomBytes(16).toString('hex');
  const x = privateValue(userPoolId, userIdForSrp, password, salt);
  return { salt, verifier: padHex(modPow(g, x, N)) };
}

/** The server's half of the handshake kept between InitiateAuth and the PASSWORD_VERIFIER response. */
export interface ServerHandshake {
  /** b, the server's secret exponent, hex. */
  b: string;
  /** A and B as sent, hex. */
  A: string;
  B: string;
}

/** Check the client's A (A mod N must not be 0, RFC 5054 §2.5.4) and compute B = k·v + g^b mod N. */
export function startHandshake(srpA: string, verifier: PasswordVerifier): ServerHandshake | undefined {
  if (!/^[0-9a-fA-F]+$/.test(srpA)) return undefined;
  const A = BigInt(`0x${srpA}`);
  if (A % N === 0n) return undefined;
  const v = BigInt(`0x${verifier.verifier}`);
  let b: bigint;
  let B: bigint;
  do {
    b = BigInt(`0x${randomBytes(128).toString('hex')}`) % N;
    B = (k * v + modPow(g, b, N)) % N;
  } while (B === 0n);
  return { b: b.toString(16), A: A.toString(16), B: B.toString(16) };
}

/** Derive the 16-byte key both sides share: HKDF-SHA256 with salt u over S, info "Caldera Derived Key". */
function sessionKey(handshake: ServerHandshake, verifier: PasswordVerifier): Buffer | undefined {
  const A = BigInt(`0x${handshake.A}`);
  const B = BigInt(`0x${handshake.B}`);
  const u = BigInt(`0x${hashHex(padHex(A) + padHex(B))}`);
  if (u === 0n) return undefined;
  const v = BigInt(`0x${verifier.verifier}`);
  // S = (A · v^u)^b mod N, the value the client reaches as (B - k·g^x)^(a + u·x).
  const S = modPow(A * modPow(v, u, N), BigInt(`0x${handshake.b}`), N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  return createHmac('sha256', prk).update(info).digest().subarray(0, 16);
}

/**
 * Check PASSWORD_CLAIM_SIGNATURE = Base64(HMAC-SHA256(key, poolName |
 * userIdForSrp | secretBlock bytes | timestamp)).
 */
export function verifyPasswordClaim(options: {
  userPoolId: string;
  userIdForSrp: string;
  handshake: ServerHandshake;
  verifier: PasswordVerifier;
  secretBlock: string;
  timestamp: string;
  signature: string;
}): boolean {
  const key = sessionKey(options.handshake, options.verifier);
  if (!key) return false;
  const expected = createHmac('sha256', key)
    .update(Buffer.from(poolName(options.userPoolId), 'utf8'))
    .update(Buffer.from(options.userIdForSrp, 'utf8'))
    .update(Buffer.from(options.secretBlock, 'base64'))
    .update(Buffer.from(options.timestamp, 'utf8'))
    .digest();
  const given = Buffer.from(options.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The TIMESTAMP the client libraries send: `Tue Sep 3 13:21:02 UTC 2024` (day not zero-padded; a padded day is accepted too). */
const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (0?[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC [0-9]{4}$/;

export function isSrpTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP.test(value);
}
