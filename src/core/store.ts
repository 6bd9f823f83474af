import { mkdirSync, existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, createCipheriv, createDecipheriv } from 'node:crypto';
import Database from 'better-sqlite3';

/**
 * The state directory's durable record store: one SQLite file holding every
 * service's resources as JSON documents keyed by (service, kind, id).
 *
 * Secret material (secret values, client secrets, password hashes' peppers)
 * goes through `seal` / `open`, AES-256-GCM under a key kept in the state
 * directory with mode 0600, the local stand-in for the AWS managed KMS key.
 */
export class StateStore {
  readonly dir: string;
  private readonly db: Database.Database;
  private readonly key: Buffer;
  private readonly closing: (() => void)[] = [];
  private readonly statements: {
    get: Database.Statement;
    put: Database.Statement;
    delete: Database.Statement;
    list: Database.Statement;
  };

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.key = loadOrCreateKey(join(dir, 'master.key'));
    this.db = new Database(join(dir, 'state.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS records (
      service TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
      seq INTEGER NOT NULL, PRIMARY KEY (service, kind, id))`);
    this.statements = {
      get: this.db.prepare('SELECT data FROM records WHERE service = ? AND kind = ? AND id = ?'),
      put: this.db.prepare(`INSERT INTO records (service, kind, id, data, seq)
        VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM records))
        ON CONFLICT (service, kind, id) DO UPDATE SET data = excluded.data`),
      delete: this.db.prepare('DELETE FROM records WHERE service = ? AND kind = ? AND id = ?'),
      list: this.db.prepare('SELECT data FROM records WHERE service = ? AND kind = ? ORDER BY seq'),
    };
  }

  /** The SQLite handle, for services that keep tables of their own (log events). Name tables `<service>_<what>`. */
  get database(): Database.Database {
    return this.db;
  }

  get<T>(service: string, kind: string, id: string): T | undefined {
    const row = this.statements.get.get(service, kind, id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  put<T>(service: string, kind: string, id: string, value: T): void {
    this.statements.put.run(service, kind, id, JSON.stringify(value));
  }

  delete(service: string, kind: string, id: string): boolean {
    return this.statements.delete.run(service, kind, id).changes > 0;
  }

  /** All records of one kind, in the order they were first written. */
  list<T>(service: string, kind: string): T[] {
    return (this.statements.list.all(service, kind) as { data: string }[]).map((row) => JSON.parse(row.data) as T);
  }

  /** Run `fn` in one SQLite transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Encrypt a value for storage: base64 of iv(12) | tag(16) | ciphertext. */
  seal(plaintext: string | Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): Buffer {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }

  openString(sealed: string): string {
    return this.open(sealed).toString('utf8');
  }

  /** Run `fn` when the store closes, before the database does (write-behind caches flush here). */
  beforeClose(fn: () => void): void {
    this.closing.push(fn);
  }

  close(): void {
    for (const fn of this.closing.splice(0)) fn();
    this.db.close();
  }
}

function loadOrCreateKey(path: string): Buffer {
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return key;
}
