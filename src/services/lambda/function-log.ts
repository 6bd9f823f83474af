import { randomBytes } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { log } from '../../core/log.ts';

/** LogType Tail returns the last 4 KB of the invocation's log (Invoke API reference). */
const TAIL_BYTES = 4096;

/**
 * One instance's log stream in the function's log group, named as Lambda
 * names it: `YYYY/MM/DD/[$LATEST]<32 hex digits>`. Each message is also kept
 * for the invocation in progress, for LogType Tail.
 */
export class FunctionLog {
  readonly streamName: string;
  private invocationLines: string[] = [];

  constructor(
    private readonly app: App,
    readonly groupName: string,
  ) {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    this.streamName = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
  }

  write(message: string, timestamp = Date.now()): void {
    this.invocationLines.push(message);
    try {
      this.app.seam('logs').append(this.groupName, this.streamName, [{ timestamp, message }]);
    } catch (error) {
      log('error', 'lambda', 'writing a function log event failed', { logGroupName: this.groupName, error: String(error) });
    }
  }

  /** Start collecting the lines of a new invocation. */
  beginInvocation(): void {
    this.invocationLines = [];
  }

  /** Base64 of the last 4 KB of the invocation's log, as X-Amz-Log-Result carries it. */
  tail(): string {
    const text = Buffer.from(this.invocationLines.join(''));
    return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
  }
}
