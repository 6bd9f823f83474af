import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { App } from '../../core/app.ts';
import { log } from '../../core/log.ts';
import type { FunctionRecord } from './function-record.ts';
import { FunctionLog } from './function-log.ts';
import { RuntimeApiServer, type NextEvent } from './runtime-api.ts';

export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  /** X-Ray trace header for Lambda-Runtime-Trace-Id. */
  traceHeader: string;
  clientContext?: string;
}

export interface InvocationOutcome {
  payload: Buffer;
  functionError?: 'Unhandled';
  status: 'success' | 'error' | 'timeout' | 'exit';
  durationMs: number;
  cold: boolean;
  /** Base64 of the invocation's last 4 KB of log. */
  logTail: string;
}

type Completion = { kind: 'response' | 'error'; body: Buffer } | { kind: 'timeout' } | { kind: 'exit'; reason: string };

interface CurrentInvocation {
  request: InvocationRequest;
  cold: boolean;
  deliveredAt?: number;
  timer?: NodeJS.Timeout;
  done: boolean;
  resolve(outcome: InvocationOutcome): void;
}

/** AWS gives the init phase 10 seconds ("Lambda execution environment lifecycle", Lambda Developer Guide). */
const INIT_TIMEOUT_MS = 10_000;
/** How long to wait for the runtime's last log lines before writing END anyway. */
const FLUSH_WAIT_MS = 2_000;

/**
 * One execution environment: a Node.js child process running palisade's
 * bootstrap against a Runtime API server of its own. It runs one invocation
 * at a time and stays warm between them until stopped.
 */
export class FunctionInstance {
  busy = false;
  dead = false;
  lastUsed = Date.now();
  readonly log: FunctionLog;
  private child?: ChildProcess;
  private readonly api: RuntimeApiServer;
  private pendingNext?: (event: NextEvent) => void;
  private queuedEvent?: NextEvent;
  private current?: CurrentInvocation;
  private initialized = false;
  private readonly spawnedAt = performance.now();
  private initDurationMs = 0;
  private readonly flushed = new Map<string, () => void>();
  private rawTail = '';

