import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { App } from '../../core/app.ts';
import type { HttpResponse } from '../../core/http.ts';
import { log } from '../../core/log.ts';
import type { WafVerdict } from '../../core/seams.ts';
import { recordHop, type RequestTraceRef } from '../../core/trace-ref.ts';
import type { Config } from './config.ts';
import { EdgeCache, responseTtl } from './edge-cache.ts';
import { forwardedCookies, forwardedHeaderNames, originHeaders, originUrl, sendToOrigin, type ViewerRequest } from './edge-origin.ts';
import {
  errorPage, GET_WITH_BODY, METHOD_NOT_ALLOWED, ORIGIN_NOT_SERVED, ORIGIN_TIMEOUT, ORIGIN_UNREACHABLE, REQUEST_BLOCKED,
} from './error-page.ts';
import type { DistributionRecord } from './store.ts';

/** Largest viewer request body the edge reads (10 MB, palisade's endpoint limit). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * palisade's own name for the local edge location in `X-Amz-Cf-Pop`; real
 * values name an airport code and a point of presence (`IAD89-C1`).
 */
const LOCAL_POP = 'LOCAL1-P1';

/** Origin response headers that CloudFront removes or recomputes before it sends the response to the viewer. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'content-length', 'upgrade'];

/** `X-Amz-Cf-Id`: 56 characters of URL-safe base64, like CloudFront's request ids. */
export function newCloudFrontRequestId(): string {
  return `${randomBytes(40).toString('base64url')}==`;
}

/**
 * One distribution's local edge: an HTTP server on loopback that runs each
 * viewer request through the web ACL, the allowed methods, the edge cache
 * and the origin, recording each decision in the request's trace.
 *
 * TODO: ViewerProtocolPolicy redirect-to-https and https-only are not
 * enforced; the local edge speaks plain HTTP on loopback and serves anyway.
 */
export class EdgeServer {
  readonly cache = new EdgeCache();
  /** `Via: 1.1 <hex>.cloudfront.net (CloudFront)` names the edge server; one per local edge. */
  private readonly via = `1.1 ${randomBytes(16).toString('hex')}.cloudfront.net (CloudFront)`;
  private server?: Server;

  constructor(
    private readonly app: App,
    private record: DistributionRecord,
    private config: Config,
  ) {}

  update(record: DistributionRecord, config: Config): void {
    this.record = record;
    this.config = config;
  }

