import type { App } from '../../core/app.ts';
import { log } from '../../core/log.ts';
import type { Config } from './config.ts';
import type { EdgeControl } from './distributions.ts';
import { EdgeServer } from './edge.ts';
import type { DistributionRecord, DistributionStore } from './store.ts';

/** How many ports above the endpoint's the fleet tries before giving up. */
const PORT_ATTEMPTS = 200;

/**
 * The local edges of every enabled distribution. Each listens on a loopback
 * port of its own, chosen once and stored with the distribution: an
 * ephemeral port when palisade itself was started on port 0 (tests), else
 * the first free port above the AWS endpoint's.
 */
export class EdgeFleet implements EdgeControl {
  private readonly servers = new Map<string, EdgeServer>();
  /** Distribution domain name → running edge port, for the URL rewriter. */
  private readonly ports = new Map<string, number>();

  constructor(
    private readonly app: App,
    private readonly store: DistributionStore,
    /** True when palisade was configured with port 0, read before the endpoint replaced it with the bound port. */
    private readonly ephemeral: boolean,
  ) {}

  /** `https://<DomainName>/<rest>` (or http) → `http://127.0.0.1:<edgePort>/<rest>`. */
  rewrite = (url: URL): string | undefined => {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const port = this.ports.get(url.hostname.toLowerCase());
    return port === undefined ? undefined : `http://${this.app.config.host}:${port}${url.pathname}${url.search}`;
  };

  /** Start the edges of the enabled distributions found in the state directory. */
  async startAll(): Promise<void> {
    for (const record of this.store.list()) {
      const config = this.store.config(record);
      const synced = await this.sync(record, config);
      if (synced.edgePort !== record.edgePort) this.store.put(synced);
    }
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.servers.keys()]) await this.remove(id);
  }

  async sync(record: DistributionRecord, config: Config): Promise<DistributionRecord> {
    const running = this.servers.get(record.Id);
    if (!config.Enabled) {
      if (running) await this.remove(record.Id);
      return record;
    }
    if (running) {
      running.update(record, config);
      return record;
    }
    const server = new EdgeServer(this.app, record, config);
    const port = await this.listen(server, record);
    this.servers.set(record.Id, server);
    this.ports.set(record.DomainName.toLowerCase(), port);
    const updated = { ...record, edgePort: port };
    server.update(updated, config);
    log('info', 'cloudfront', 'edge started', { distributionId: record.Id, domainName: record.DomainName, port });
    return updated;
  }

  async remove(id: string): Promise<void> {
    const server = this.servers.get(id);
    if (!server) return;
    this.servers.delete(id);
    const record = this.store.find(id);
    if (record) this.ports.delete(record.DomainName.toLowerCase());
    await server.close();
    log('info', 'cloudfront', 'edge stopped', { distributionId: id });
  }

  invalidate(id: string, paths: string[]): number {
    return this.servers.get(id)?.invalidate(paths) ?? 0;
  }

  /** The running edge of a distribution (tests and diagnostics). */
  server(id: string): EdgeServer | undefined {
    return this.servers.get(id);
  }

  private async listen(server: EdgeServer, record: DistributionRecord): Promise<number> {
    if (record.edgePort !== undefined) {
      try {
        return await server.listen(record.edgePort);
      } catch (error) {
        log('warn', 'cloudfront', 'stored edge port is taken; choosing another', { distributionId: record.Id, port: record.edgePort, error: String((error as Error)?.message ?? error) });
      }
    }
    if (this.ephemeral) return server.listen(0);
    const taken = new Set(this.store.list().map((other) => other.edgePort).filter((port) => port !== undefined));
    for (let port = this.app.config.port + 1, attempt = 0; attempt < PORT_ATTEMPTS && port <= 65535; port += 1, attempt += 1) {
      if (taken.has(port)) continue;
      try {
        return await server.listen(port);
      } catch {
        // In use by another program: try the next port.
      }
    }
    throw new Error(`no free loopback port in ${PORT_ATTEMPTS} ports above ${this.app.config.port} for distribution ${record.Id}`);
  }
}
