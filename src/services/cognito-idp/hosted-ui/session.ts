import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { App } from '../../../core/app.ts';
import type { HttpRequest } from '../../../core/http.ts';
import { SERVICE } from '../records.ts';

/** Hosted UI sign-in sessions last one hour, as Cognito's managed login session cookie does. */
export const SESSION_LIFETIME_MS = 60 * 60 * 1000;
const SESSION_COOKIE = 'cognito';
const CSRF_COOKIE = 'XSRF-TOKEN';

/** A hosted UI sign-in, stored under the SHA-256 of the cookie's random id so logout can end it. */
export interface HostedUiSessionRecord {
  UserPoolId: string;
  Username: string;
  authTime: number;
  expiresAt: number;
}

/** Return the pool's hosted UI HMAC key, created on first use and sealed at rest. */
function poolKey(app: App, userPoolId: string): Buffer {
  const stored = app.store.get<{ sealedKey: string }>(SERVICE, 'hosted-ui-key', userPoolId);
  if (stored) return Buffer.from(app.store.openString(stored.sealedKey), 'base64');
  const key = randomBytes(32);
  app.store.put(SERVICE, 'hosted-ui-key', userPoolId, { sealedKey: app.store.seal(key.toString('base64')) });
  return key;
}

function mac(app: App, userPoolId: string, value: string): string {
  return createHmac('sha256', poolKey(app, userPoolId)).update(value).digest('base64url');
}

function equalStrings(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function readCookies(req: HttpRequest): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * Build a Set-Cookie value. Every domain is served under its own path on
 * palisade's single host, so the path keeps one domain's cookies from another.
 * NOTE: `Secure` is set only when palisade serves HTTPS; AWS always sets it.
 */
function cookie(app: App, basePath: string, name: string, value: string, maxAgeSeconds: number): string {
  const secure = app.endpoint.startsWith('https:') ? '; Secure' : '';
  return `${name}=${value}; Path=${basePath}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Start a session after a sign-in and return its Set-Cookie header value: `<random id>.<HMAC of id with the pool key>`. */
export function startSession(app: App, basePath: string, userPoolId: string, username: string, authTime: number): string {
  const id = randomBytes(32).toString('base64url');
  const record: HostedUiSessionRecord = { UserPoolId: userPoolId, Username: username, authTime, expiresAt: Date.now() + SESSION_LIFETIME_MS };
  app.store.put(SERVICE, 'hosted-ui-session', hashId(id), record);
  return cookie(app, basePath, SESSION_COOKIE, `${id}.${mac(app, userPoolId, id)}`, SESSION_LIFETIME_MS / 1000);
}

/** Find the live session the request's cookie names, checking its signature, pool and expiry. */
export function currentSession(app: App, req: HttpRequest, userPoolId: string): { id: string; record: HostedUiSessionRecord } | undefined {
  const value = readCookies(req).get(SESSION_COOKIE);
  if (!value) return undefined;
  const [id, signature] = value.split('.');
  if (!id || !signature || !equalStrings(signature, mac(app, userPoolId, id))) return undefined;
  const record = app.store.get<HostedUiSessionRecord>(SERVICE, 'hosted-ui-session', hashId(id));
  if (!record || record.UserPoolId !== userPoolId || record.expiresAt <= Date.now()) return undefined;
  return { id: hashId(id), record };
}

/** End the request's session, if any, and return the Set-Cookie value that clears the cookie. */
export function endSession(app: App, req: HttpRequest, basePath: string, userPoolId: string): string {
  const session = currentSession(app, req, userPoolId);
  if (session) app.store.delete(SERVICE, 'hosted-ui-session', session.id);
  return cookie(app, basePath, SESSION_COOKIE, '', 0);
}

/**
 * Return the CSRF token a form carries, reusing the request's XSRF-TOKEN
 * cookie or minting one. The form field is the HMAC of the cookie with the
 * pool key, so a request must present both (double-submit cookie).
 */
export function csrfToken(app: App, req: HttpRequest, basePath: string, userPoolId: string): { field: string; setCookie?: string } {
  const existing = readCookies(req).get(CSRF_COOKIE);
  if (existing && /^[\w-]{43}$/.test(existing)) return { field: mac(app, userPoolId, `csrf:${existing}`) };
  const token = randomBytes(32).toString('base64url');
  return { field: mac(app, userPoolId, `csrf:${token}`), setCookie: cookie(app, basePath, CSRF_COOKIE, token, SESSION_LIFETIME_MS / 1000) };
}

export function checkCsrf(app: App, req: HttpRequest, userPoolId: string, field: string | null): boolean {
  const token = readCookies(req).get(CSRF_COOKIE);
  if (!token || !field) return false;
  return equalStrings(field, mac(app, userPoolId, `csrf:${token}`));
}