  async listen(port: number): Promise<number> {
    const server = createServer((incoming, res) => void this.onRequest(incoming, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.app.config.host, () => resolve());
    });
    this.server = server;
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: HttpResponse;
    try {
      const viewer = await readViewerRequest(incoming);
      response = viewer ? await this.handle(viewer) : { status: 413, headers: { 'content-type': 'text/plain' }, body: 'Request Entity Too Large' };
    } catch (error) {
      log('error', 'cloudfront', 'edge request failed', { distributionId: this.record.Id, error: String((error as Error)?.stack ?? error) });
      response = errorPage(502, ORIGIN_UNREACHABLE, newCloudFrontRequestId());
    }
    const body = response.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
    res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
    res.end(incoming.method === 'HEAD' ? undefined : body);
  }

  /** Run one viewer request through the edge. */
  async handle(viewer: ViewerRequest): Promise<HttpResponse> {
    const requestId = newCloudFrontRequestId();
    const trace: RequestTraceRef = { traceId: requestId, log: this.app.traces };
    const detail = { distributionId: this.record.Id, method: viewer.method, path: viewer.rawPath };
    const stamp = (response: HttpResponse): HttpResponse => ({
      ...response,
      headers: { ...response.headers, via: this.via, 'x-amz-cf-pop': LOCAL_POP, 'x-amz-cf-id': requestId },
    });

    const verdict = this.evaluateWebAcl(viewer, trace);
    if (verdict && verdict.action !== 'ALLOW' && verdict.action !== 'COUNT') {
      recordHop(trace, 'cloudfront', 'Blocked', { ...detail, webAclArn: verdict.webAclArn, terminatingRuleId: verdict.terminatingRuleId, action: verdict.action });
      return stamp(blockResponse(verdict, requestId));
    }

    const behavior = this.config.DefaultCacheBehavior;
    if (!(behavior.AllowedMethods.Items as string[]).includes(viewer.method)) {
      recordHop(trace, 'cloudfront', 'MethodNotAllowed', detail);
      return stamp(errorPage(403, METHOD_NOT_ALLOWED, requestId));
    }
    // Developer Guide, "GET requests that include a body": CloudFront returns 403.
    // NOTE: the reason line of this page is not documented; palisade writes "Bad request.".
    if (viewer.method === 'GET' && viewer.body.length > 0) {
      recordHop(trace, 'cloudfront', 'GetWithBody', detail);
      return stamp(errorPage(403, GET_WITH_BODY, requestId));
    }

    const path = this.originPath(viewer.rawPath);
    const cacheKey = this.cacheKey(viewer, path, behavior);
    if (cacheKey) {
      const cached = this.cache.get(cacheKey);
      if (cached) {
        const age = Math.floor((Date.now() - cached.storedAt) / 1000);
        recordHop(trace, 'cloudfront', 'Hit', { ...detail, status: cached.status, age });
        return stamp({ status: cached.status, headers: { ...cached.headers, 'x-cache': xCache(cached.status, 'Hit'), age: String(age) }, body: cached.body });
      }
    }

    const origin = (this.config.Origins.Items as Config[]).find((candidate) => candidate.Id === behavior.TargetOriginId)!;
    const url = originUrl(origin, behavior, viewer, path);
    const headers = originHeaders({ viewer, behavior, origin, requestId, via: this.via, insertHeaders: verdict?.insertHeaders ?? [] });
    const outcome = await sendToOrigin(this.app, url, viewer.method, headers, viewer.body, origin.CustomOriginConfig.OriginReadTimeout);
    if (outcome.kind === 'not-served') {
      recordHop(trace, 'cloudfront', 'OriginNotServed', { ...detail, origin: origin.DomainName });
      return stamp(errorPage(502, ORIGIN_NOT_SERVED, requestId));
    }
    if (outcome.kind === 'unreachable') {
      recordHop(trace, 'cloudfront', 'OriginUnreachable', { ...detail, origin: origin.DomainName, error: outcome.error });
      return stamp(errorPage(502, ORIGIN_UNREACHABLE, requestId));
    }
    if (outcome.kind === 'timeout') {
      recordHop(trace, 'cloudfront', 'OriginTimeout', { ...detail, origin: origin.DomainName });
      return stamp(errorPage(504, ORIGIN_TIMEOUT, requestId));
    }

    const responseHeaders = this.viewerResponseHeaders(outcome.headers, behavior);
    const ttl = cacheKey ? responseTtl(outcome.status, outcome.headers, behavior) : 0;
    if (cacheKey && ttl > 0) {
      const now = Date.now();
      this.cache.put(cacheKey, { status: outcome.status, headers: responseHeaders, body: outcome.body, path: decodePath(viewer.rawPath), storedAt: now, expiresAt: now + ttl * 1000 });
    }
    recordHop(trace, 'cloudfront', 'Miss', { ...detail, origin: origin.DomainName, status: outcome.status, ttl });
    return stamp({ status: outcome.status, headers: { ...responseHeaders, 'x-cache': xCache(outcome.status, 'Miss') }, body: outcome.body });
  }

  private evaluateWebAcl(viewer: ViewerRequest, trace: RequestTraceRef): WafVerdict | undefined {
    const webAclId: string = this.config.WebACLId;
    if (!webAclId) return undefined;
    const request = { method: viewer.method, uriPath: viewer.rawPath, queryString: viewer.rawQuery, headers: viewer.headers, body: viewer.body, clientIp: viewer.clientIp };
    try {
      return this.app.seam('waf').evaluateWebAcl(webAclId, request, trace);
    } catch (error) {
      // Fail closed: a web ACL that cannot be evaluated blocks the request.
      log('error', 'cloudfront', 'web ACL evaluation failed', { distributionId: this.record.Id, webAclId, error: String((error as Error)?.message ?? error) });
      return { action: 'BLOCK', webAclArn: webAclId, terminatingRuleId: 'palisade:EvaluationFailed', labels: [], insertHeaders: [] };
    }
  }

  /** The object path: DefaultRootObject replaces a request for the root (Developer Guide, "Specifying a default root object"). */
  private originPath(rawPath: string): string {
    const root: string = this.config.DefaultRootObject;
    return rawPath === '/' && root ? `/${root}` : rawPath;
  }

  /**
   * The cache key of legacy cache settings: method, path, the query string as
   * received (order and case matter) or its QueryStringCacheKeys, forwarded
   * header values, and forwarded cookies. Undefined when the response is not
   * cached: methods outside CachedMethods, or all headers forwarded.
   */
  private cacheKey(viewer: ViewerRequest, path: string, behavior: Config): string | undefined {
    if (!(behavior.AllowedMethods.CachedMethods.Items as string[]).includes(viewer.method)) return undefined;
    const forwarded = forwardedHeaderNames(behavior);
    if (forwarded.has('*')) return undefined;
    const parts = [viewer.method, path, this.queryKey(viewer.rawQuery, behavior)];
    for (const name of [...forwarded].sort()) {
      const values = viewer.headers.filter(([header]) => header.toLowerCase() === name).map(([, value]) => value);
      if (values.length) parts.push(`${name}:${values.join(', ')}`);
    }
    const cookies = forwardedCookies(viewer, behavior);
    if (cookies) parts.push(`cookie:${cookies}`);
    return parts.join('\n');
  }

  private queryKey(rawQuery: string, behavior: Config): string {
    const forwarded = behavior.ForwardedValues;
    if (!forwarded.QueryString) return '';
    const keys = (forwarded.QueryStringCacheKeys?.Items ?? []) as string[];
    if (keys.length === 0) return rawQuery;
    return rawQuery.split('&').filter((pair) => keys.includes(pair.split('=')[0])).join('&');
  }

  private viewerResponseHeaders(origin: Record<string, string>, behavior: Config): Record<string, string> {
    const headers = { ...origin };
    for (const name of HOP_BY_HOP) delete headers[name];
    // Set-Cookie reaches viewers only when the behaviour forwards cookies (Developer Guide, custom origin responses).
    if (behavior.ForwardedValues.Cookies.Forward === 'none') delete headers['set-cookie'];
    return headers;
  }

  invalidate(paths: string[]): number {
    return this.cache.invalidate(paths);
  }
}

