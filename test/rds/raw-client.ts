import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A minimal MySQL client for protocol details mysql2 does not exercise
 * (CLIENT_DEPRECATE_EOF), written from the protocol documentation and
 * independent of the server's code.
 */
export class RawMysqlClient {
  private buffered = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(port: number): Promise<RawMysqlClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawMysqlClient(socket);
  }

  /** Read one packet: its sequence id and payload. */
  async read(): Promise<{ sequenceId: number; payload: Buffer }> {
    while (this.buffered.length < 4 || this.buffered.length < 4 + this.buffered.readUIntLE(0, 3)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const length = this.buffered.readUIntLE(0, 3);
    const packet = { sequenceId: this.buffered[3], payload: this.buffered.subarray(4, 4 + length) };
    this.buffered = this.buffered.subarray(4 + length);
    return packet;
  }

  write(payload: Buffer, sequenceId: number): void {
    const header = Buffer.alloc(4);
    header.writeUIntLE(payload.length, 0, 3);
    header[3] = sequenceId;
    this.socket.write(Buffer.concat([header, payload]));
  }

  /** Log in with mysql_native_password and the given capability flags; resolves to the server's reply payload. */
  async login(user: string, password: string, database: string, capabilities: number): Promise<Buffer> {
    const { payload: greeting } = await this.read();
    const versionEnd = greeting.indexOf(0, 1);
    const part1 = greeting.subarray(versionEnd + 5, versionEnd + 13);
    const part2Start = versionEnd + 13 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
    const part2 = greeting.subarray(part2Start, part2Start + 12);
    const scramble = Buffer.concat([part1, part2]);

    const sha1 = (data: Buffer) => createHash('sha1').update(data).digest();
    const stage1 = sha1(Buffer.from(password));
    const mask = sha1(Buffer.concat([scramble, sha1(stage1)]));
    const token = Buffer.from(stage1.map((byte, i) => byte ^ mask[i]));

    const head = Buffer.alloc(32);
    head.writeUInt32LE(capabilities >>> 0, 0);
    head.writeUInt32LE(1 << 24, 4);
    head[8] = 255;
    const response = Buffer.concat([
      head,
      Buffer.from(user + '\0'),
      Buffer.from([token.length]),
      token,
      Buffer.from(database + '\0'),
      Buffer.from('mysql_native_password\0'),
    ]);
    this.write(response, 1);
    return (await this.read()).payload;
  }

  close(): void {
    this.socket.destroy();
  }
}