  constructor(
    private readonly app: App,
    readonly record: FunctionRecord,
  ) {
    this.log = new FunctionLog(app, record.LoggingConfig.LogGroup);
    this.api = new RuntimeApiServer({
      next: (deliver) => this.onNext(deliver),
      response: (id, body) => this.complete(id, { kind: 'response', body }),
      error: (id, body) => this.complete(id, { kind: 'error', body }),
      initError: (body) => {
        if (this.current) this.complete(this.current.request.requestId, { kind: 'error', body });
        this.dead = true;
      },
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(bootstrap: string, env: Record<string, string>): Promise<void> {
    const port = await this.api.listen();
    const child = spawn(process.execPath, [bootstrap], {
      cwd: this.record.CodeDirectory,
      env: { ...env, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`, AWS_LAMBDA_LOG_STREAM_NAME: this.log.streamName },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    readFrames(child.stdio[3] as Readable, (frame) => this.onFrame(frame));
    readLines(child.stdout!, (line) => this.log.write(`${line}\n`));
    readLines(child.stderr!, (line) => this.log.write(`${line}\n`));
    child.on('exit', (code, signal) => this.onExit(code, signal));
    child.on('error', (error) => {
      log('error', 'lambda', 'function instance failed to start', { functionName: this.record.FunctionName, error: String(error) });
      this.onExit(null, null);
    });
  }

  /** Run one invocation; resolves when the runtime reports its outcome, times out or exits. */
  invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    this.busy = true;
    this.log.beginInvocation();
    this.log.write(`START RequestId: ${request.requestId} Version: $LATEST\n`);
    return new Promise((resolve) => {
      this.current = { request, cold: !this.initialized, done: false, resolve };
      const event: NextEvent = {
        requestId: request.requestId,
        payload: request.payload,
        deadlineMs: 0,
        invokedFunctionArn: this.record.FunctionArn,
        traceId: request.traceHeader,
        clientContext: request.clientContext,
      };
      if (this.dead) {
        this.finish({ kind: 'exit', reason: 'the function instance is not running' });
      } else if (this.pendingNext) {
        const deliver = this.pendingNext;
        this.pendingNext = undefined;
        this.deliver(event, deliver);
      } else {
        this.queuedEvent = event;
        this.current.timer = setTimeout(() => this.finish({ kind: 'timeout' }), INIT_TIMEOUT_MS + this.record.Timeout * 1000);
      }
    });
  }

  async stop(): Promise<void> {
    this.dead = true;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.api.close();
  }

  private onNext(deliver: (event: NextEvent) => void): void {
    if (!this.initialized) {
      this.initialized = true;
      this.initDurationMs = performance.now() - this.spawnedAt;
    }
    const event = this.queuedEvent;
    if (event) {
      this.queuedEvent = undefined;
      this.deliver(event, deliver);
    } else {
      this.pendingNext = deliver;
    }
  }

  private deliver(event: NextEvent, deliver: (event: NextEvent) => void): void {
    const current = this.current!;
    clearTimeout(current.timer);
    current.deliveredAt = performance.now();
    event.deadlineMs = Date.now() + this.record.Timeout * 1000;
    current.timer = setTimeout(() => this.finish({ kind: 'timeout' }), this.record.Timeout * 1000);
    deliver(event);
  }

  private complete(requestId: string, completion: Completion): boolean {
    if (!this.current || this.current.done || this.current.request.requestId !== requestId) return false;
    void this.finishAfterFlush(requestId, completion);
    return true;
  }

  /** Wait for the runtime's flush frame so every log line of the invocation precedes END. */
  private async finishAfterFlush(requestId: string, completion: Completion): Promise<void> {
    const current = this.current!;
    clearTimeout(current.timer);
    current.done = true;
    await new Promise<void>((resolve) => {
      if (this.flushed.has(requestId) || this.dead) return resolve();
      const timer = setTimeout(resolve, FLUSH_WAIT_MS);
      this.flushed.set(requestId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.flushed.delete(requestId);
    current.done = false;
    this.finish(completion);
  }

  private onFrame(frame: { line?: string; raw?: string; flush?: string }): void {
    if (typeof frame.line === 'string') this.log.write(frame.line);
    if (typeof frame.raw === 'string') {
      const lines = (this.rawTail + frame.raw).split('\n');
      this.rawTail = lines.pop() ?? '';
      for (const line of lines) this.log.write(`${line}\n`);
    }
    if (typeof frame.flush === 'string') {
      if (this.rawTail) {
        this.log.write(`${this.rawTail}\n`);
        this.rawTail = '';
      }
      const waiter = this.flushed.get(frame.flush);
      if (waiter) waiter();
      else this.flushed.set(frame.flush, () => {});
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.dead = true;
    void this.api.close();
    for (const waiter of this.flushed.values()) waiter();
    const current = this.current;
    if (current && !current.done) {
      const reason = signal ? `signal: ${signal.toLowerCase().replace(/^sig/, '')}` : `exit status ${code ?? 'unknown'}`;
      this.finish({ kind: 'exit', reason });
    }
  }

  private finish(completion: Completion): void {
    const current = this.current;
    if (!current || current.done) return;
    current.done = true;
    clearTimeout(current.timer);
    this.current = undefined;
    const requestId = current.request.requestId;
    let durationMs = current.deliveredAt === undefined ? 0 : performance.now() - current.deliveredAt;
    // A timer can fire a fraction of a millisecond early; a timed-out invocation ran the whole timeout.
    if (completion.kind === 'timeout') durationMs = Math.max(durationMs, this.record.Timeout * 1000);
    const outcome = this.outcome(completion, requestId);
    if (completion.kind === 'timeout') {
      this.log.write(`${new Date().toISOString()} ${requestId} Task timed out after ${this.record.Timeout.toFixed(2)} seconds\n`);
    }
    if (completion.kind === 'exit') this.log.write(`RequestId: ${requestId} Error: Runtime exited with error: ${completion.reason}\nRuntime.ExitError\n`);
    this.log.write(`END RequestId: ${requestId}\n`);
    this.log.write(this.reportLine(requestId, durationMs, current.cold, completion.kind));
    // A timed-out instance is killed, as AWS resets the execution environment after a timeout.
    if (completion.kind === 'timeout') void this.stop();
    this.busy = false;
    this.lastUsed = Date.now();
    current.resolve({ ...outcome, durationMs, cold: current.cold, logTail: this.log.tail() });
  }

  private outcome(completion: Completion, requestId: string): Pick<InvocationOutcome, 'payload' | 'functionError' | 'status'> {
    switch (completion.kind) {
      case 'response':
        return { payload: completion.body, status: 'success' };
      case 'error':
        return { payload: completion.body, functionError: 'Unhandled', status: 'error' };
      case 'timeout':
        return {
          payload: Buffer.from(
            JSON.stringify({
              errorType: 'Sandbox.Timedout',
              errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.record.Timeout.toFixed(2)} seconds`,
            }),
          ),
          functionError: 'Unhandled',
          status: 'timeout',
        };
      case 'exit':
        return {
          payload: Buffer.from(
            JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${completion.reason}` }),
          ),
          functionError: 'Unhandled',
          status: 'exit',
        };
    }
  }

  /** Format the Lambda platform's REPORT line, with Init Duration on a cold start. */
  private reportLine(requestId: string, durationMs: number, cold: boolean, kind: Completion['kind']): string {
    const fields = [
      `REPORT RequestId: ${requestId}`,
      `Duration: ${durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms`,
      `Memory Size: ${this.record.MemorySize} MB`,
      `Max Memory Used: ${this.maxMemoryUsedMb()} MB`,
    ];
    if (cold) fields.push(`Init Duration: ${this.initDurationMs.toFixed(2)} ms`);
    if (kind === 'timeout') fields.push('Status: timeout');
    if (kind === 'exit') fields.push('Status: error\tError Type: Runtime.ExitError');
    return `${fields.join('\t')}\t\n`;
  }

  /** Peak resident set size of the instance's process (VmHWM in /proc, Linux only; 0 elsewhere). */
  private maxMemoryUsedMb(): number {
    try {
      const status = readFileSync(`/proc/${this.child?.pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match ? Math.ceil(Number(match[1]) / 1024) : 0;
    } catch {
      return 0;
    }
  }
}

function readLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}

function readFrames(stream: Readable, onFrame: (frame: Record<string, any>) => void): void {
  readLines(stream, (line) => {
    if (!line) return;
    try {
      onFrame(JSON.parse(line) as Record<string, any>);
    } catch {
      onFrame({ raw: `${line}\n` });
    }
  });
}
