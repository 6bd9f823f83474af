/** The HTTP request and response shapes every palisade handler works with. */
export interface HttpRequest {
  method: string;
  /** Path as received, still percent-encoded, without the query string. */
  rawPath: string;
  /** Path after percent-decoding. */
  path: string;
  /** Query string as received, without the leading `?`. */
  rawQuery: string;
  query: URLSearchParams;
  /** Header names are lower-case; repeated headers are joined with ", " as RFC 9110 §5.3 allows. */
  headers: Record<string, string>;
  body: Buffer;
  remoteAddress: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function header(req: HttpRequest, name: string): string | undefined {
  return req.headers[name.toLowerCase()];
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(value),
  };
}

/** Build an HttpRequest from parts, for in-process callers and tests. */
export function makeRequest(parts: {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  remoteAddress?: string;
}): HttpRequest {
  const queryIndex = parts.url.indexOf('?');
  const rawPath = queryIndex === -1 ? parts.url : parts.url.slice(0, queryIndex);
  const rawQuery = queryIndex === -1 ? '' : parts.url.slice(queryIndex + 1);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parts.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    method: (parts.method ?? 'GET').toUpperCase(),
    rawPath,
    path: safeDecode(rawPath),
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: typeof parts.body === 'string' ? Buffer.from(parts.body) : (parts.body ?? Buffer.alloc(0)),
    remoteAddress: parts.remoteAddress ?? '127.0.0.1',
  };
}

export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
