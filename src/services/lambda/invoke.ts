import { randomBytes } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import type { HttpResponse } from '../../core/http.ts';
import { requestId as newRequestId } from '../../core/ids.ts';
import { log } from '../../core/log.ts';
import type { InvokeResult } from '../../core/seams.ts';
import { recordHop } from '../../core/trace-ref.ts';
import type { FunctionStore } from './function-record.ts';
import type { InstancePool } from './instance-pool.ts';

export interface InvokeOptions {
  invocationType?: string;
  logType?: string;
  /** Base64 of the client context JSON, as X-Amz-Client-Context carries it. */
  clientContext?: string;
  qualifier?: string;
  /** The invocation's request id; the Invoke API uses the API request's id. */
  requestId?: string;
  /** palisade trace the invocation is a hop of. */
  traceId?: string;
}

/** The Invoke API's output members (InvocationResponse in the API model). */
export interface InvokeOutput {
  StatusCode: number;
  FunctionError?: string;
  LogResult?: string;
  ExecutedVersion?: string;
  Payload?: Buffer;
}

/** Payload quotas: 6 MB for synchronous and 1 MB for asynchronous invocations (Lambda quotas). */
const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD = 1024 * 1024;

export class Invoker {
  constructor(
    private readonly app: App,
    private readonly functions: FunctionStore,
    private readonly pool: InstancePool,
  ) {}

  async invoke(functionName: string, payload: Buffer, options: InvokeOptions = {}): Promise<InvokeOutput> {
    const invocationType = options.invocationType ?? 'RequestResponse';
    if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`, 400);
    }
    if (options.logType !== undefined && options.logType !== 'None' && options.logType !== 'Tail') {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${options.logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`, 400);
    }
    const record = this.functions.resolve(functionName, options.qualifier);
    const limit = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (payload.length > limit) {
      throw new AwsError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the ${invocationType === 'Event' ? 'InvokeAsync' : 'InvokeFunction'} operation`, 413, { Type: 'User' });
    }
    const event = payload.length ? payload : Buffer.from('{}');
    checkJson(event);
    const clientContext = options.clientContext ? decodeClientContext(options.clientContext) : undefined;
    if (invocationType === 'DryRun') return { StatusCode: 204 };

    const requestId = options.requestId ?? newRequestId();
    const run = this.pool.run(record, { requestId, payload: event, traceHeader: xrayTraceHeader(), clientContext }).then((outcome) => {
      recordHop({ traceId: options.traceId ?? requestId, log: this.app.traces }, 'lambda', outcome.status === 'success' ? 'Success' : outcome.functionError ?? 'Unhandled', {
        functionName: record.FunctionName,
        requestId,
        invocationType,
        status: outcome.status,
        durationMs: Math.round(outcome.durationMs * 100) / 100,
        start: outcome.cold ? 'cold' : 'warm',
      });
      return outcome;
    });
    if (invocationType === 'Event') {
      // TODO: AWS retries a failed asynchronous invocation twice and can send it to a destination; palisade runs it once.
      run.catch((error) => log('error', 'lambda', 'asynchronous invocation failed', { functionName: record.FunctionName, requestId, error: String(error) }));
      return { StatusCode: 202 };
    }
    const outcome = await run;
    return {
      StatusCode: 200,
      ...(outcome.functionError ? { FunctionError: outcome.functionError } : {}),
      ...(options.logType === 'Tail' ? { LogResult: outcome.logTail } : {}),
      ExecutedVersion: '$LATEST',
      Payload: outcome.payload,
    };
  }

  /** Invoke a function for another service, through the lambda seam. */
  async invokeForSeam(functionName: string, payload: Buffer, options: { invocationType?: 'RequestResponse' | 'Event'; traceId?: string } = {}): Promise<InvokeResult> {
    const output = await this.invoke(functionName, payload, { invocationType: options.invocationType, traceId: options.traceId });
    return {
      statusCode: output.StatusCode,
      payload: output.Payload ?? Buffer.alloc(0),
      ...(output.FunctionError ? { functionError: output.FunctionError } : {}),
      executedVersion: output.ExecutedVersion ?? '$LATEST',
    };
  }
}

/** Invoke's wire form: the payload is the raw body, the other members are headers. */
export function invokeResponse(output: InvokeOutput): HttpResponse {
  const headers: Record<string, string> = {};
  if (output.ExecutedVersion) headers['x-amz-executed-version'] = output.ExecutedVersion;
  if (output.FunctionError) headers['x-amz-function-error'] = output.FunctionError;
  if (output.LogResult !== undefined) headers['x-amz-log-result'] = output.LogResult;
  if (output.Payload) headers['content-type'] = 'application/json';
  return { status: output.StatusCode, headers, body: output.Payload ?? Buffer.alloc(0) };
}

function checkJson(payload: Buffer): void {
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`, 400, { Type: 'User' });
  }
}

function decodeClientContext(value: string): string {
  const text = Buffer.from(value, 'base64').toString('utf8');
  try {
    JSON.parse(text);
  } catch {
    throw new AwsError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.', 400, { Type: 'User' });
  }
  return text;
}

/** Generate an X-Ray trace header (`Root=1-<epoch hex>-<96-bit hex>;Parent=...;Sampled=0`) for Lambda-Runtime-Trace-Id. */
function xrayTraceHeader(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}
