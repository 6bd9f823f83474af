import { createHash, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import type { TestPalisade } from '../support/palisade.ts';

export const CALLBACK = 'https://example.com/callback';

/** Generate a PKCE verifier and its S256 challenge (RFC 7636 §4.1 and §4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A minimal cookie jar for fetch: keeps name=value pairs from Set-Cookie, drops cleared ones. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

/** Base URL of a domain's hosted UI on palisade. */
export function hostedUi(palisade: TestPalisade, domain: string): string {
  return `${palisade.url}/hosted-ui/${domain}`;
}

/** GET without following redirects, with the jar's cookies. */
export async function get(url: string, jar?: CookieJar): Promise<Response> {
  const response = await fetch(url, { redirect: 'manual', headers: jar ? { cookie: jar.header() } : {} });
  jar?.store(response);
  return response;
}

export async function postForm(url: string, form: Record<string, string>, jar?: CookieJar, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(jar ? { cookie: jar.header() } : {}), ...headers },
    body: new URLSearchParams(form).toString(),
  });
  jar?.store(response);
  return response;
}

/** Read the hidden fields of the first form on a page. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1]] = match[2].replace(/&#(\d+);/g, (_all, code: string) => String.fromCharCode(Number(code)));
  }
  return fields;
}

export function basic(clientId: string, clientSecret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` };
}

/**
 * Sign in on the hosted UI's /login page for an authorization request and
 * return the redirect's Location, which is not followed.
 */
export async function signInForLocation(base: string, query: URLSearchParams, username: string, password: string, jar = new CookieJar()): Promise<URL> {
  const form = await get(`${base}/login?${query}`, jar);
  assert.equal(form.status, 200);
  const hidden = hiddenFields(await form.text());
  const response = await postForm(`${base}/login`, { ...hidden, username, password }, jar);
  assert.equal(response.status, 302, `sign-in returned ${response.status}: ${await response.text()}`);
  return new URL(response.headers.get('location')!);
}
