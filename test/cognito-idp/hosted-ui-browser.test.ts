import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { chromium, type BrowserContext } from 'playwright-core';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { cognitoClient, createLabPool, type LabPool } from './lab-pool.ts';
import { CALLBACK, basic, hostedUi, pkcePair, postForm } from './oauth-helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package chromium)`;
const EMAIL = 'browser-user@example.com';
const PASSWORD = 'Correct-Horse-9';

let palisade: TestPalisade;
let lab: LabPool;
let context: BrowserContext | undefined;
let userDataDir: string | undefined;

before(async () => {
  palisade = await startTestPalisade();
  lab = await createLabPool(cognitoClient(palisade), 'walab-browser');
});
after(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await palisade.stop();
});

/**
 * Launch Chromium with a fresh profile that resolves no host name, so the
 * browser can reach palisade on 127.0.0.1 and nothing else.
 */
async function launch(): Promise<BrowserContext> {
  userDataDir = mkdtempSync(join(tmpdir(), 'palisade-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

test('hosted UI sign-up, link, PKCE sign-in', { skip, timeout: 50_000 }, async () => {
  context = await launch();
  const page = context.pages()[0] ?? (await context.newPage());
  const base = hostedUi(palisade, lab.domain);
  const foreignRequests: string[] = [];
  // Abort every request that is not for palisade: the callback must never load.
  await page.route((url) => url.hostname !== '127.0.0.1', async (route) => {
    foreignRequests.push(route.request().url());
    await route.abort();
  });
  // Take the sign-in POST's response here so the browser never follows its redirect to the callback.
  let callbackLocation: string | undefined;
  await page.route(`${base}/login`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    callbackLocation = response.headers().location;
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'redirect captured' });
  });

  const pkce = pkcePair();
  const query = new URLSearchParams({
    client_id: lab.clientId,
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: CALLBACK,
    state: 'browser-state',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  });

  await page.goto(`${base}/signup?${query}`);
  await page.fill('#username', EMAIL);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('text=Check your email');

  const mail = palisade.app.mail.list().find((message) => message.recipient === EMAIL);
  assert.ok(mail?.link, 'the sign-up sent no confirmation link');
  assert.ok(mail.link.startsWith(`${base}/confirmUser?`));
  await page.goto(mail.link);
  assert.match(await page.textContent('body') ?? '', /Your registration has been confirmed!/);

  await page.goto(`${base}/oauth2/authorize?${query}`);
  assert.equal(new URL(page.url()).pathname, `/hosted-ui/${lab.domain}/login`);
  await page.fill('#username', EMAIL);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('text=redirect captured');

  assert.ok(callbackLocation, 'the sign-in returned no redirect');
  const location = new URL(callbackLocation);
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
  assert.equal(location.searchParams.get('state'), 'browser-state');
  const code = location.searchParams.get('code')!;
  assert.match(code, /^[0-9a-f-]{36}$/);

  const tokenResponse = await postForm(
    `${base}/oauth2/token`,
    { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: pkce.verifier },
    undefined,
    basic(lab.clientId, lab.clientSecret),
  );
  assert.equal(tokenResponse.status, 200);
  const tokens = await tokenResponse.json();
  const jwks = createLocalJWKSet(await (await fetch(`${palisade.url}/${lab.userPoolId}/.well-known/jwks.json`)).json());
  const iss = `https://cognito-idp.us-east-1.amazonaws.com/${lab.userPoolId}`;
  const id = await jwtVerify(tokens.id_token, jwks, { issuer: iss, audience: lab.clientId });
  assert.equal(id.payload.email, EMAIL);
  assert.equal(id.payload.email_verified, true);
  const access = await jwtVerify(tokens.access_token, jwks, { issuer: iss });
  assert.equal(access.payload.token_use, 'access');
  assert.equal(access.payload.scope, 'openid email');
  assert.deepEqual(foreignRequests, []);
});
