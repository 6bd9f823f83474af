import { mkdirSync } from 'node:fs';
import type { PalisadeConfig } from './config.ts';
import { endpointUrl } from './config.ts';
import { loadCredentials, type AccountCredentials } from './credentials.ts';
import { StateStore } from './store.ts';
import { TraceLog } from './trace.ts';
import { Mailbox } from './mailbox.ts';
import { AwsError } from './errors.ts';
import { requestId } from './ids.ts';
import type { RequestContext, ServiceDefinition } from './service.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import type { CognitoSeam, LambdaSeam, LogsSeam, WafSeam } from './seams.ts';

export interface Seams {
  waf?: WafSeam;
  cognito?: CognitoSeam;
  lambda?: LambdaSeam;
  logs?: LogsSeam;
}

/**
 * One running palisade: configuration, durable state, the registered
 * services and the seams their data planes reach each other through.
 */
export class App {
  readonly config: PalisadeConfig;
  readonly credentials: AccountCredentials;
  readonly store: StateStore;
  readonly traces = new TraceLog();
  readonly mail: Mailbox;
  readonly services = new Map<string, ServiceDefinition>();
  readonly seams: Seams = {};
  /**
   * Routes a request through the AWS endpoint in-process, as if it had
   * arrived on the port (set by the endpoint when it starts).
   */
  endpointRouter?: (req: HttpRequest) => Promise<HttpResponse>;
  /**
   * Map an AWS URL (`https://<id>.execute-api.<region>.amazonaws.com/Dev/`,
   * `https://<id>.cloudfront.net/`, `https://<domain>.auth.<region>.amazoncognito.com/`)
   * to the loopback URL palisade serves it on. Each service registers the
   * hosts it owns; undefined means no service serves that URL.
   */
  readonly urlRewriters: ((url: URL) => string | undefined)[] = [];

  constructor(config: PalisadeConfig) {
    this.config = config;
    mkdirSync(config.stateDir, { recursive: true });
    this.credentials = loadCredentials(config.stateDir);
    this.store = new StateStore(config.stateDir);
    this.mail = new Mailbox(this.store);
  }

  get accountId(): string {
    return this.credentials.accountId;
  }

  get region(): string {
    return this.config.region;
  }

  /** Base URL of the AWS endpoint (`http://127.0.0.1:4566`). */
  get endpoint(): string {
    return endpointUrl(this.config);
  }

  /** The loopback URL for an AWS URL, or undefined when palisade does not serve it. */
  localUrl(awsUrl: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(awsUrl);
    } catch {
      return undefined;
    }
    for (const rewrite of this.urlRewriters) {
      const local = rewrite(parsed);
      if (local) return local;
    }
    return undefined;
  }

  /** Replace every AWS URL palisade serves inside a text (stack outputs, messages) with its loopback URL. */
  rewriteUrls(text: string): string {
    return text.replace(/https?:\/\/[^\s"'<>]+/g, (url) => this.localUrl(url) ?? url);
  }

  register(service: ServiceDefinition): void {
    if (this.services.has(service.signingName)) throw new Error(`service ${service.signingName} registered twice`);
    this.services.set(service.signingName, service);
  }

  service(signingName: string): ServiceDefinition {
    const service = this.services.get(signingName);
    if (!service) throw new Error(`service ${signingName} is not registered`);
    return service;
  }

  /** Context for an in-process call made by palisade itself. */
  internalContext(): RequestContext {
    return { accountId: this.accountId, region: this.region, requestId: requestId(), internal: true };
  }

  /**
   * Call an operation in-process, exactly as a client's request would run it
   * after the protocol layer: same validation, same errors.
   */
  async call<O = any>(signingName: string, operation: string, input: object = {}): Promise<O> {
    const handler = this.service(signingName).operations[operation];
    if (!handler) {
      throw new AwsError('NotImplementedException', `palisade does not implement ${signingName}:${operation} yet`, 501);
    }
    return (await handler(structuredClone(input), this.internalContext())) as O;
  }

  /** The seam a data plane needs; failing closed when its owner is not registered. */
  seam<K extends keyof Seams>(name: K): NonNullable<Seams[K]> {
    const seam = this.seams[name];
    if (!seam) throw new Error(`no service provides the ${name} seam`);
    return seam as NonNullable<Seams[K]>;
  }
}
