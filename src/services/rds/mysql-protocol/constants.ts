/**
 * Constants of the MySQL client/server protocol, as numbered in the MySQL
 * source's `include/mysql_com.h` and `include/field_types.h`
 * ("Client/Server Protocol", MySQL Internals documentation).
 */
export const Capability = {
  LONG_PASSWORD: 0x1,
  FOUND_ROWS: 0x2,
  LONG_FLAG: 0x4,
  CONNECT_WITH_DB: 0x8,
  PROTOCOL_41: 0x200,
  TRANSACTIONS: 0x2000,
  SECURE_CONNECTION: 0x8000,
  MULTI_RESULTS: 0x20000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
  DEPRECATE_EOF: 0x1000000,
} as const;

/** Capabilities palisade's server offers: no TLS, no compression, no multi-statements, no query attributes. */
export const SERVER_CAPABILITIES =
  Capability.LONG_PASSWORD |
  Capability.FOUND_ROWS |
  Capability.LONG_FLAG |
  Capability.CONNECT_WITH_DB |
  Capability.PROTOCOL_41 |
  Capability.TRANSACTIONS |
  Capability.SECURE_CONNECTION |
  Capability.MULTI_RESULTS |
  Capability.PLUGIN_AUTH |
  Capability.CONNECT_ATTRS |
  Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA |
  Capability.DEPRECATE_EOF;

export const ServerStatus = {
  IN_TRANS: 0x1,
  AUTOCOMMIT: 0x2,
} as const;

/** Command bytes of the command phase, by name. */
export const Command: Record<number, string> = {
  0x00: 'COM_SLEEP',
  0x01: 'COM_QUIT',
  0x02: 'COM_INIT_DB',
  0x03: 'COM_QUERY',
  0x04: 'COM_FIELD_LIST',
  0x05: 'COM_CREATE_DB',
  0x06: 'COM_DROP_DB',
  0x07: 'COM_REFRESH',
  0x08: 'COM_SHUTDOWN',
  0x09: 'COM_STATISTICS',
  0x0a: 'COM_PROCESS_INFO',
  0x0b: 'COM_CONNECT',
  0x0c: 'COM_PROCESS_KILL',
  0x0d: 'COM_DEBUG',
  0x0e: 'COM_PING',
  0x0f: 'COM_TIME',
  0x10: 'COM_DELAYED_INSERT',
  0x11: 'COM_CHANGE_USER',
  0x12: 'COM_BINLOG_DUMP',
  0x16: 'COM_STMT_PREPARE',
  0x17: 'COM_STMT_EXECUTE',
  0x18: 'COM_STMT_SEND_LONG_DATA',
  0x19: 'COM_STMT_CLOSE',
  0x1a: 'COM_STMT_RESET',
  0x1b: 'COM_SET_OPTION',
  0x1c: 'COM_STMT_FETCH',
  0x1f: 'COM_RESET_CONNECTION',
};

export const ColumnType = {
  TINY: 0x01,
  SHORT: 0x02,
  LONG: 0x03,
  DOUBLE: 0x05,
  NULL: 0x06,
  LONGLONG: 0x08,
  DATE: 0x0a,
  DATETIME: 0x0c,
  NEWDECIMAL: 0xf6,
  BLOB: 0xfc,
  VAR_STRING: 0xfd,
  STRING: 0xfe,
} as const;

export const ColumnFlag = {
  NOT_NULL: 0x1,
  PRI_KEY: 0x2,
  BINARY: 0x80,
  NUM: 0x8000,
} as const;

/** Collation ids: utf8mb4_0900_ai_ci (MySQL 8.0's default) and `binary` for numbers and blobs. */
export const Charset = { UTF8MB4: 255, BINARY: 63 } as const;

/** MySQL server error codes with their SQLSTATE, from MySQL's errmsg-utf8.txt. */
export const ErrorCode = {
  ER_DBACCESS_DENIED_ERROR: { code: 1044, sqlState: '42000' },
  ER_ACCESS_DENIED_ERROR: { code: 1045, sqlState: '28000' },
  ER_NO_DB_ERROR: { code: 1046, sqlState: '3D000' },
  ER_UNKNOWN_COM_ERROR: { code: 1047, sqlState: '08S01' },
  ER_BAD_DB_ERROR: { code: 1049, sqlState: '42000' },
  ER_TABLE_EXISTS_ERROR: { code: 1050, sqlState: '42S01' },
  ER_BAD_FIELD_ERROR: { code: 1054, sqlState: '42S22' },
  ER_DUP_ENTRY: { code: 1062, sqlState: '23000' },
  ER_PARSE_ERROR: { code: 1064, sqlState: '42000' },
  ER_EMPTY_QUERY: { code: 1065, sqlState: '42000' },
  ER_UNKNOWN_ERROR: { code: 1105, sqlState: 'HY000' },
  ER_NO_SUCH_TABLE: { code: 1146, sqlState: '42S02' },
  ER_UNKNOWN_SYSTEM_VARIABLE: { code: 1193, sqlState: 'HY000' },
  ER_NOT_SUPPORTED_YET: { code: 1235, sqlState: '42000' },
  ER_BAD_NULL_ERROR: { code: 1048, sqlState: '23000' },
} as const;

export type MysqlErrorName = keyof typeof ErrorCode;
