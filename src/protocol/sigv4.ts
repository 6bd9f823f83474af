import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest as SmithyRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import type { HttpRequest } from '../core/http.ts';
import type { AccountCredentials } from '../core/credentials.ts';

/**
 * Verification of AWS Signature Version 4 ("Signature Version 4 signing
 * process", AWS General Reference; "Create a signed AWS API request", IAM
 * User Guide).
 *
 * The verifier rebuilds the string to sign from the request exactly as the
 * client did, over the headers the client listed in SignedHeaders. It signs
 * that with the secret key of the credential scope's access key id and
 * compares the result in constant time. Signing itself is @smithy/signature-v4,
 * the signer the AWS SDK for JavaScript uses.
 */

/** Reason a signature was rejected. The protocol layer turns it into the service's wire error. */
export type SigV4FailureKind = 'MissingAuthenticationToken' | 'IncompleteSignature' | 'UnknownAccessKey' | 'SignatureDoesNotMatch' | 'SignatureExpired';

export interface SigV4Failure {
  kind: SigV4FailureKind;
  message: string;
}

export interface SigV4Success {
  accessKeyId: string;
  region: string;
  service: string;
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** Requests may be signed at most this far from the server's clock, either way. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const AUTHORIZATION_PATTERN = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/;

/** True when the request carries a SigV4 signature in its Authorization header or query string. */
export function isSigned(req: HttpRequest): boolean {
  return req.headers.authorization !== undefined || req.query.has('X-Amz-Signature');
}

/** Credential scope of a signed request, without checking the signature (used to route by service). */
export function credentialScope(req: HttpRequest): CredentialScope | undefined {
  const credential = req.headers.authorization
    ? AUTHORIZATION_PATTERN.exec(req.headers.authorization)?.[1]
    : req.query.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  return { accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3] };
}

