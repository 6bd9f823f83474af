import type { App } from '../../../core/app.ts';
import { AwsError } from '../../../core/errors.ts';
import type { HttpRequest, HttpResponse } from '../../../core/http.ts';
import { log } from '../../../core/log.ts';
import { findDomain } from '../pools.ts';
import { findClient, type UserPoolClientRecord, type UserPoolRecord } from '../records.ts';
import { computeSecretHash } from '../secret-hash.ts';
import { authorizeParameters, checkAuthorizeRequest, failureLocation, type AuthorizeRequest } from '../oauth/authorize-request.ts';
import { completeAuthorization } from '../oauth/authorize.ts';
import { errorBox, form, link, messagePage, noticeBox, page, redirect, type Field } from './html.ts';
import { checkCsrf, csrfToken, endSession, startSession } from './session.ts';
import { authenticateOnHostedUi } from './sign-in.ts';

/** Context of one hosted UI request: the domain, its base path on palisade's host, and the request. */
export interface PageContext {
  app: App;
  domain: string;
  basePath: string;
  req: HttpRequest;
}

type Form = URLSearchParams;

function readForm(req: HttpRequest): Form {
  return new URLSearchParams(req.body.toString('utf8'));
}

/** Parameters of the request: the query on GET, the form on POST. */
function parametersOf(ctx: PageContext): URLSearchParams {
  return ctx.req.method === 'POST' ? readForm(ctx.req) : ctx.req.query;
}

/**
 * Check the authorization parameters a page carries. Every page except
 * confirmUser and logout works inside an authorization request, as Cognito's do.
 */
function authorizeOrFail(ctx: PageContext, parameters: URLSearchParams): AuthorizeRequest | HttpResponse {
  const check = checkAuthorizeRequest(ctx.app, ctx.domain, parameters);
  if (check.kind === 'page') return messagePage(400, 'Error', check.message);
  if (check.kind === 'redirect') return redirect(failureLocation(check));
  return check.request;
}

function pageHref(ctx: PageContext, pageName: string, parameters: URLSearchParams, extra: Record<string, string> = {}): string {
  const query = authorizeParameters(parameters);
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  return `${ctx.basePath}/${pageName}?${query.toString()}`;
}

/** Render a form page with the CSRF token and the authorization parameters as hidden fields. */
function formPage(ctx: PageContext, request: AuthorizeRequest, options: {
  title: string;
  pageName: string;
  fields: Field[];
  submit: string;
  error?: string;
  notice?: string;
  extraHidden?: Record<string, string>;
  links?: string;
}): HttpResponse {
  const csrf = csrfToken(ctx.app, ctx.req, ctx.basePath, request.pool.Id);
  const hidden = { _csrf: csrf.field, ...Object.fromEntries(authorizeParameters(request.parameters)), ...options.extraHidden };
  const content = noticeBox(options.notice) + errorBox(options.error) +
    form(`${ctx.basePath}/${options.pageName}`, hidden, options.fields, options.submit) + (options.links ?? '');
  return page(options.error ? 400 : 200, options.title, content, csrf.setCookie ? { 'set-cookie': csrf.setCookie } : {});
}

function signInName(pool: UserPoolRecord): { label: string; type: 'text' | 'email' } {
  const attributes: string[] = pool.settings.UsernameAttributes ?? [];
  if (attributes.length === 1 && attributes[0] === 'email') return { label: 'Email', type: 'email' };
  if (attributes.length > 0) return { label: 'Email or phone number', type: 'text' };
  return { label: 'Username', type: 'text' };
}

/** Compute the SECRET_HASH the API needs on the server, so the client secret never reaches the browser. */
function secretHashFor(ctx: PageContext, client: UserPoolClientRecord, username: string): string | undefined {
  return client.sealedSecret ? computeSecretHash(ctx.app.store.openString(client.sealedSecret), username, client.ClientId) : undefined;
}

