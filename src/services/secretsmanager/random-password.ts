import { randomInt } from 'node:crypto';
import { invalidParameter, validation } from './errors.ts';

/** GetRandomPassword's request members (Secrets Manager API reference, GetRandomPassword). */
export interface PasswordSpec {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeLowercase?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
}

/** The `GenerateSecretString` property of `AWS::SecretsManager::Secret`. */
export interface GenerateSecretStringSpec extends PasswordSpec {
  SecretStringTemplate?: string;
  GenerateStringKey?: string;
}

/** Secrets Manager's default password length; the API allows 1 to 4096. */
const DEFAULT_LENGTH = 32;
const MAX_LENGTH = 4096;

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
/** The punctuation GetRandomPassword draws from: every printable ASCII character that is not a letter, digit or space. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * Generate a random password as GetRandomPassword does: characters drawn
 * uniformly from the included classes minus ExcludeCharacters, with at least
 * one character of each included class when RequireEachIncludedType is true
 * (its default).
 */
export function randomPassword(spec: PasswordSpec): string {
  const length = spec.PasswordLength ?? DEFAULT_LENGTH;
  if (!Number.isInteger(length) || length < 1 || length > MAX_LENGTH) {
    throw validation('passwordLength', length, `Member must have value between 1 and ${MAX_LENGTH}`);
  }
  const classes = includedClasses(spec);
  const alphabet = classes.join('');
  if (!alphabet) {
    throw invalidParameter('The password length and the character types you excluded leave no characters to generate a password from.');
  }
  const requireEach = spec.RequireEachIncludedType ?? true;
  if (requireEach && classes.length > length) {
    throw invalidParameter(`The password length ${length} is too short to include a character of each of the ${classes.length} included character types.`);
  }

  const characters = Array.from({ length }, () => pick(alphabet));
  if (requireEach) placeOneOfEachClass(characters, classes);
  return characters.join('');
}

/** Resolve GenerateSecretString: a password alone, or the template JSON with the password under GenerateStringKey. */
export function generateSecretString(spec: GenerateSecretStringSpec): string {
  const password = randomPassword(spec);
  const { SecretStringTemplate: template, GenerateStringKey: key } = spec;
  if (template === undefined && key === undefined) return password;
  if (template === undefined || key === undefined || key === '') {
    throw invalidParameter('SecretStringTemplate and GenerateStringKey must be specified together.');
  }
  let document: unknown;
  try {
    document = JSON.parse(template);
  } catch {
    throw invalidParameter('SecretStringTemplate is not a valid JSON object.');
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw invalidParameter('SecretStringTemplate is not a valid JSON object.');
  }
  return JSON.stringify({ ...(document as Record<string, unknown>), [key]: password });
}

function includedClasses(spec: PasswordSpec): string[] {
  const excluded = new Set(spec.ExcludeCharacters ?? '');
  const classes = [
    spec.ExcludeLowercase ? '' : LOWERCASE,
    spec.ExcludeUppercase ? '' : UPPERCASE,
    spec.ExcludeNumbers ? '' : NUMBERS,
    spec.ExcludePunctuation ? '' : PUNCTUATION,
    spec.IncludeSpace ? ' ' : '',
  ];
  return classes.map((chars) => [...chars].filter((c) => !excluded.has(c)).join('')).filter((chars) => chars.length > 0);
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)];
}

/** Overwrite distinct random positions so each class appears at least once, keeping the result uniform in position. */
function placeOneOfEachClass(characters: string[], classes: string[]): void {
  const positions = [...characters.keys()];
  for (const chars of classes) {
    if (characters.some((c) => chars.includes(c))) continue;
    const free = positions.filter((i) => !classes.some((other) => other !== chars && isOnlyOfItsClass(characters, i, other)));
    const index = free[randomInt(free.length)];
    characters[index] = pick(chars);
  }
}

/** Return true when position i contains the only character of class `chars`, so overwriting it would lose that class. */
function isOnlyOfItsClass(characters: string[], i: number, chars: string): boolean {
  if (!chars.includes(characters[i])) return false;
  return characters.filter((c) => chars.includes(c)).length === 1;
}
