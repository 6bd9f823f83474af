import { MysqlError } from './responses.ts';

/** The flavour named in syntax errors: "... corresponds to your MySQL server version ..." */
export type ServerFlavor = 'MySQL' | 'MariaDB';

/**
 * Translate an SQLite error into the MySQL error a client would get for the
 * same statement, keeping MySQL's message shapes (errmsg-utf8.txt).
 */
export function toMysqlError(error: unknown, sql: string, database: string | undefined, flavor: ServerFlavor): MysqlError {
  const message = error instanceof Error ? error.message : String(error);
  let match: RegExpExecArray | null;

  if ((match = /^no such table: (?:main\.)?(.+)$/.exec(message))) {
    const table = match[1].includes('.') ? match[1] : `${database ?? ''}.${match[1]}`;
    return new MysqlError('ER_NO_SUCH_TABLE', `Table '${table}' doesn't exist`);
  }
  if ((match = /^near "(.*)": syntax error$/s.exec(message))) return syntaxError(sql, match[1], flavor);
  if (/^incomplete input$|more than one statement|^unrecognized token/.test(message)) {
    const token = /^unrecognized token: "(.*)"$/s.exec(message)?.[1];
    return syntaxError(sql, token, flavor);
  }
  if ((match = /^no such column: (.+)$/.exec(message))) {
    return new MysqlError('ER_BAD_FIELD_ERROR', `Unknown column '${match[1]}' in 'field list'`);
  }
  if ((match = /^table (\S+) already exists$/.exec(message))) {
    return new MysqlError('ER_TABLE_EXISTS_ERROR', `Table '${match[1]}' already exists`);
  }
  if ((match = /^(?:UNIQUE|PRIMARY KEY) constraint failed: (\w+)\.(\w+)/.exec(message))) {
    // TODO: MySQL names the duplicate value ("Duplicate entry '1' for key 'players.PRIMARY'"); SQLite does not report it.
    return new MysqlError('ER_DUP_ENTRY', `Duplicate entry for key '${match[1]}.${match[2]}'`);
  }
  if ((match = /^NOT NULL constraint failed: \w+\.(\w+)$/.exec(message))) {
    return new MysqlError('ER_BAD_NULL_ERROR', `Column '${match[1]}' cannot be null`);
  }
  return new MysqlError('ER_UNKNOWN_ERROR', message);
}

/**
 * ER_PARSE_ERROR: MySQL quotes the statement from the offending token on,
 * cut to 80 characters, with the token's line number.
 */
export function syntaxError(sql: string, token: string | undefined, flavor: ServerFlavor): MysqlError {
  const index = token ? sql.indexOf(token) : -1;
  const start = index === -1 ? sql.length : index;
  const near = sql.slice(start, start + 80);
  const line = sql.slice(0, start).split('\n').length;
  return new MysqlError(
    'ER_PARSE_ERROR',
    `You have an error in your SQL syntax; check the manual that corresponds to your ${flavor} server version for the right syntax to use near '${near}' at line ${line}`,
  );
}