/** Return the message the page shows for an API error; other failures propagate. */
function apiMessage(error: unknown): string {
  if (error instanceof AwsError) return error.message;
  throw error;
}

function rejectCsrf(): HttpResponse {
  return messagePage(403, 'Error', 'Invalid or missing CSRF token. Reload the page and try again.');
}

// --- /login -----------------------------------------------------------------

function loginForm(ctx: PageContext, request: AuthorizeRequest, error?: string, notice?: string, username?: string): HttpResponse {
  const name = signInName(request.pool);
  const links = `<p class="links">${link(pageHref(ctx, 'forgotPassword', request.parameters), 'Forgot your password?')}</p>` +
    (request.pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly ? '' : `<p class="links">Need an account? ${link(pageHref(ctx, 'signup', request.parameters), 'Sign up')}</p>`);
  return formPage(ctx, request, {
    title: 'Sign in',
    pageName: 'login',
    fields: [
      { name: 'username', label: name.label, type: name.type, autocomplete: 'username', value: username },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
    ],
    submit: 'Sign in',
    error,
    notice,
    links,
  });
}

export async function loginPage(ctx: PageContext): Promise<HttpResponse> {
  const parameters = parametersOf(ctx);
  const request = authorizeOrFail(ctx, parameters);
  if (!('pool' in request)) return request;
  if (ctx.req.method === 'GET') return loginForm(ctx, request, undefined, ctx.req.query.get('notice') === 'confirmed' ? 'Your account is confirmed. Sign in to continue.' : undefined);
  if (!checkCsrf(ctx.app, ctx.req, request.pool.Id, parameters.get('_csrf'))) return rejectCsrf();
  const username = parameters.get('username') ?? '';
  const password = parameters.get('password') ?? '';
  if (username === '' || password === '') return loginForm(ctx, request, 'Missing username or password.', undefined, username);
  let user;
  try {
    user = await authenticateOnHostedUi(ctx.app, request.pool, request.client, username, password);
  } catch (error) {
    return loginForm(ctx, request, apiMessage(error), undefined, username);
  }
  const authTime = Math.floor(Date.now() / 1000);
  const sessionCookie = startSession(ctx.app, ctx.basePath, request.pool.Id, user.Username, authTime);
  return completeAuthorization(ctx.app, request, user, authTime, { 'set-cookie': sessionCookie });
}

// --- /signup and /confirm -----------------------------------------------------

