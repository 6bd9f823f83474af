import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { AwsError } from '../../core/errors.ts';
import type { UserPoolRecord } from './records.ts';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** scrypt cost parameters (RFC 7914 §2); N = 2^15 keeps a hash near 100 ms. */
const COST = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/** Hash a password with a fresh 16-byte salt: `scrypt$N$r$p$salt$hash`, both base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

/** Return the pool's password policy, with Cognito's defaults for members not given. */
export function passwordPolicy(pool: UserPoolRecord): PasswordPolicy {
  const given = pool.settings.Policies?.PasswordPolicy ?? {};
  return {
    MinimumLength: given.MinimumLength ?? 8,
    RequireUppercase: given.RequireUppercase ?? true,
    RequireLowercase: given.RequireLowercase ?? true,
    RequireNumbers: given.RequireNumbers ?? true,
    RequireSymbols: given.RequireSymbols ?? true,
    TemporaryPasswordValidityDays: given.TemporaryPasswordValidityDays ?? 7,
  };
}

/** The special characters Cognito's password policy counts as symbols. */
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';

/** Check a password against the pool's policy, failing as Cognito does on the first rule broken. */
export function checkPasswordPolicy(pool: UserPoolRecord, password: string): void {
  const policy = passwordPolicy(pool);
  const fail = (reason: string) => new AwsError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);
  if ([...password].length < policy.MinimumLength) throw fail('Password not long enough');
  if (policy.RequireLowercase && !/[a-z]/.test(password)) throw fail('Password must have lowercase characters');
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) throw fail('Password must have uppercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) throw fail('Password must have numeric characters');
  if (policy.RequireSymbols && ![...password].some((char) => SYMBOLS.includes(char))) throw fail('Password must have symbol characters');
}

/** Generate a random temporary password that satisfies the pool's policy. */
export function generateTemporaryPassword(pool: UserPoolRecord): string {
  const policy = passwordPolicy(pool);
  const classes = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '^$*.!@#%&'];
  const chars = classes.map((set) => set[randomInt(set.length)]);
  const all = classes.join('');
  while (chars.length < Math.max(policy.MinimumLength, 12)) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
