import { createServer, type Server, type Socket } from 'node:net';
import { MysqlConnection, type MasterAccount } from './connection.ts';
import type { SqlEngine } from './sql-engine.ts';

/** A MySQL wire-protocol server for one DB instance, on 127.0.0.1 only. */
export class MysqlServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private nextConnectionId = 1;

  constructor(
    private readonly engine: SqlEngine,
    private readonly account: () => MasterAccount,
  ) {}

  /** Listen on `port` (0 picks a free one); resolves to the port, rejects with EADDRINUSE when it is taken. */
  async listen(port: number): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    new MysqlConnection(socket, this.nextConnectionId++, this.engine, this.account);
  }
}
