import type { Socket } from 'node:net';
import { log } from '../../../core/log.ts';
import { NATIVE_PASSWORD_PLUGIN, newScramble, verifyNativePassword } from './auth.ts';
import { Capability, Command, SERVER_CAPABILITIES, ServerStatus } from './constants.ts';
import { authSwitchRequest, handshakeV10, parseHandshakeResponse, type HandshakeResponse } from './handshake.ts';
import { framePacket, PacketFramer } from './packets.ts';
import { columnDefinitionPacket, eofPacket, errPacket, MysqlError, okPacket, textRowPacket } from './responses.ts';
import type { Session, SqlEngine } from './sql-engine.ts';

/** The account a DB instance has: its master user and SHA1(SHA1(password)). */
export interface MasterAccount {
  user: string;
  nativePasswordHash(): Buffer;
}

type Phase = 'handshake' | 'auth-switch' | 'command' | 'closed';

/**
 * One client connection: the handshake, `mysql_native_password`
 * authentication, then the command phase, one command at a time.
 */
export class MysqlConnection {
  private readonly framer = new PacketFramer();
  private readonly scramble = newScramble();
  private phase: Phase = 'handshake';
  private sequenceId = 0;
  private capabilities = 0;
  private handshake?: HandshakeResponse;
  private session?: Session;

  constructor(
    private readonly socket: Socket,
    private readonly connectionId: number,
    private readonly engine: SqlEngine,
    private readonly account: () => MasterAccount,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    this.send(handshakeV10(engine.serverVersion, connectionId, this.scramble));
  }

  private onData(chunk: Buffer): void {
    for (const { sequenceId, payload } of this.framer.push(chunk)) {
      if (this.phase === 'closed') return;
      this.sequenceId = (sequenceId + 1) & 0xff;
      try {
        this.onPacket(payload);
      } catch (error) {
        this.fail(error);
      }
    }
  }

  private onPacket(payload: Buffer): void {
    switch (this.phase) {
      case 'handshake':
        return this.onHandshakeResponse(payload);
      case 'auth-switch':
        return this.authenticate(payload);
      case 'command':
        return this.onCommand(payload);
    }
  }

  private onHandshakeResponse(payload: Buffer): void {
    this.handshake = parseHandshakeResponse(payload);
    this.capabilities = this.handshake.capabilities & SERVER_CAPABILITIES;
    // A client that replied for another plugin (caching_sha2_password) is asked to switch ("Authentication Method Switch").
    if (this.handshake.authPlugin && this.handshake.authPlugin !== NATIVE_PASSWORD_PLUGIN && this.handshake.authResponse.length > 0) {
      this.phase = 'auth-switch';
      this.send(authSwitchRequest(this.scramble));
      return;
    }
    this.authenticate(this.handshake.authResponse);
  }

  private authenticate(authResponse: Buffer): void {
    const handshake = this.handshake!;
    const host = clientHost(this.socket);
    const account = this.account();
    const passwordOk = handshake.user === account.user && verifyNativePassword(authResponse, this.scramble, account.nativePasswordHash());
    if (!passwordOk) {
      log('info', 'rds', 'MySQL login rejected', { user: handshake.user, host });
      const using = authResponse.length > 0 ? 'YES' : 'NO';
      throw new MysqlError('ER_ACCESS_DENIED_ERROR', `Access denied for user '${handshake.user}'@'${host}' (using password: ${using})`);
    }
    if (handshake.database) this.engine.checkDatabase(handshake.database);
    this.session = { user: handshake.user, host, database: handshake.database, autocommit: true, connectionId: this.connectionId };
    this.phase = 'command';
    this.send(okPacket({ status: this.status() }));
  }

  private onCommand(payload: Buffer): void {
    this.sequenceId = 1;
    const command = payload[0];
    const body = payload.subarray(1);
    switch (command) {
      case 0x01: // COM_QUIT
        this.phase = 'closed';
        this.socket.end();
        return;
      case 0x02: // COM_INIT_DB
        this.engine.checkDatabase(body.toString('utf8'));
        this.session!.database = body.toString('utf8');
        return this.send(okPacket({ status: this.status() }));
      case 0x03: // COM_QUERY
        return this.query(body.toString('utf8'));
      case 0x0e: // COM_PING
        return this.send(okPacket({ status: this.status() }));
      default: {
        const name = Command[command] ?? `command 0x${command.toString(16).padStart(2, '0')}`;
        throw new MysqlError('ER_UNKNOWN_COM_ERROR', `palisade's MySQL server does not support ${name}`);
      }
    }
  }

  private query(sql: string): void {
    const result = this.engine.execute(sql, this.session!);
    if (result.kind === 'ok') {
      this.send(okPacket({ affectedRows: result.affectedRows, lastInsertId: result.lastInsertId, status: this.status() }));
      return;
    }
    const deprecateEof = (this.capabilities & Capability.DEPRECATE_EOF) !== 0;
    const packets: Buffer[] = [Buffer.from([result.columns.length])];
    if (result.columns.length >= 251) packets[0] = Buffer.from([0xfc, result.columns.length & 0xff, result.columns.length >> 8]);
    for (const column of result.columns) packets.push(columnDefinitionPacket(column));
    if (!deprecateEof) packets.push(eofPacket(this.status()));
    for (const row of result.rows) packets.push(textRowPacket(row));
    // With CLIENT_DEPRECATE_EOF the result set ends with an OK packet whose header is 0xFE.
    packets.push(deprecateEof ? okPacket({ header: 0xfe, status: this.status() }) : eofPacket(this.status()));
    this.sendAll(packets);
  }

  private status(): number {
    let status = 0;
    if (this.session?.autocommit !== false) status |= ServerStatus.AUTOCOMMIT;
    if (this.engine.inTransaction) status |= ServerStatus.IN_TRANS;
    return status;
  }

  /** Send an ERR packet; errors before the command phase also end the connection, as MySQL does. */
  private fail(error: unknown): void {
    const mysqlError = error instanceof MysqlError ? error : new MysqlError('ER_UNKNOWN_ERROR', 'palisade could not process the packet');
    if (!(error instanceof MysqlError)) log('error', 'rds', 'MySQL packet failed', { error: String((error as Error)?.message ?? error) });
    if (this.phase === 'command') {
      this.send(errPacket(mysqlError));
      return;
    }
    this.send(errPacket(mysqlError));
    this.phase = 'closed';
    this.socket.end();
  }

  private send(payload: Buffer): void {
    this.sendAll([payload]);
  }

  private sendAll(payloads: Buffer[]): void {
    const frames: Buffer[] = [];
    for (const payload of payloads) {
      const { frames: framed, next } = framePacket(payload, this.sequenceId);
      frames.push(framed);
      this.sequenceId = next;
    }
    if (!this.socket.destroyed) this.socket.write(Buffer.concat(frames));
  }
}

/** Return the client's address as MySQL names it in "Access denied" messages. */
function clientHost(socket: Socket): string {
  const address = socket.remoteAddress ?? 'localhost';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
