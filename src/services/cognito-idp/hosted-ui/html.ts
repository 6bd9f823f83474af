import type { HttpResponse } from '../../../core/http.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Inline style only: the pages load nothing from another origin and run no script. */
const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#16191f}',
  'main{max-width:24rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:6px;box-shadow:0 1px 3px #0002}',
  'h1{font-size:1.3rem;margin-top:0}',
  'label{display:block;margin:.8rem 0 .2rem;font-weight:600}',
  'input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #879596;border-radius:4px}',
  'button{margin-top:1.2rem;width:100%;padding:.7rem;font-size:1rem;background:#0972d3;color:#fff;border:0;border-radius:4px}',
  '.error{background:#fde8e8;border:1px solid #d13212;padding:.6rem;border-radius:4px}',
  '.notice{background:#e8f4fd;border:1px solid #0972d3;padding:.6rem;border-radius:4px}',
  'p.links{margin-top:1rem;font-size:.9rem}',
].join('');

/**
 * Security headers of every hosted UI page: no framing, no script and no
 * resource from any other origin (Content-Security-Policy), no caching.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Render a whole page around `content`, which the caller has already escaped. */
export function page(status: number, title: string, content: string, headers: Record<string, string> = {}): HttpResponse {
  const body =
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1>${content}</main></body></html>\n`;
  return { status, headers: { ...PAGE_HEADERS, ...headers }, body };
}

/** Render a page that shows one message, for errors and confirmations. */
export function messagePage(status: number, title: string, message: string, headers: Record<string, string> = {}): HttpResponse {
  return page(status, title, `<p class="${status >= 400 ? 'error' : 'notice'}">${escapeHtml(message)}</p>`, headers);
}

export function errorBox(message: string | undefined): string {
  return message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '';
}

export function noticeBox(message: string | undefined): string {
  return message ? `<p class="notice">${escapeHtml(message)}</p>` : '';
}

export interface Field {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password';
  autocomplete?: string;
  value?: string;
}

/** Render a POST form to `action` (same origin) with the hidden values first, then the visible fields. */
export function form(action: string, hidden: Record<string, string>, fields: Field[], submit: string): string {
  const hiddenInputs = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const visible = fields
    .map((field) => {
      const value = field.value === undefined ? '' : ` value="${escapeHtml(field.value)}"`;
      const autocomplete = field.autocomplete ? ` autocomplete="${field.autocomplete}"` : '';
      return `<label for="${field.name}">${escapeHtml(field.label)}</label>` +
        `<input id="${field.name}" name="${field.name}" type="${field.type}" required${autocomplete}${value}>`;
    })
    .join('');
  return `<form method="post" action="${escapeHtml(action)}">${hiddenInputs}${visible}<button type="submit">${escapeHtml(submit)}</button></form>`;
}

export function link(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}

/** Build a 302 redirect. Callers pass only URLs checked against the client's registered URLs, or paths of the hosted UI itself. */
export function redirect(location: string, headers: Record<string, string> = {}): HttpResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store', ...headers } };
}