function signupForm(ctx: PageContext, request: AuthorizeRequest, error?: string, values: Form = new URLSearchParams()): HttpResponse {
  const name = signInName(request.pool);
  const fields: Field[] = [{ name: 'username', label: name.label, type: name.type, autocomplete: 'username', value: values.get('username') ?? undefined }];
  if (!(request.pool.settings.UsernameAttributes ?? []).includes('email')) {
    fields.push({ name: 'email', label: 'Email', type: 'email', autocomplete: 'email', value: values.get('email') ?? undefined });
  }
  fields.push({ name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' });
  const links = `<p class="links">Already have an account? ${link(pageHref(ctx, 'login', request.parameters), 'Sign in')}</p>`;
  return formPage(ctx, request, { title: 'Sign up', pageName: 'signup', fields, submit: 'Sign up', error, links });
}

/** GET shows the form; POST signs the user up through the SignUp operation, so the pool's rules and messages apply unchanged. */
export async function signupPage(ctx: PageContext): Promise<HttpResponse> {
  const parameters = parametersOf(ctx);
  const request = authorizeOrFail(ctx, parameters);
  if (!('pool' in request)) return request;
  if (ctx.req.method === 'GET') return signupForm(ctx, request);
  if (!checkCsrf(ctx.app, ctx.req, request.pool.Id, parameters.get('_csrf'))) return rejectCsrf();
  const username = parameters.get('username') ?? '';
  const emailAsUsername = (request.pool.settings.UsernameAttributes ?? []).includes('email');
  const email = emailAsUsername ? username : (parameters.get('email') ?? '');
  const attributes = email === '' ? [] : [{ Name: 'email', Value: email }];
  let output: { UserConfirmed: boolean; CodeDeliveryDetails?: { Destination: string } };
  try {
    output = await ctx.app.call('cognito-idp', 'SignUp', {
      ClientId: request.client.ClientId,
      Username: username,
      Password: parameters.get('password') ?? '',
      SecretHash: secretHashFor(ctx, request.client, username),
      UserAttributes: attributes,
    });
  } catch (error) {
    return signupForm(ctx, request, apiMessage(error), parameters);
  }
  log('info', 'cognito-idp', 'user signed up through hosted UI', { userPoolId: request.pool.Id, clientId: request.client.ClientId });
  if (output.UserConfirmed) return redirect(pageHref(ctx, 'login', request.parameters));
  const byLink = request.pool.settings.VerificationMessageTemplate?.DefaultEmailOption === 'CONFIRM_WITH_LINK';
  if (byLink && output.CodeDeliveryDetails) {
    return messagePage(200, 'Check your email', `We have sent a link to ${output.CodeDeliveryDetails.Destination}. Open it to confirm your account, then sign in.`);
  }
  return redirect(pageHref(ctx, 'confirm', request.parameters, { username }));
}

function confirmForm(ctx: PageContext, request: AuthorizeRequest, username: string, error?: string): HttpResponse {
  return formPage(ctx, request, {
    title: 'Confirm your account',
    pageName: 'confirm',
    fields: [{ name: 'code', label: 'Verification code', type: 'text', autocomplete: 'one-time-code' }],
    submit: 'Confirm account',
    error,
    notice: 'We have sent a code by email or SMS. Enter it below to confirm your account.',
    extraHidden: { username },
  });
}

/** GET shows the code form; POST confirms through ConfirmSignUp, then sends the user to sign in. */
export async function confirmPage(ctx: PageContext): Promise<HttpResponse> {
  const parameters = parametersOf(ctx);
  const request = authorizeOrFail(ctx, parameters);
  if (!('pool' in request)) return request;
  const username = parameters.get('username') ?? '';
  if (ctx.req.method === 'GET') return confirmForm(ctx, request, username);
  if (!checkCsrf(ctx.app, ctx.req, request.pool.Id, parameters.get('_csrf'))) return rejectCsrf();
  try {
    await ctx.app.call('cognito-idp', 'ConfirmSignUp', {
      ClientId: request.client.ClientId,
      Username: username,
      ConfirmationCode: parameters.get('code') ?? '',
      SecretHash: secretHashFor(ctx, request.client, username),
    });
  } catch (error) {
    return confirmForm(ctx, request, username, apiMessage(error));
  }
  // NOTE: Cognito's managed login signs the user in right after confirming, but palisade shows the sign-in page instead.
  return redirect(pageHref(ctx, 'login', request.parameters, { notice: 'confirmed' }));
}

// --- /forgotPassword and /confirmForgotPassword --------------------------------

function forgotForm(ctx: PageContext, request: AuthorizeRequest, error?: string): HttpResponse {
  const name = signInName(request.pool);
  return formPage(ctx, request, {
    title: 'Forgot your password?',
    pageName: 'forgotPassword',
    fields: [{ name: 'username', label: name.label, type: name.type, autocomplete: 'username' }],
    submit: 'Reset my password',
    error,
    notice: 'Enter your sign-in name below and we will send a message to reset your password.',
  });
}

export async function forgotPasswordPage(ctx: PageContext): Promise<HttpResponse> {
  const parameters = parametersOf(ctx);
  const request = authorizeOrFail(ctx, parameters);
  if (!('pool' in request)) return request;
  if (ctx.req.method === 'GET') return forgotForm(ctx, request);
  if (!checkCsrf(ctx.app, ctx.req, request.pool.Id, parameters.get('_csrf'))) return rejectCsrf();
  const username = parameters.get('username') ?? '';
  try {
    await ctx.app.call('cognito-idp', 'ForgotPassword', {
      ClientId: request.client.ClientId,
      Username: username,
      SecretHash: secretHashFor(ctx, request.client, username),
    });
  } catch (error) {
    return forgotForm(ctx, request, apiMessage(error));
  }
  return redirect(pageHref(ctx, 'confirmForgotPassword', request.parameters, { username }));
}

function confirmForgotForm(ctx: PageContext, request: AuthorizeRequest, username: string, error?: string): HttpResponse {
  return formPage(ctx, request, {
    title: 'Reset your password',
    pageName: 'confirmForgotPassword',
    fields: [
      { name: 'code', label: 'Code', type: 'text', autocomplete: 'one-time-code' },
      { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password' },
    ],
    submit: 'Change password',
    error,
    notice: 'We have sent a password reset code. Enter it below with your new password.',
    extraHidden: { username },
  });
}

export async function confirmForgotPasswordPage(ctx: PageContext): Promise<HttpResponse> {
  const parameters = parametersOf(ctx);
  const request = authorizeOrFail(ctx, parameters);
  if (!('pool' in request)) return request;
  const username = parameters.get('username') ?? '';
  if (ctx.req.method === 'GET') return confirmForgotForm(ctx, request, username);
  if (!checkCsrf(ctx.app, ctx.req, request.pool.Id, parameters.get('_csrf'))) return rejectCsrf();
  try {
    await ctx.app.call('cognito-idp', 'ConfirmForgotPassword', {
      ClientId: request.client.ClientId,
      Username: username,
      ConfirmationCode: parameters.get('code') ?? '',
      Password: parameters.get('password') ?? '',
      SecretHash: secretHashFor(ctx, request.client, username),
    });
  } catch (error) {
    return confirmForgotForm(ctx, request, username, apiMessage(error));
  }
  return redirect(pageHref(ctx, 'login', request.parameters));
}

// --- /logout ----------------------------------------------------------------

/**
 * GET /logout: end the hosted UI session, then redirect to `logout_uri`
 * when it is one of the client's LogoutURLs, or back to sign-in when the
 * request carries `redirect_uri` and `response_type` (logout endpoint,
 * Cognito developer guide). Anything else shows an error page.
 */
export function logoutPage(ctx: PageContext): HttpResponse {
  const domain = findDomain(ctx.app, ctx.domain);
  if (!domain) return messagePage(404, 'Not found', 'This domain is not configured for a user pool.');
  const query = ctx.req.query;
  const client = findClient(ctx.app, query.get('client_id'));
  if (!client || client.UserPoolId !== domain.UserPoolId) return messagePage(400, 'Error', 'An error was encountered with the requested page. (invalid client_id)');
  const logoutUri = query.get('logout_uri');
  if (logoutUri !== null) {
    const registered: string[] = client.settings.LogoutURLs ?? [];
    if (!registered.includes(logoutUri)) return messagePage(400, 'Error', 'An error was encountered with the requested page. (logout_uri is not registered)');
    return redirect(logoutUri, { 'set-cookie': endSession(ctx.app, ctx.req, ctx.basePath, domain.UserPoolId) });
  }
  if (query.has('redirect_uri') && query.has('response_type')) {
    const request = authorizeOrFail(ctx, query);
    if (!('pool' in request)) return request;
    return redirect(pageHref(ctx, 'login', request.parameters), { 'set-cookie': endSession(ctx.app, ctx.req, ctx.basePath, domain.UserPoolId) });
  }
  return messagePage(400, 'Error', 'An error was encountered with the requested page. (missing logout_uri)');
}

/** GET /error: the page Cognito redirects to for a request it cannot return to the client. */
export function errorPage(ctx: PageContext): HttpResponse {
  const error = ctx.req.query.get('error') ?? 'unknown';
  return messagePage(400, 'Error', `An error was encountered with the requested page. (${error})`);
}
