import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../core/app.ts';
import { log } from '../../core/log.ts';
import type { DBInstanceRecord, InstanceRepository } from './instance-record.ts';
import { MysqlServer } from './mysql-protocol/server.ts';
import { SqlEngine } from './mysql-protocol/sql-engine.ts';

interface Running {
  engine: SqlEngine;
  server: MysqlServer;
}

/**
 * The MySQL servers of the DB instances: one SQLite file under
 * `<state dir>/rds/` and one loopback listener per instance.
 * TODO: a MariaDB-backed engine option (running the machine's MariaDB per instance) is not offered yet.
 */
export class InstanceServers {
  private readonly running = new Map<string, Running>();
  private readonly dir: string;

  constructor(
    app: App,
    private readonly instances: InstanceRepository,
  ) {
    this.dir = join(app.config.stateDir, 'rds');
  }

  /** Open the instance's database and listen, on its recorded port when free; records the port it got. */
  async start(record: DBInstanceRecord): Promise<void> {
    if (this.running.has(record.id)) return;
    mkdirSync(this.dir, { recursive: true });
    const flavor = record.engine === 'mariadb' ? 'MariaDB' : 'MySQL';
    // MariaDB prefixes its version with 5.5.5- so that old clients parse it, as MariaDB servers announce themselves.
    const version = record.engine === 'mariadb' ? `5.5.5-${record.engineVersion}-MariaDB` : record.engineVersion;
    const engine = new SqlEngine(this.databaseFile(record.id), record.dbName, version, flavor);
    const server = new MysqlServer(engine, () => this.account(record.id));
    const port = await this.listen(server, record);
    this.running.set(record.id, { engine, server });
    if (port !== record.port) {
      record.port = port;
      this.instances.save(record);
    }
    log('info', 'rds', 'DB instance listening', { dbInstanceIdentifier: record.id, port });
  }

  async stop(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    this.running.delete(id);
    await running.server.close();
    running.engine.close();
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.running.keys()]) await this.stop(id);
  }

  /** Remove a deleted instance's database files. */
  removeFiles(id: string): void {
    for (const suffix of ['', '-wal', '-shm']) rmSync(this.databaseFile(id) + suffix, { force: true });
  }

  private async listen(server: MysqlServer, record: DBInstanceRecord): Promise<number> {
    if (record.port !== undefined) {
      try {
        return await server.listen(record.port);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        log('warn', 'rds', 'recorded port is taken; the DB instance gets a new port', { dbInstanceIdentifier: record.id, port: record.port });
      }
    }
    return server.listen(0);
  }

  private account(id: string) {
    const record = this.instances.get(id);
    return { user: record.masterUsername, nativePasswordHash: () => this.instances.openHash(record) };
  }

  private databaseFile(id: string): string {
    return join(this.dir, `${id}.sqlite`);
  }
}
