import type { App } from '../../core/app.ts';
import { log } from '../../core/log.ts';
import { environmentVariables, type FunctionRecord } from './function-record.ts';
import { FunctionInstance, type InvocationOutcome, type InvocationRequest } from './instance.ts';
import type { InstanceRetirer } from './control-plane.ts';

/**
 * Instances per function at once. NOTE: AWS allows 1,000 concurrent
 * executions per account by default; palisade keeps a small local bound and
 * queues invocations beyond it instead of throttling them.
 */
const MAX_INSTANCES_PER_FUNCTION = 10;
/** Warm instances idle this long are stopped (AWS does not document its own figure). */
const IDLE_STOP_MS = 5 * 60 * 1000;
const SWEEP_INTERVAL_MS = 30 * 1000;

/**
 * The warm instances of every function: reuse an idle one, start another
 * while under the bound, otherwise wait for one to be released.
 */
export class InstancePool implements InstanceRetirer {
  private readonly instances = new Map<string, FunctionInstance[]>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private readonly retired = new Set<FunctionInstance>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly app: App,
    private readonly bootstrap: string,
    private readonly nodePath: string,
  ) {}

  async run(record: FunctionRecord, request: InvocationRequest): Promise<InvocationOutcome & { pid?: number }> {
    const instance = await this.acquire(record);
    try {
      const outcome = await instance.invoke(request);
      return { ...outcome, pid: instance.pid };
    } finally {
      this.release(instance);
    }
  }

  async retire(functionName: string): Promise<void> {
    const list = this.instances.get(functionName) ?? [];
    const idle = list.filter((instance) => !instance.busy);
    for (const instance of list) if (instance.busy) this.retired.add(instance);
    this.instances.set(functionName, list.filter((instance) => instance.busy));
    await Promise.all(idle.map((instance) => instance.stop()));
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.instances.values()].flat();
    this.instances.clear();
    await Promise.all(all.map((instance) => instance.stop()));
  }

  startSweeping(): void {
    this.sweeper = setInterval(() => void this.stopIdle(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  private async stopIdle(): Promise<void> {
    const now = Date.now();
    for (const [name, list] of this.instances) {
      const stale = list.filter((instance) => !instance.busy && now - instance.lastUsed > IDLE_STOP_MS);
      if (!stale.length) continue;
      this.instances.set(name, list.filter((instance) => !stale.includes(instance)));
      await Promise.all(stale.map((instance) => instance.stop()));
    }
  }

  private async acquire(record: FunctionRecord): Promise<FunctionInstance> {
    const name = record.FunctionName;
    for (;;) {
      const list = (this.instances.get(name) ?? []).filter((instance) => !instance.dead);
      this.instances.set(name, list);
      const idle = list.find((instance) => !instance.busy && instance.record.RevisionId === record.RevisionId);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (list.length < MAX_INSTANCES_PER_FUNCTION) return this.startInstance(record, list);
      await new Promise<void>((resolve) => {
        const queue = this.waiters.get(name) ?? [];
        queue.push(resolve);
        this.waiters.set(name, queue);
      });
    }
  }

  private async startInstance(record: FunctionRecord, list: FunctionInstance[]): Promise<FunctionInstance> {
    const instance = new FunctionInstance(this.app, record);
    instance.busy = true;
    list.push(instance);
    await instance.start(this.bootstrap, this.environment(record));
    log('debug', 'lambda', 'function instance started', { functionName: record.FunctionName, pid: instance.pid });
    return instance;
  }

  private release(instance: FunctionInstance): void {
    instance.busy = false;
    const name = instance.record.FunctionName;
    if (instance.dead || this.retired.has(instance)) {
      this.retired.delete(instance);
      this.instances.set(name, (this.instances.get(name) ?? []).filter((other) => other !== instance));
      void instance.stop();
    }
    this.waiters.get(name)?.shift()?.();
  }

  /**
   * The instance's environment, built from nothing so none of palisade's own
   * variables reach the function ("Defined runtime environment variables",
   * Lambda Developer Guide).
   */
  private environment(record: FunctionRecord): Record<string, string> {
    return {
      ...environmentVariables(this.app, record),
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      NODE_PATH: this.nodePath,
      LAMBDA_TASK_ROOT: record.CodeDirectory,
      _HANDLER: record.Handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${record.Runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: record.FunctionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(record.MemorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: record.LoggingConfig.LogGroup,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: this.app.region,
      AWS_DEFAULT_REGION: this.app.region,
      // The SDK in the function reaches palisade rather than AWS.
      AWS_ENDPOINT_URL: this.app.endpoint,
      // TODO: AWS hands the function session credentials of its execution role; palisade has no IAM or STS yet and passes the account's key.
      AWS_ACCESS_KEY_ID: this.app.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.app.credentials.secretAccessKey,
    };
  }
}
