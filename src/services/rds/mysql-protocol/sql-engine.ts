import Database from 'better-sqlite3';
import { MysqlError, mysqlColumnType, type ColumnDefinition } from './responses.ts';
import { toMysqlError, type ServerFlavor } from './sql-errors.ts';

/** Per-connection state the SQL layer reads and changes. */
export interface Session {
  user: string;
  host: string;
  database?: string;
  autocommit: boolean;
  connectionId: number;
}

export type StatementResult =
  | { kind: 'rows'; columns: ColumnDefinition[]; rows: unknown[][] }
  | { kind: 'ok'; affectedRows: number | bigint; lastInsertId: number | bigint };

/** Session variables a SET may change; palisade records only autocommit and accepts the others unchanged. */
const SETTABLE = /^(names|character set|charset|autocommit|sql_mode|time_zone|character_set_\w+|collation_connection|session transaction isolation level .*|transaction isolation level .*|wait_timeout|interactive_timeout|net_write_timeout|net_read_timeout)$/;

/**
 * One DB instance's database: MySQL statements executed on an SQLite file.
 * Statements run as SQLite runs them after a few MySQL spellings are
 * rewritten. The session statements clients send on connect (SET, USE,
 * transactions) are handled here.
 */
export class SqlEngine {
  private readonly db: Database.Database;
  private session?: Session;

  constructor(
    file: string,
    readonly databaseName: string | undefined,
    readonly serverVersion: string,
    readonly flavor: ServerFlavor,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.registerFunctions();
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  close(): void {
    this.db.close();
  }

  /** Run one statement of a COM_QUERY for a session; raises MysqlError. */
  execute(sql: string, session: Session): StatementResult {
    const statement = sql.trim().replace(/;\s*$/, '');
    if (!statement) throw new MysqlError('ER_EMPTY_QUERY', 'Query was empty');
    this.session = session;
    const session_ = this.sessionStatement(statement, session);
    if (session_) return session_;
    if (!session.database && /\bFROM\b|^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|REPLACE|TRUNCATE)\b/i.test(statement)) {
      throw new MysqlError('ER_NO_DB_ERROR', 'No database selected');
    }
    return this.run(this.toSqlite(statement), statement);
  }

  /** Check a database name for the handshake, COM_INIT_DB and USE: an instance has only its DBName. */
  checkDatabase(name: string): void {
    if (name !== this.databaseName) throw new MysqlError('ER_BAD_DB_ERROR', `Unknown database '${name}'`);
  }

  private sessionStatement(statement: string, session: Session): StatementResult | undefined {
    const ok: StatementResult = { kind: 'ok', affectedRows: 0, lastInsertId: 0 };
    let match: RegExpExecArray | null;
    if ((match = /^USE\s+`?(\w+)`?$/i.exec(statement))) {
      this.checkDatabase(match[1]);
      session.database = match[1];
      return ok;
    }
    if ((match = /^SET\s+(?:SESSION\s+|LOCAL\s+|@@SESSION\.|@@LOCAL\.|@@)?(.+?)\s*(?:=|\s(?=\S+$))\s*(.*)$/is.exec(statement))) {
      return this.setVariable(match[1].toLowerCase(), match[2], session) ?? ok;
    }
    if (/^(START\s+TRANSACTION|BEGIN(\s+WORK)?)$/i.test(statement)) {
      if (!this.db.inTransaction) this.db.exec('BEGIN');
      return ok;
    }
    if (/^(COMMIT|ROLLBACK)(\s+WORK)?$/i.test(statement)) {
      if (this.db.inTransaction) this.db.exec(statement.split(/\s/)[0].toUpperCase());
      return ok;
    }
    if (/^SHOW\s+DATABASES$/i.test(statement)) {
      return this.constantRows('Database', ['information_schema', ...(this.databaseName ? [this.databaseName] : [])]);
    }
    if (/^SHOW\s+TABLES$/i.test(statement)) {
      if (!session.database) throw new MysqlError('ER_NO_DB_ERROR', 'No database selected');
      const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
      return this.constantRows(`Tables_in_${session.database}`, tables);
    }
    return undefined;
  }

  private setVariable(name: string, value: string, session: Session): StatementResult | undefined {
    if (/^password\b/.test(name) || /^password\b/i.test(`${name} ${value}`)) {
      // TODO: SET PASSWORD (used by Secrets Manager's MySQL rotation functions) is not supported yet.
      throw new MysqlError('ER_NOT_SUPPORTED_YET', "palisade's MySQL server does not support SET PASSWORD yet; use RDS ModifyDBInstance with MasterUserPassword");
    }
    if (!SETTABLE.test(name) && !/^(names|character set|charset)\b/.test(name)) {
      throw new MysqlError('ER_NOT_SUPPORTED_YET', `palisade's MySQL server does not support SET ${name}`);
    }
    if (name === 'autocommit') {
      const on = /^(1|on|true)$/i.test(value.trim());
      // TODO: with autocommit off MySQL keeps writes uncommitted until COMMIT; palisade records the flag but still commits each statement.
      session.autocommit = on;
    }
    return undefined;
  }

