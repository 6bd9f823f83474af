import type { WebRequest } from '../../../core/seams.ts';

/**
 * A web request as the engine inspects it. Every text is a binary string
 * (one character per byte, latin1), so search strings, transformations and
 * detectors all work on the bytes AWS WAF inspects.
 */
export interface InspectedRequest {
  method: string;
  uriPath: string;
  queryString: string;
  /** Query arguments with names and values URL-decoded, in order. */
  queryArguments: [string, string][];
  /** Header names lower-cased, values as received. */
  headers: [string, string][];
  cookies: [string, string][];
  body: string;
  bodySize: number;
  source: WebRequest;
  /** Transformed components computed so far for this request (component-cache.ts). */
  transformed: Map<object, Map<object, unknown>> | undefined;
  /** SQL-injection verdicts computed so far for this request (compile.ts). */
  sqliVerdicts: SqliVerdicts | undefined;
}

/** For each value judged, the lowest SensitivityLevel at which it reads as SQL injection. */
export type SqliVerdicts = { value: string; lowest: 'LOW' | 'HIGH' | 'NONE' }[];

export function inspectRequest(request: WebRequest): InspectedRequest {
  const headers = request.headers.map(([name, value]): [string, string] => [name.toLowerCase(), toBinary(value)]);
  return {
    method: request.method,
    uriPath: toBinary(request.uriPath),
    queryString: toBinary(request.queryString),
    queryArguments: parseQueryArguments(request.queryString),
    headers,
    cookies: parseCookies(headers),
    body: request.body.toString('latin1'),
    bodySize: request.body.length,
    source: request,
    transformed: undefined,
    sqliVerdicts: undefined,
  };
}

const ASCII = /^[\x00-\x7f]*$/;

/** UTF-8 text as a binary string of its bytes (ASCII text is already one). */
export function toBinary(text: string): string {
  if (ASCII.test(text)) return text;
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Percent-decode to bytes (and `+` to space, as in form encoding), leaving invalid escapes as they are. */
export function percentDecode(text: string, plusAsSpace: boolean): string {
  if (!text.includes('%') && !(plusAsSpace && text.includes('+'))) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch === '+' && plusAsSpace) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

function parseQueryArguments(queryString: string): [string, string][] {
  if (!queryString) return [];
  return toBinary(queryString)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair): [string, string] => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      const value = equals < 0 ? '' : pair.slice(equals + 1);
      return [percentDecode(name, true), percentDecode(value, true)];
    });
}

function parseCookies(headers: [string, string][]): [string, string][] {
  const cookies: [string, string][] = [];
  for (const [name, value] of headers) {
    if (name !== 'cookie') continue;
    for (const part of value.split(';')) {
      const trimmed = part.trim();
      if (!trimmed) continue;
      const equals = trimmed.indexOf('=');
      cookies.push(equals < 0 ? [trimmed, ''] : [trimmed.slice(0, equals), trimmed.slice(equals + 1)]);
    }
  }
  return cookies;
}
