/**
 * The fix for the lab's query function: the `id` must be a decimal integer and
 * reaches MySQL as a bound value, never as SQL text, so `1 or 1=1` is refused
 * by the code itself whatever the web ACL does.
 *
 * Deploy it in place of `../query/` by pointing the LambdaRDSTest function's
 * CodeUri here.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import mysql from 'mysql2/promise';

const secrets = new SecretsManagerClient({});
let connection: mysql.Connection | undefined;

const DECIMAL_ID = /^[0-9]{1,18}$/;
const USAGE = 'Please make sure you provided query string like URL/?id=1';

async function openConnection(): Promise<mysql.Connection> {
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

export async function handler(event: { id?: string }): Promise<string[] | string> {
  if (typeof event.id !== 'string' || !DECIMAL_ID.test(event.id)) return USAGE;
  try {
    const db = await openConnection();
    // `??` binds an identifier and `?` a value; mysql2 escapes both on the client.
    const [rows] = await db.query('select Name from ?? where id = ?', [process.env.RDS_Table_NAME, Number(event.id)]);
    return (rows as { Name: string }[]).map((row) => 'My favorite player is ' + row.Name);
  } catch (error) {
    console.error('query failed:', (error as Error).message);
    return USAGE;
  }
}
