import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { randomString } from './ids.ts';

/** The account and the access key palisade accepts SigV4 signatures from. */
export interface AccountCredentials {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const FILE = 'credentials.json';

/**
 * Load the account's credentials from the state directory, creating them on
 * first start. `PALISADE_ACCESS_KEY_ID` / `PALISADE_SECRET_ACCESS_KEY`
 * override the stored key pair (both or neither).
 */
export function loadCredentials(stateDir: string, env = process.env): AccountCredentials {
  const path = join(stateDir, FILE);
  let stored: AccountCredentials;
  if (existsSync(path)) {
    stored = JSON.parse(readFileSync(path, 'utf8')) as AccountCredentials;
  } else {
    stored = {
      accountId: String(randomInt(100000000000, 999999999999)),
      // Access key ids of long-term IAM user keys start with AKIA and have 20 characters.
      accessKeyId: 'AKIA' + randomString(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
      secretAccessKey: randomString(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
    };
    writeFileSync(path, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  const keyId = env.PALISADE_ACCESS_KEY_ID;
  const secret = env.PALISADE_SECRET_ACCESS_KEY;
  if ((keyId === undefined) !== (secret === undefined)) {
    throw new Error('set both PALISADE_ACCESS_KEY_ID and PALISADE_SECRET_ACCESS_KEY, or neither');
  }
  return keyId && secret ? { ...stored, accessKeyId: keyId, secretAccessKey: secret } : stored;
}
