import { randomBytes, randomUUID } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Random string over an alphabet, rejection-sampled so each character is uniform. */
export function randomString(length: number, alphabet: string): string {
  let out = '';
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Lower-case id such as an API Gateway rest API id (`a1b2c3d4e5`). */
export function lowerId(length = 10): string {
  return randomString(length, LOWER_ALNUM);
}

/** Upper-case id such as a CloudFront distribution id (`E2QWRUHAPOMQZL`). */
export function upperId(length = 14): string {
  return randomString(length, UPPER_ALNUM);
}

export function uuid(): string {
  return randomUUID();
}

/** Request id in the form AWS services return in `x-amzn-RequestId`. */
export function requestId(): string {
  return randomUUID();
}