/** X-Cache names errors the same way for cached and fresh responses: `Error from cloudfront`. */
function xCache(status: number, result: 'Hit' | 'Miss'): string {
  return status >= 400 ? 'Error from cloudfront' : `${result} from cloudfront`;
}

function blockResponse(verdict: WafVerdict, requestId: string): HttpResponse {
  const custom = verdict.customResponse;
  if (verdict.action === 'BLOCK' && custom) {
    const headers: Record<string, string> = {};
    for (const [name, value] of custom.headers) headers[name.toLowerCase()] = value;
    if (custom.contentType) headers['content-type'] = custom.contentType;
    return { status: custom.statusCode, headers: { ...headers, 'x-cache': 'Error from cloudfront' }, body: custom.body ?? '' };
  }
  // TODO: CAPTCHA and CHALLENGE verdicts get CloudFront's block page; palisade serves no puzzle.
  return errorPage(403, REQUEST_BLOCKED, requestId);
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

async function readViewerRequest(incoming: IncomingMessage): Promise<ViewerRequest | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  const url = incoming.url ?? '/';
  const queryIndex = url.indexOf('?');
  const headers: [string, string][] = [];
  for (let index = 0; index < incoming.rawHeaders.length; index += 2) headers.push([incoming.rawHeaders[index], incoming.rawHeaders[index + 1]]);
  return {
    method: incoming.method ?? 'GET',
    rawPath: queryIndex === -1 ? url : url.slice(0, queryIndex),
    rawQuery: queryIndex === -1 ? '' : url.slice(queryIndex + 1),
    headers,
    body: Buffer.concat(chunks),
    clientIp: incoming.socket.remoteAddress ?? '127.0.0.1',
  };
}
