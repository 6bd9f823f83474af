/**
 * The lab's query function: `GET /?id=<id>` → `["My favorite player is <Name>", ...]`.
 *
 * WARNING: deliberately injectable. The SQL text is built by concatenating the
 * `id` the API passes through unquoted, exactly as the lab's function does,
 * because the lab's point is that the web ACL's SQL-injection rule stops what
 * this code lets through. `../query-parameterised/` is the fix.
 *
 * Unlike the lab's function, this one never logs the secret it reads.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import mysql from 'mysql2/promise';

const secrets = new SecretsManagerClient({});
let connection: mysql.Connection | undefined;

interface QueryEvent {
  id?: string;
}

/** Open the database connection with the password from Secrets Manager, reusing a live one while warm. */
async function openConnection(): Promise<mysql.Connection> {
  // The secret is read on every invocation, as the lab does, so a rotated
  // password is picked up by the next new connection.
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_NAME }));
  const { password } = JSON.parse(secret.SecretString ?? '{}') as { password?: string };
  if (connection) return connection;
  const opened = await mysql.createConnection({
    host: process.env.RDS_HOST,
    port: Number(process.env.RDS_PORT ?? 3306),
    user: process.env.RDS_USERNAME,
    password,
    database: process.env.RDS_DB_NAME,
    connectTimeout: 5000,
  });
  opened.on('error', () => {
    connection = undefined;
  });
  connection = opened;
  return opened;
}

export async function handler(event: QueryEvent): Promise<string[] | string> {
  try {
    const db = await openConnection();
    const sql = 'select Name from ' + process.env.RDS_Table_NAME + ' where id=' + event.id;
    const [rows] = await db.query(sql);
    return (rows as { Name: string }[]).map((row) => 'My favorite player is ' + row.Name);
  } catch (error) {
    console.error('query failed:', (error as Error).message);
    return 'Please make sure you provided query string like URL/?id=1';
  }
}
