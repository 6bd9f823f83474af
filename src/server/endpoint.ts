import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { App } from '../core/app.ts';
import type { HttpRequest, HttpResponse } from '../core/http.ts';
import { jsonResponse, safeDecode } from '../core/http.ts';
import { ApiDispatcher } from '../protocol/dispatch.ts';
import { log } from '../core/log.ts';

/** Largest request body palisade reads; API Gateway's payload quota is 10 MB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The AWS endpoint: palisade's own `/_palisade/*` routes, then the services'
 * HTTP routes (JWKS, API Gateway stages, callbacks), then the AWS APIs.
 */
export class Endpoint {
  private server?: Server;
  private readonly dispatcher: ApiDispatcher;
  /** Set once every service and the lab are up; `/_palisade/health` answers 503 until then. */
  ready = false;
  readiness: Record<string, unknown> = {};

  constructor(private readonly app: App) {
    this.dispatcher = new ApiDispatcher(app);
  }

  async listen(): Promise<number> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.app.config.port, this.app.config.host, () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : this.app.config.port;
    this.app.config.port = port;
    return port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Route one request; exported for in-process callers such as the edge. */
  async route(req: HttpRequest): Promise<HttpResponse> {
    if (req.path.startsWith('/_palisade/')) return this.palisadeRoute(req);
    for (const service of this.app.services.values()) {
      for (const route of service.httpRoutes ?? []) {
        if (route.match(req)) return route.handle(req);
      }
    }
    return this.dispatcher.handle(req);
  }

  private palisadeRoute(req: HttpRequest): HttpResponse {
    if (req.path === '/_palisade/health') {
      return jsonResponse(this.ready ? 200 : 503, {
        status: this.ready ? 'ready' : 'starting',
        services: [...this.app.services.keys()],
        ...this.readiness,
      });
    }
    if (req.path === '/_palisade/traces') {
      return jsonResponse(200, { entries: this.app.traces.list(req.query.get('traceId') ?? undefined) });
    }
    return jsonResponse(404, { message: `no palisade route ${req.path}` });
  }

  private async onRequest(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const req = await readRequest(incoming);
      const response = await this.route(req);
      writeResponse(res, response);
    } catch (error) {
      const tooLarge = error instanceof RequestTooLarge;
      if (!tooLarge) log('error', 'endpoint', 'request failed', { error: String((error as Error)?.stack ?? error) });
      writeResponse(res, jsonResponse(tooLarge ? 413 : 500, { message: tooLarge ? 'Request Entity Too Large' : 'Internal server error' }));
    }
  }
}

class RequestTooLarge extends Error {}

export async function readRequest(incoming: IncomingMessage): Promise<HttpRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestTooLarge();
    chunks.push(chunk as Buffer);
  }
  const url = incoming.url ?? '/';
  const queryIndex = url.indexOf('?');
  const rawPath = queryIndex === -1 ? url : url.slice(0, queryIndex);
  const rawQuery = queryIndex === -1 ? '' : url.slice(queryIndex + 1);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: incoming.method ?? 'GET',
    rawPath,
    path: safeDecode(rawPath),
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: Buffer.concat(chunks),
    remoteAddress: incoming.socket.remoteAddress ?? '127.0.0.1',
  };
}

export function writeResponse(res: ServerResponse, response: HttpResponse): void {
  const body = response.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
  const headers: Record<string, string> = { ...response.headers, 'content-length': String(body.length) };
  res.writeHead(response.status, headers);
  res.end(body);
}
