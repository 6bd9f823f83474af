/**
 * Packet framing and the basic data types of the MySQL protocol: every
 * packet is a 3-byte little-endian payload length, a 1-byte sequence id and
 * the payload; integers and strings may be length-encoded
 * ("MySQL Packets", "Basic Data Types", MySQL Internals documentation).
 */
const MAX_PAYLOAD = 0xffffff;

/** Accumulates socket bytes and yields complete payloads with their sequence id. */
export class PacketFramer {
  private buffered = Buffer.alloc(0);
  private partial: Buffer[] = [];

  push(chunk: Buffer): { sequenceId: number; payload: Buffer }[] {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const packets: { sequenceId: number; payload: Buffer }[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUIntLE(0, 3);
      if (this.buffered.length < 4 + length) break;
      const sequenceId = this.buffered[3];
      this.partial.push(this.buffered.subarray(4, 4 + length));
      this.buffered = this.buffered.subarray(4 + length);
      // A payload of exactly 2^24-1 bytes continues in the next packet.
      if (length === MAX_PAYLOAD) continue;
      packets.push({ sequenceId, payload: Buffer.concat(this.partial) });
      this.partial = [];
    }
    return packets;
  }
}

/** Frame a payload, splitting it at 2^24-1 bytes; returns the frames and the next sequence id. */
export function framePacket(payload: Buffer, sequenceId: number): { frames: Buffer; next: number } {
  const frames: Buffer[] = [];
  let offset = 0;
  let sequence = sequenceId;
  do {
    const size = Math.min(MAX_PAYLOAD, payload.length - offset);
    const header = Buffer.alloc(4);
    header.writeUIntLE(size, 0, 3);
    header[3] = sequence & 0xff;
    frames.push(header, payload.subarray(offset, offset + size));
    offset += size;
    sequence = (sequence + 1) & 0xff;
    if (size < MAX_PAYLOAD) break;
  } while (true);
  return { frames: Buffer.concat(frames), next: sequence };
}

/** Builds a payload from the protocol's data types. */
export class PayloadWriter {
  private readonly parts: Buffer[] = [];

  int1(value: number): this {
    this.parts.push(Buffer.from([value & 0xff]));
    return this;
  }

  int2(value: number): this {
    const buffer = Buffer.alloc(2);
    buffer.writeUInt16LE(value & 0xffff);
    this.parts.push(buffer);
    return this;
  }

  int4(value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value >>> 0);
    this.parts.push(buffer);
    return this;
  }

  lenencInt(value: number | bigint): this {
    const n = BigInt(value);
    if (n < 251n) return this.int1(Number(n));
    if (n < 0x10000n) return this.int1(0xfc).int2(Number(n));
    if (n < 0x1000000n) {
      const buffer = Buffer.alloc(3);
      buffer.writeUIntLE(Number(n), 0, 3);
      this.int1(0xfd).parts.push(buffer);
      return this;
    }
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt.asUintN(64, n));
    this.int1(0xfe).parts.push(buffer);
    return this;
  }

  lenencString(value: string | Buffer): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.lenencInt(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  nulString(value: string): this {
    this.parts.push(Buffer.from(value, 'utf8'), Buffer.from([0]));
    return this;
  }

  bytes(value: Buffer | string): this {
    this.parts.push(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
    return this;
  }

  zeros(count: number): this {
    this.parts.push(Buffer.alloc(count));
    return this;
  }

  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Reads the protocol's data types from a payload; a read past the end raises. */
export class PayloadReader {
  offset = 0;

  constructor(readonly payload: Buffer) {}

  get remaining(): number {
    return this.payload.length - this.offset;
  }

  int1(): number {
    this.need(1);
    return this.payload[this.offset++];
  }

  int4(): number {
    this.need(4);
    const value = this.payload.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  skip(count: number): void {
    this.need(count);
    this.offset += count;
  }

  lenencInt(): number {
    const first = this.int1();
    if (first < 0xfb) return first;
    const size = first === 0xfc ? 2 : first === 0xfd ? 3 : first === 0xfe ? 8 : 0;
    if (size === 0) throw new Error(`invalid length-encoded integer prefix 0x${first.toString(16)}`);
    this.need(size);
    const value = size === 8 ? Number(this.payload.readBigUInt64LE(this.offset)) : this.payload.readUIntLE(this.offset, size);
    this.offset += size;
    return value;
  }

  bytes(count: number): Buffer {
    this.need(count);
    const value = this.payload.subarray(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }

  nulString(): string {
    const end = this.payload.indexOf(0, this.offset);
    if (end === -1) throw new Error('missing NUL terminator');
    const value = this.payload.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  private need(count: number): void {
    if (this.offset + count > this.payload.length) throw new Error('packet shorter than its fields');
  }
}