export async function verifySigV4(
  req: HttpRequest,
  accounts: AccountCredentials[],
  now = new Date(),
): Promise<SigV4Success | SigV4Failure> {
  const presigned = req.headers.authorization === undefined && req.query.has('X-Amz-Signature');
  const parsed = presigned ? parsePresigned(req) : parseAuthorizationHeader(req);
  if ('kind' in parsed) return parsed;

  const account = accounts.find((candidate) => candidate.accessKeyId === parsed.scope.accessKeyId);
  if (!account) {
    return { kind: 'UnknownAccessKey', message: 'The security token included in the request is invalid.' };
  }

  // The clock check comes before the signature, as AWS reports an expired
  // signature even when the signature itself is right.
  const signedAt = parseAmzDate(parsed.amzDate);
  if (!signedAt) {
    return { kind: 'IncompleteSignature', message: `Date must be in ISO-8601 'basic format'. Got '${parsed.amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601` };
  }
  const skewFailure = presigned ? checkPresignedExpiry(signedAt, parsed.expires, now) : checkClockSkew(signedAt, now);
  if (skewFailure) return skewFailure;

  const expected = await computeSignature(req, parsed, account, signedAt, presigned);
  const provided = Buffer.from(parsed.signature, 'hex');
  const computed = Buffer.from(expected, 'hex');
  if (provided.length !== computed.length || !timingSafeEqual(provided, computed)) {
    return {
      kind: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return { accessKeyId: account.accessKeyId, region: parsed.scope.region, service: parsed.scope.service };
}

interface ParsedSignature {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  expires?: number;
}

function parseAuthorizationHeader(req: HttpRequest): ParsedSignature | SigV4Failure {
  const authorization = req.headers.authorization;
  if (!authorization) return { kind: 'MissingAuthenticationToken', message: 'Missing Authentication Token' };
  const match = AUTHORIZATION_PATTERN.exec(authorization);
  const scope = credentialScope(req);
  if (!match || !scope) {
    return {
      kind: 'IncompleteSignature',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${authorization.split(' ')[0]}`,
    };
  }
  const amzDate = req.headers['x-amz-date'];
  if (!amzDate) {
    return { kind: 'IncompleteSignature', message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  }
  return { scope, signedHeaders: match[2].split(';'), signature: match[3], amzDate };
}

function parsePresigned(req: HttpRequest): ParsedSignature | SigV4Failure {
  const scope = credentialScope(req);
  const amzDate = req.query.get('X-Amz-Date');
  const signedHeaders = req.query.get('X-Amz-SignedHeaders');
  const expires = Number(req.query.get('X-Amz-Expires') ?? '900');
  if (req.query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !scope || !amzDate || !signedHeaders || !Number.isInteger(expires)) {
    return {
      kind: 'IncompleteSignature',
      message: 'AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders and X-Amz-Date.',
    };
  }
  return { scope, signedHeaders: signedHeaders.split(';'), signature: req.query.get('X-Amz-Signature') ?? '', amzDate, expires };
}

function checkClockSkew(signedAt: Date, now: Date): SigV4Failure | undefined {
  const skew = signedAt.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    const earliest = new Date(now.getTime() - MAX_CLOCK_SKEW_MS);
    return {
      kind: 'SignatureExpired',
      message: `Signature expired: ${formatAmzDate(signedAt)} is now earlier than ${formatAmzDate(earliest)} (${formatAmzDate(now)} - 5 min.)`,
    };
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    const latest = new Date(now.getTime() + MAX_CLOCK_SKEW_MS);
    return {
      kind: 'SignatureExpired',
      message: `Signature not yet current: ${formatAmzDate(signedAt)} is still later than ${formatAmzDate(latest)} (${formatAmzDate(now)} + 5 min.)`,
    };
  }
  return undefined;
}

function checkPresignedExpiry(signedAt: Date, expiresSeconds: number | undefined, now: Date): SigV4Failure | undefined {
  const expiresAt = signedAt.getTime() + (expiresSeconds ?? 900) * 1000;
  if (now.getTime() > expiresAt) {
    return { kind: 'SignatureExpired', message: 'Request has expired' };
  }
  // A URL signed in the future is refused like a header signature would be.
  return signedAt.getTime() > now.getTime() ? checkClockSkew(signedAt, now) : undefined;
}

async function computeSignature(
  req: HttpRequest,
  parsed: ParsedSignature,
  account: AccountCredentials,
  signedAt: Date,
  presigned: boolean,
): Promise<string> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
    region: parsed.scope.region,
    service: parsed.scope.service,
    sha256: Hash.bind(null, 'sha256'),
    // S3 signs the path as sent; every other service signs it encoded once more.
    uriEscapePath: parsed.scope.service !== 's3',
    applyChecksum: false,
  });
  const signedHeaderSet = new Set(parsed.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const query = queryRecord(req.rawQuery, presigned);
  const hostHeader = req.headers.host ?? '';
  const request = new SmithyRequest({
    method: req.method,
    protocol: 'http:',
    hostname: hostHeader.replace(/:\d+$/, ''),
    path: req.rawPath,
    query,
    headers,
    body: req.body.length > 0 ? req.body : undefined,
  });

  if (presigned) {
    const signed = await signer.presign(request, {
      signingDate: signedAt,
      expiresIn: parsed.expires,
      signableHeaders: signedHeaderSet,
      unhoistableHeaders: new Set(Object.keys(headers)),
    });
    return String(signed.query?.['X-Amz-Signature'] ?? '');
  }
  const signed = await signer.sign(request, { signingDate: signedAt, signableHeaders: signedHeaderSet });
  const authorization = String(signed.headers.authorization ?? signed.headers.Authorization);
  return /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '';
}

/** Query parameters, decoded, with repeated names kept as arrays (the signer sorts and re-encodes them). */
function queryRecord(rawQuery: string, presigned: boolean): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  if (!rawQuery) return record;
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    // A presigned URL's own signature parameters are produced again by the signer.
    if (presigned && name.startsWith('X-Amz-') && name !== 'X-Amz-Security-Token') continue;
    const existing = record[name];
    if (existing === undefined) record[name] = value;
    else record[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return record;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

/** Parse the ISO 8601 basic format of X-Amz-Date, `20150830T123600Z`. */
export function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
