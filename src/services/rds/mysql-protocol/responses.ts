import { ColumnFlag, ColumnType, Charset, ErrorCode, type MysqlErrorName } from './constants.ts';
import { PayloadWriter } from './packets.ts';

/** A column of a text result set, as Protocol::ColumnDefinition41 describes it. */
export interface ColumnDefinition {
  schema: string;
  table: string;
  orgTable: string;
  name: string;
  orgName: string;
  type: number;
  charset: number;
  length: number;
  flags: number;
  decimals: number;
}

/** An error the server sends as an ERR packet. */
export class MysqlError extends Error {
  readonly code: number;
  readonly sqlState: string;

  constructor(name: MysqlErrorName, message: string) {
    super(message);
    this.code = ErrorCode[name].code;
    this.sqlState = ErrorCode[name].sqlState;
  }
}

export function okPacket(options: { affectedRows?: number | bigint; lastInsertId?: number | bigint; status: number; header?: number; info?: string }): Buffer {
  const writer = new PayloadWriter()
    .int1(options.header ?? 0x00)
    .lenencInt(options.affectedRows ?? 0)
    .lenencInt(options.lastInsertId ?? 0)
    .int2(options.status)
    .int2(0);
  if (options.info) writer.bytes(options.info);
  return writer.build();
}

export function errPacket(error: MysqlError): Buffer {
  return new PayloadWriter().int1(0xff).int2(error.code).bytes('#').bytes(error.sqlState).bytes(error.message).build();
}

export function eofPacket(status: number): Buffer {
  return new PayloadWriter().int1(0xfe).int2(0).int2(status).build();
}

export function columnDefinitionPacket(column: ColumnDefinition): Buffer {
  return new PayloadWriter()
    .lenencString('def')
    .lenencString(column.schema)
    .lenencString(column.table)
    .lenencString(column.orgTable)
    .lenencString(column.name)
    .lenencString(column.orgName)
    .lenencInt(0x0c)
    .int2(column.charset)
    .int4(column.length)
    .int1(column.type)
    .int2(column.flags)
    .int1(column.decimals)
    .zeros(2)
    .build();
}

/** ProtocolText::ResultsetRow: each value as a length-encoded string, NULL as 0xFB. */
export function textRowPacket(values: unknown[]): Buffer {
  const writer = new PayloadWriter();
  for (const value of values) {
    if (value === null || value === undefined) writer.int1(0xfb);
    else if (Buffer.isBuffer(value)) writer.lenencString(value);
    else writer.lenencString(String(value));
  }
  return writer.build();
}

/** The MySQL type, length and flags for a column from its SQLite declared type, or from a value when it has none. */
export function mysqlColumnType(declaredType: string | null, sample: unknown): Pick<ColumnDefinition, 'type' | 'charset' | 'length' | 'flags' | 'decimals'> {
  const declared = (declaredType ?? '').toUpperCase();
  const numeric = (type: number, length: number, decimals = 0) => ({ type, charset: Charset.BINARY, length, flags: ColumnFlag.NUM | ColumnFlag.BINARY, decimals });
  const text = (type: number, length: number) => ({ type, charset: Charset.UTF8MB4, length, flags: 0, decimals: 0 });
  if (declared) {
    if (declared.includes('BIGINT')) return numeric(ColumnType.LONGLONG, 20);
    if (declared.includes('TINYINT')) return numeric(ColumnType.TINY, 4);
    if (declared.includes('SMALLINT')) return numeric(ColumnType.SHORT, 6);
    if (declared.includes('INT')) return numeric(ColumnType.LONG, 11);
    if (/DOUBLE|REAL|FLOAT/.test(declared)) return numeric(ColumnType.DOUBLE, 22, 31);
    if (/DECIMAL|NUMERIC/.test(declared)) return numeric(ColumnType.NEWDECIMAL, 65, 30);
    if (declared.includes('DATETIME') || declared.includes('TIMESTAMP')) return { ...numeric(ColumnType.DATETIME, 19), flags: ColumnFlag.BINARY };
    if (declared === 'DATE') return { ...numeric(ColumnType.DATE, 10), flags: ColumnFlag.BINARY };
    if (declared.includes('BLOB') || declared.includes('BINARY')) return { type: ColumnType.BLOB, charset: Charset.BINARY, length: 65535, flags: ColumnFlag.BINARY, decimals: 0 };
    if (declared.includes('TEXT')) return text(ColumnType.BLOB, 65535 * 4);
    const size = /\((\d+)\)/.exec(declared);
    const length = (size ? Number(size[1]) : 255) * 4;
    if (declared.startsWith('CHAR')) return text(ColumnType.STRING, length);
    return text(ColumnType.VAR_STRING, length);
  }
  // An expression column has no declared type, so its first value decides, as MySQL types `SELECT 1` LONGLONG.
  if (typeof sample === 'bigint' || (typeof sample === 'number' && Number.isInteger(sample))) return numeric(ColumnType.LONGLONG, 21);
  if (typeof sample === 'number') return numeric(ColumnType.DOUBLE, 23, 31);
  if (Buffer.isBuffer(sample)) return { type: ColumnType.BLOB, charset: Charset.BINARY, length: 65535, flags: ColumnFlag.BINARY, decimals: 0 };
  return text(ColumnType.VAR_STRING, 1024);
}
