import type { App } from '../../../core/app.ts';
import type { HttpRequest, HttpResponse } from '../../../core/http.ts';
import { authorizeEndpoint } from '../oauth/authorize.ts';
import { revokeEndpoint, tokenEndpoint, userInfoEndpoint } from '../oauth/token-endpoint.ts';
import { messagePage } from './html.ts';
import { confirmForgotPasswordPage, confirmPage, errorPage, forgotPasswordPage, loginPage, logoutPage, signupPage, type PageContext } from './pages.ts';

type FormPage = (ctx: PageContext) => Promise<HttpResponse>;

/** Pages that show a form on GET and take it on POST. */
const FORM_PAGES: Record<string, FormPage> = {
  '/login': loginPage,
  '/signup': signupPage,
  '/confirm': confirmPage,
  '/forgotPassword': forgotPasswordPage,
  '/confirmForgotPassword': confirmForgotPasswordPage,
};

/**
 * Serve one hosted UI or OAuth 2.0 path of a domain. `basePath` is where the
 * domain lives on palisade's host (`/hosted-ui/<domain>`). An unknown path is a
 * 404 page, never a redirect.
 */
export async function servePage(app: App, domain: string, basePath: string, path: string, req: HttpRequest): Promise<HttpResponse> {
  const ctx: PageContext = { app, domain, basePath, req };
  if (path === '/oauth2/authorize') return authorizeEndpoint(app, domain, basePath, req);
  if (path === '/oauth2/token') return tokenEndpoint(app, domain, req);
  if (path === '/oauth2/userInfo') return userInfoEndpoint(app, domain, req);
  if (path === '/oauth2/revoke') return revokeEndpoint(app, domain, req);
  const formPage = FORM_PAGES[path];
  if (formPage) {
    if (req.method !== 'GET' && req.method !== 'POST') return messagePage(405, 'Error', `Method ${req.method} is not allowed on ${path}.`, { allow: 'GET, POST' });
    return formPage(ctx);
  }
  if (req.method === 'GET' && path === '/logout') return logoutPage(ctx);
  if (req.method === 'GET' && path === '/error') return errorPage(ctx);
  return messagePage(404, 'Not found', `The hosted UI has no page ${req.method} ${path}.`);
}
