import { request as httpRequest } from 'node:http';
import type { App } from '../../core/app.ts';
import { makeRequest, type HttpResponse } from '../../core/http.ts';
import type { Config } from './config.ts';

/** A viewer request as the edge received it, headers in received order with names as sent. */
export interface ViewerRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: [string, string][];
  body: Buffer;
  clientIp: string;
}

export type OriginOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer }
  | { kind: 'not-served'; url: string }
  | { kind: 'unreachable'; error: string }
  | { kind: 'timeout' };

/**
 * Viewer headers CloudFront removes when the behaviour does not forward them
 * (Developer Guide, "HTTP request headers and CloudFront behavior (custom and
 * Amazon S3 origins)"); other-defined headers pass through. Host, User-Agent,
 * Via, X-Forwarded-For, X-Amz-Cf-Id and Cookie are set separately.
 */
const REMOVED = new Set([
  'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'expect', 'proxy-authenticate', 'proxy-authorization',
  'proxy-connection', 'referer', 'te', 'trailer', 'upgrade', 'x-forwarded-proto', 'x-http-method-override', 'x-real-ip',
  // Hop-by-hop or recomputed by the edge.
  'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'user-agent', 'via', 'x-forwarded-for', 'x-amz-cf-id', 'cookie',
]);

/** Headers the behaviour's legacy ForwardedValues names (lower-case), or '*' for all. */
export function forwardedHeaderNames(behavior: Config): Set<string> {
  return new Set(((behavior.ForwardedValues.Headers?.Items ?? []) as string[]).map((name) => name.toLowerCase()));
}

/** The viewer's cookies the behaviour forwards (`Cookies.Forward` none, all or whitelist with `*`/`?` wildcards). */
export function forwardedCookies(viewer: ViewerRequest, behavior: Config): string | undefined {
  const cookies = behavior.ForwardedValues.Cookies;
  const header = viewer.headers.filter(([name]) => name.toLowerCase() === 'cookie').map(([, value]) => value).join('; ');
  if (!header || cookies.Forward === 'none') return undefined;
  if (cookies.Forward === 'all') return header;
  const patterns = ((cookies.WhitelistedNames?.Items ?? []) as string[]).map(globPattern);
  const kept = header.split(';').map((pair) => pair.trim()).filter((pair) => patterns.some((pattern) => pattern.test(pair.split('=')[0])));
  return kept.length ? kept.join('; ') : undefined;
}

function globPattern(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** Build the headers of the origin request. */
export function originHeaders(options: {
  viewer: ViewerRequest;
  behavior: Config;
  origin: Config;
  requestId: string;
  via: string;
  insertHeaders: [string, string][];
}): Record<string, string> {
  const { viewer, behavior, origin } = options;
  const forwarded = forwardedHeaderNames(behavior);
  const forwardAll = forwarded.has('*');
  const cachedMethods: string[] = behavior.AllowedMethods.CachedMethods.Items;
  const headers: Record<string, string> = {};
  for (const [rawName, value] of options.viewer.headers) {
    const name = rawName.toLowerCase();
    const listed = forwardAll || forwarded.has(name);
    if (name === 'authorization') {
      // Authorization is removed from GET and HEAD (and cached OPTIONS) unless listed; other methods keep it.
      const stripped = ['GET', 'HEAD'].includes(viewer.method) || (viewer.method === 'OPTIONS' && cachedMethods.includes('OPTIONS'));
      if (!listed && stripped) continue;
    } else if (REMOVED.has(name) && !(listed && ['accept', 'accept-charset', 'accept-language', 'referer', 'host', 'user-agent'].includes(name))) {
      continue;
    } else if (name.startsWith('x-edge-')) {
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const cookie = forwardedCookies(viewer, behavior);
  if (cookie) headers.cookie = cookie;
  if (!headers.host) headers.host = origin.DomainName;
  if (!headers['user-agent']) headers['user-agent'] = 'Amazon CloudFront';
  const viewerVia = viewer.headers.filter(([name]) => name.toLowerCase() === 'via').map(([, value]) => value);
  headers.via = [...viewerVia, options.via].join(', ');
  const viewerForwardedFor = viewer.headers.filter(([name]) => name.toLowerCase() === 'x-forwarded-for').map(([, value]) => value);
  headers['x-forwarded-for'] = [...viewerForwardedFor, viewer.clientIp].join(',');
  for (const [name, value] of options.insertHeaders) headers[name.toLowerCase()] = value;
  // Origin custom headers replace a viewer header of the same name (Developer Guide, "Adding custom headers to origin requests").
  for (const custom of (origin.CustomHeaders?.Items ?? []) as { HeaderName: string; HeaderValue: string }[]) {
    headers[custom.HeaderName.toLowerCase()] = custom.HeaderValue;
  }
  headers['x-amz-cf-id'] = options.requestId;
  if (viewer.body.length) headers['content-length'] = String(viewer.body.length);
  return headers;
}

/** The AWS URL of the origin request: scheme from OriginProtocolPolicy, OriginPath + viewer path, query when forwarded. */
export function originUrl(origin: Config, behavior: Config, viewer: ViewerRequest, path: string): string {
  const custom = origin.CustomOriginConfig;
  const https = custom.OriginProtocolPolicy !== 'http-only';
  const port: number = https ? custom.HTTPSPort : custom.HTTPPort;
  const portPart = port === (https ? 443 : 80) ? '' : `:${port}`;
  const query = behavior.ForwardedValues.QueryString && viewer.rawQuery ? `?${viewer.rawQuery}` : '';
  return `${https ? 'https' : 'http'}://${origin.DomainName}${portPart}${origin.OriginPath}${path}${query}`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Send the origin request to the loopback URL palisade serves the origin on:
 * in-process through the endpoint when the origin is on it, else over HTTP
 * to loopback. An origin palisade does not serve is never contacted.
 */
export async function sendToOrigin(app: App, awsUrl: string, method: string, headers: Record<string, string>, body: Buffer, timeoutSeconds: number): Promise<OriginOutcome> {
  const local = app.localUrl(awsUrl);
  if (!local) return { kind: 'not-served', url: awsUrl };
  const endpoint = app.endpoint;
  if (app.endpointRouter && (local === endpoint || local.startsWith(`${endpoint}/`))) {
    const response = await app.endpointRouter(makeRequest({ method, url: local.slice(endpoint.length) || '/', headers, body, remoteAddress: '127.0.0.1' }));
    return { kind: 'response', ...normalizeResponse(response) };
  }
  const url = new URL(local);
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return { kind: 'not-served', url: awsUrl };
  return httpToLoopback(url, method, headers, body, timeoutSeconds);
}

function normalizeResponse(response: HttpResponse): { status: number; headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = response.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
  return { status: response.status, headers, body };
}

function httpToLoopback(url: URL, method: string, headers: Record<string, string>, body: Buffer, timeoutSeconds: number): Promise<OriginOutcome> {
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      { hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 80, path: `${url.pathname}${url.search}`, method, headers, timeout: timeoutSeconds * 1000 },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ kind: 'response', status: incoming.statusCode ?? 502, headers: responseHeaders, body: Buffer.concat(chunks) });
        });
        incoming.on('error', (error) => resolve({ kind: 'unreachable', error: error.message }));
      },
    );
    outgoing.on('timeout', () => {
      outgoing.destroy();
      resolve({ kind: 'timeout' });
    });
    outgoing.on('error', (error) => resolve({ kind: 'unreachable', error: error.message }));
    outgoing.end(body);
  });
}
