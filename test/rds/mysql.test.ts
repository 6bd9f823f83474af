import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { RawMysqlClient } from './raw-client.ts';

const run = promisify(execFile);
const PASSWORD = 'Lab-Passw0rd!x';
const stateDir = mkdtempSync(join(tmpdir(), 'palisade-rds-'));
let palisade: TestPalisade;

before(async () => {
  palisade = await startTestPalisade({ stateDir });
});
after(async () => {
  await palisade.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

/**
 * AWS CLI v1 replaces the endpoint of `aws rds` in us-east-1 with
 * https://rds.amazonaws.com unless --endpoint-url is given on the command
 * line (awscli/customizations/overridesslcommonname.py), so AWS_ENDPOINT_URL
 * alone does not reach palisade.
 */
function rdsArgs(args: string[]): string[] {
  return ['rds', ...args, '--endpoint-url', palisade.url, '--output', 'json'];
}

async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run('aws', rdsArgs(args), { env: palisade.cliEnv, timeout: 30_000 });
  return JSON.parse(stdout);
}

async function awsFailure(...args: string[]): Promise<any> {
  return run('aws', rdsArgs(args), { env: palisade.cliEnv, timeout: 30_000 }).then(
    () => assert.fail('expected the CLI to fail'),
    (error) => error,
  );
}

async function connect(port: number, options: { password?: string; database?: string } = {}) {
  // Without a port mysql2 would try 3306, where another server may listen.
  assert.ok(Number.isInteger(port) && port > 0, 'the DB instance has no port');
  return mysql.createConnection({
    host: '127.0.0.1',
    port,
    user: 'admin',
    password: options.password ?? PASSWORD,
    database: options.database ?? 'playersdb',
    connectTimeout: 5000,
  });
}

async function queryError(connection: mysql.Connection, sql: string): Promise<any> {
  try {
    await connection.query(sql);
  } catch (error) {
    return error;
  }
  assert.fail(`expected ${sql} to fail`);
}

let port: number;

test('create-db-instance returns the lab instance', async () => {
  const output = await aws(
    'create-db-instance',
    '--db-instance-identifier', 'WA-lab-mysql-RDS',
    '--db-instance-class', 'db.t2.micro',
    '--engine', 'mysql',
    '--allocated-storage', '20',
    '--master-username', 'admin',
    '--master-user-password', PASSWORD,
    '--db-name', 'playersdb',
    '--no-publicly-accessible',
    '--backup-retention-period', '0',
  );
  const instance = output.DBInstance;
  assert.equal(instance.DBInstanceIdentifier, 'wa-lab-mysql-rds');
  assert.equal(instance.DBInstanceStatus, 'available');
  assert.equal(instance.Engine, 'mysql');
  assert.equal(instance.MasterUsername, 'admin');
  assert.equal(instance.DBName, 'playersdb');
  assert.equal(instance.AllocatedStorage, 20);
  assert.equal(instance.BackupRetentionPeriod, 0);
  assert.equal(instance.PubliclyAccessible, false);
  assert.equal(instance.Endpoint.Address, '127.0.0.1');
  assert.equal(typeof instance.Endpoint.Port, 'number');
  assert.equal(instance.DBInstanceArn, `arn:aws:rds:us-east-1:${palisade.app.accountId}:db:wa-lab-mysql-rds`);
  assert.deepEqual(instance.DBParameterGroups, [{ DBParameterGroupName: 'default.mysql8.0', ParameterApplyStatus: 'in-sync' }]);
  assert.equal(JSON.stringify(output).includes(PASSWORD), false);
  port = instance.Endpoint.Port;
});

test('describe-db-instances lists and finds it', async () => {
  const all = await aws('describe-db-instances');
  assert.deepEqual(all.DBInstances.map((i: any) => i.DBInstanceIdentifier), ['wa-lab-mysql-rds']);
  const one = await aws('describe-db-instances', '--db-instance-identifier', 'WA-lab-mysql-RDS');
  assert.equal(one.DBInstances[0].Endpoint.Port, port);
});

test('describe-db-instances unknown id is DBInstanceNotFound', async () => {
  const failure = await awsFailure('describe-db-instances', '--db-instance-identifier', 'nope');
  assert.equal(failure.code, 255);
  assert.match(failure.stderr, /An error occurred \(DBInstanceNotFound\) when calling the DescribeDBInstances operation: DBInstance nope not found\./);
});

test('create-db-instance twice is DBInstanceAlreadyExists', async () => {
  const failure = await awsFailure(
    'create-db-instance', '--db-instance-identifier', 'wa-lab-mysql-rds', '--db-instance-class', 'db.t2.micro', '--engine', 'mysql',
    '--allocated-storage', '20', '--master-username', 'admin', '--master-user-password', PASSWORD,
  );
  assert.match(failure.stderr, /\(DBInstanceAlreadyExists\) when calling the CreateDBInstance operation: DB instance already exists/);
});

test('mysql2 creates, fills and queries players', async () => {
  const connection = await connect(port);
  try {
    const [created] = await connection.query('CREATE TABLE players (id INT PRIMARY KEY, Name VARCHAR(255))');
    assert.equal((created as mysql.ResultSetHeader).affectedRows, 0);
    const [inserted] = await connection.query(
      "INSERT INTO players (id, Name) VALUES (1, 'Lionel Messi'), (2, 'Cristiano Ronaldo'), (3, 'Son Heung-min')",
    );
    assert.equal((inserted as mysql.ResultSetHeader).affectedRows, 3);

    const [one, fields] = await connection.query('select Name from players where id=1');
    assert.deepEqual(one, [{ Name: 'Lionel Messi' }]);
    assert.equal(fields[0].name, 'Name');
    assert.equal(fields[0].columnType, 253);

    const [all] = await connection.query('select Name from players where id=1 or 1=1');
    assert.deepEqual((all as any[]).map((row) => row.Name), ['Lionel Messi', 'Cristiano Ronaldo', 'Son Heung-min']);

    const [ids] = await connection.query('select id from players order by id');
    assert.deepEqual(ids, [{ id: 1 }, { id: 2 }, { id: 3 }]);
  } finally {
    await connection.end();
  }
});

test('wrong password is ER_ACCESS_DENIED_ERROR', async () => {
  const error = await connect(port, { password: 'not-the-password' }).then(
    () => assert.fail('expected the login to fail'),
    (e) => e,
  );
  assert.equal(error.code, 'ER_ACCESS_DENIED_ERROR');
  assert.equal(error.errno, 1045);
  assert.equal(error.sqlState, '28000');
  assert.equal(error.sqlMessage, "Access denied for user 'admin'@'127.0.0.1' (using password: YES)");
});

test('unknown database is ER_BAD_DB_ERROR', async () => {
  const error = await connect(port, { database: 'otherdb' }).then(
    () => assert.fail('expected the login to fail'),
    (e) => e,
  );
  assert.equal(error.code, 'ER_BAD_DB_ERROR');
  assert.equal(error.errno, 1049);
  assert.equal(error.sqlMessage, "Unknown database 'otherdb'");
});

test('SQL errors carry MySQL codes', async () => {
  const connection = await connect(port);
  try {
    const syntax = await queryError(connection, 'selec Name from players');
    assert.equal(syntax.code, 'ER_PARSE_ERROR');
    assert.equal(syntax.errno, 1064);
    assert.equal(
      syntax.sqlMessage,
      "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'selec Name from players' at line 1",
    );
    const missing = await queryError(connection, 'select * from teams');
    assert.equal(missing.code, 'ER_NO_SUCH_TABLE');
    assert.equal(missing.errno, 1146);
    assert.equal(missing.sqlMessage, "Table 'playersdb.teams' doesn't exist");
    // The connection stays usable after errors.
    const [rows] = await connection.query('select count(*) as n from players');
    assert.deepEqual(rows, [{ n: 3 }]);
  } finally {
    await connection.end();
  }
});

test('ping, init db and session statements', async () => {
  const connection = await connect(port);
  try {
    await connection.ping();
    await connection.query('SET NAMES utf8mb4');
    await connection.query('SET autocommit = 1');
    const [version] = await connection.query('SELECT @@version AS v, DATABASE() AS db');
    assert.deepEqual(version, [{ v: '8.0.39', db: 'playersdb' }]);
  } finally {
    await connection.end();
  }
});

test('prepared statements are rejected by name', async () => {
  const connection = await connect(port);
  try {
    const error = await connection.execute('select Name from players where id = ?', [1]).then(
      () => assert.fail('expected COM_STMT_PREPARE to fail'),
      (e) => e,
    );
    assert.equal(error.errno, 1047);
    assert.equal(error.sqlMessage, "palisade's MySQL server does not support COM_STMT_PREPARE");
  } finally {
    await connection.end();
  }
});

test('result sets with CLIENT_DEPRECATE_EOF', async () => {
  // PROTOCOL_41 | SECURE_CONNECTION | CONNECT_WITH_DB | PLUGIN_AUTH | DEPRECATE_EOF
  const capabilities = 0x200 | 0x8000 | 0x8 | 0x80000 | 0x1000000;
  const client = await RawMysqlClient.open(port);
  try {
    const login = await client.login('admin', PASSWORD, 'playersdb', capabilities);
    assert.equal(login[0], 0x00);
    client.write(Buffer.concat([Buffer.from([0x03]), Buffer.from('select Name from players where id=1')]), 0);
    const count = await client.read();
    assert.deepEqual([...count.payload], [1]);
    assert.equal(count.sequenceId, 1);
    const column = await client.read();
    assert.ok(column.payload.includes(Buffer.from('Name')));
    // No EOF packet follows the column definitions: the row comes next.
    const row = await client.read();
    assert.equal(row.payload[0], 'Lionel Messi'.length);
    assert.equal(row.payload.subarray(1).toString(), 'Lionel Messi');
    const end = await client.read();
    assert.equal(end.payload[0], 0xfe);
    assert.ok(end.payload.length >= 7, 'the result set ends with an OK packet, not a 5-byte EOF');
    assert.equal(end.sequenceId, 4);
  } finally {
    client.close();
  }
});

test('result sets without CLIENT_DEPRECATE_EOF', async () => {
  const client = await RawMysqlClient.open(port);
  try {
    await client.login('admin', PASSWORD, 'playersdb', 0x200 | 0x8000 | 0x8 | 0x80000);
    client.write(Buffer.concat([Buffer.from([0x03]), Buffer.from('select Name from players where id=1')]), 0);
    await client.read();
    await client.read();
    const eof = await client.read();
    assert.equal(eof.payload[0], 0xfe);
    assert.equal(eof.payload.length, 5);
  } finally {
    client.close();
  }
});

test('modify-db-instance changes the password', async () => {
  const newPassword = 'Rotated-Passw0rd';
  await aws('modify-db-instance', '--db-instance-identifier', 'wa-lab-mysql-rds', '--master-user-password', newPassword, '--apply-immediately');
  const old = await connect(port).then(
    () => assert.fail('expected the old password to fail'),
    (e) => e,
  );
  assert.equal(old.errno, 1045);
  const connection = await connect(port, { password: newPassword });
  await connection.end();
  await aws('modify-db-instance', '--db-instance-identifier', 'wa-lab-mysql-rds', '--master-user-password', PASSWORD, '--apply-immediately');
});

test('restart keeps rows and port', async () => {
  await palisade.stop();
  palisade = await startTestPalisade({ stateDir });
  const described = await aws('describe-db-instances', '--db-instance-identifier', 'wa-lab-mysql-rds');
  assert.equal(described.DBInstances[0].Endpoint.Port, port);
  const connection = await connect(port);
  try {
    const [rows] = await connection.query('select Name from players where id=1');
    assert.deepEqual(rows, [{ Name: 'Lionel Messi' }]);
  } finally {
    await connection.end();
  }
});

test('delete-db-instance closes the port', async () => {
  const deleted = await aws('delete-db-instance', '--db-instance-identifier', 'wa-lab-mysql-rds', '--skip-final-snapshot');
  assert.equal(deleted.DBInstance.DBInstanceStatus, 'deleting');
  const error = await connect(port).then(
    () => assert.fail('expected the connection to be refused'),
    (e) => e,
  );
  assert.equal(error.code, 'ECONNREFUSED');
  const all = await aws('describe-db-instances');
  assert.deepEqual(all.DBInstances, []);
});
