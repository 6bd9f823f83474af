import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Callbacks for the requests of one instance's runtime to the Runtime API. */
export interface RuntimeApiHandlers {
  /** Called on a `next` request. The handler calls `deliver` once an event is assigned. */
  next(deliver: (event: NextEvent) => void): void;
  response(requestId: string, body: Buffer): boolean;
  error(requestId: string, body: Buffer): boolean;
  initError(body: Buffer): void;
}

export interface NextEvent {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
}

const PREFIX = '/2018-06-01/runtime';

/**
 * The Lambda Runtime API ("Using the Lambda runtime API for custom
 * runtimes", Lambda Developer Guide) for one instance, on an ephemeral
 * 127.0.0.1 port whose address only that instance receives.
 */
export class RuntimeApiServer {
  private server?: Server;

  constructor(private readonly handlers: RuntimeApiHandlers) {}

  async listen(): Promise<number> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    // A `next` request waits for as long as the instance is idle.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.keepAliveTimeout = 0;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '';
    if (req.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      this.handlers.next((event) => deliverEvent(res, event));
      return;
    }
    if (req.method === 'POST' && path === `${PREFIX}/init/error`) {
      this.handlers.initError(body);
      return reply(res, 202, { status: 'OK' });
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method === 'POST' && match) {
      const requestId = decodeURIComponent(match[1]);
      const accepted = match[2] === 'response' ? this.handlers.response(requestId, body) : this.handlers.error(requestId, body);
      if (!accepted) return reply(res, 400, { errorMessage: `Invalid request ID: ${requestId}`, errorType: 'InvalidRequestID' });
      return reply(res, 202, { status: 'OK' });
    }
    reply(res, 404, { errorMessage: `Unknown Runtime API route ${req.method} ${path}`, errorType: 'NotFound' });
  }
}

function deliverEvent(res: ServerResponse, event: NextEvent): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'lambda-runtime-aws-request-id': event.requestId,
    'lambda-runtime-deadline-ms': String(event.deadlineMs),
    'lambda-runtime-invoked-function-arn': event.invokedFunctionArn,
    'lambda-runtime-trace-id': event.traceId,
    'content-length': String(event.payload.length),
  };
  if (event.clientContext) headers['lambda-runtime-client-context'] = event.clientContext;
  res.writeHead(200, headers);
  res.end(event.payload);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