  private constantRows(column: string, values: string[]): StatementResult {
    const type = mysqlColumnType('VARCHAR(64)', undefined);
    const definition: ColumnDefinition = { schema: 'information_schema', table: '', orgTable: '', name: column, orgName: column, ...type };
    return { kind: 'rows', columns: [definition], rows: values.map((value) => [value]) };
  }

  /** Rewrite MySQL spellings SQLite lacks. */
  private toSqlite(statement: string): string {
    let sql = statement;
    if (/^CREATE\s+TABLE/i.test(sql)) {
      // An AUTO_INCREMENT integer key becomes SQLite's INTEGER PRIMARY KEY, which assigns rowids the same way.
      sql = sql.replace(/\b(?:BIG|SMALL|MEDIUM|TINY)?INT(?:EGER)?(\s*\(\d+\))?((?:\s+(?:UNSIGNED|NOT\s+NULL))*)\s+AUTO_INCREMENT\b/gi, 'INTEGER$2');
      sql = sql.replace(/\)\s*((?:ENGINE|DEFAULT\s+CHARSET|CHARSET|COLLATE|AUTO_INCREMENT)\s*=?\s*\w+\s*)+$/i, ')');
    }
    if (this.databaseName) sql = sql.replace(new RegExp('`?' + this.databaseName + '`?\\.(?=`?\\w)', 'g'), '');
    return sql.replace(/@@(?:session\.|global\.|local\.)?(\w+)/gi, "mysql_variable('$1')");
  }

  private run(sql: string, original: string): StatementResult {
    let statement: Database.Statement;
    try {
      statement = this.db.prepare(sql);
    } catch (error) {
      throw toMysqlError(error, original, this.session?.database, this.flavor);
    }
    try {
      statement.safeIntegers(true);
      if (statement.reader) return this.rows(statement);
      const info = statement.run();
      const dml = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);
      return { kind: 'ok', affectedRows: dml ? info.changes : 0, lastInsertId: this.insertId(sql, info.lastInsertRowid) };
    } catch (error) {
      if (error instanceof MysqlError) throw error;
      throw toMysqlError(error, original, this.session?.database, this.flavor);
    }
  }

  private rows(statement: Database.Statement): StatementResult {
    const rows = statement.raw(true).all() as unknown[][];
    const columns = statement.columns().map((column, index): ColumnDefinition => ({
      schema: column.table ? (this.session?.database ?? '') : '',
      table: column.table ?? '',
      orgTable: column.table ?? '',
      name: column.name,
      orgName: column.column ?? '',
      ...mysqlColumnType(column.type, rows[0]?.[index]),
    }));
    return { kind: 'rows', columns, rows };
  }

  /** MySQL reports an insert id only for an AUTO_INCREMENT key, which palisade stores as INTEGER PRIMARY KEY. */
  private insertId(sql: string, rowid: number | bigint): number | bigint {
    const table = /^\s*(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+`?(\w+)`?/i.exec(sql)?.[1];
    if (!table) return 0;
    const columns = this.db.prepare('SELECT type, pk FROM pragma_table_info(?)').all(table) as { type: string; pk: number }[];
    const keys = columns.filter((column) => column.pk > 0);
    return keys.length === 1 && keys[0].type.toUpperCase() === 'INTEGER' ? rowid : 0;
  }

  private registerFunctions(): void {
    const now = () => new Date().toISOString().slice(0, 19).replace('T', ' ');
    this.db.function('NOW', now);
    this.db.function('SYSDATE', now);
    this.db.function('DATABASE', () => this.session?.database ?? null);
    this.db.function('SCHEMA', () => this.session?.database ?? null);
    this.db.function('VERSION', () => this.serverVersion);
    this.db.function('CONNECTION_ID', () => this.session?.connectionId ?? 0);
    this.db.function('USER', () => (this.session ? `${this.session.user}@${this.session.host}` : null));
    this.db.function('CURRENT_USER', () => (this.session ? `${this.session.user}@%` : null));
    this.db.function('mysql_variable', (name: unknown) => this.variable(String(name)));
  }

  private variable(name: string): string | number | null {
    switch (name.toLowerCase()) {
      case 'version':
        return this.serverVersion;
      case 'version_comment':
        return this.flavor === 'MariaDB' ? 'MariaDB Server' : 'Source distribution';
      case 'autocommit':
        return this.session?.autocommit === false ? 0 : 1;
      case 'max_allowed_packet':
        return 67108864;
      case 'character_set_client':
      case 'character_set_connection':
      case 'character_set_results':
        return 'utf8mb4';
      case 'transaction_isolation':
      case 'tx_isolation':
        return 'REPEATABLE-READ';
      default:
        throw new MysqlError('ER_UNKNOWN_SYSTEM_VARIABLE', `Unknown system variable '${name}'`);
    }
  }
}
