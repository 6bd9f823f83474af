import { randomInt, timingSafeEqual } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import type { CodeRecord, UserRecord } from './records.ts';

/** Sign-up confirmation codes stay valid for 24 hours (Cognito developer guide, "Signing up and confirming user accounts"). */
export const SIGN_UP_CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Forgot-password codes are valid for one hour. */
export const FORGOT_PASSWORD_CODE_LIFETIME_MS = 60 * 60 * 1000;

/** Issue a fresh 6-digit code on the user record, replacing any earlier one; returns the code to send. */
export function issueCode(app: App, user: UserRecord, purpose: CodeRecord['purpose'], attributeName: string | undefined): string {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  // Sign-up and attribute verification codes last 24 hours, password reset codes one hour.
  const lifetime = purpose === 'ForgotPassword' ? FORGOT_PASSWORD_CODE_LIFETIME_MS : SIGN_UP_CODE_LIFETIME_MS;
  user.code = { purpose, sealedCode: app.store.seal(code), expiresAt: Date.now() + lifetime, attributeName };
  return code;
}

export function codeMismatch(): AwsError {
  return new AwsError('CodeMismatchException', 'Invalid verification code provided, please try again.');
}

export function expiredCode(): AwsError {
  return new AwsError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
}

const MAX_FAILED_CODE_ATTEMPTS = 5;

/**
 * Check a code the user sent back and consume it: a code is single use, so a
 * match removes it from the record. A mismatch is counted on the record, so
 * the caller saves the record whether or not the code matched.
 */
export function consumeCode(app: App, user: UserRecord, purpose: CodeRecord['purpose'], received: unknown): CodeRecord {
  const stored = user.code;
  if (!stored || stored.purpose !== purpose || stored.expiresAt <= Date.now()) throw expiredCode();
  const expected = Buffer.from(app.store.openString(stored.sealedCode));
  const actual = Buffer.from(typeof received === 'string' ? received : '');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    stored.failedAttempts = (stored.failedAttempts ?? 0) + 1;
    // NOTE: Cognito does not document how many wrong codes it allows; palisade voids the code after five.
    if (stored.failedAttempts >= MAX_FAILED_CODE_ATTEMPTS) {
      user.code = undefined;
      throw new AwsError('TooManyFailedAttemptsException', 'Too many failed attempts.');
    }
    throw codeMismatch();
  }
  user.code = undefined;
  return stored;
}
