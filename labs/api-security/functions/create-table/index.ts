/**
 * CloudFormation custom resource that creates the lab's table and its three
 * rows on Create and Update, and drops the table on Delete. It answers
 * CloudFormation by PUTting the response object to the request's ResponseURL
 * ("Custom resource response objects", AWS CloudFormation User Guide).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import mysql from 'mysql2/promise';

interface CustomResourceRequest {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
}

// Ids 2 and 3 are not shown by the lab; its query results list the players in this order.
const PLAYERS: [number, string][] = [
  [1, 'Lionel Messi'],
  [2, 'Cristiano Ronaldo'],
  [3, 'Son Heung-min'],
];

const secrets = new SecretsManagerClient({});

async function connect(): Promise<mysql.Connection> {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_NAME }));
  const { password } = JSON.parse(secret.SecretString ?? '{}') as { password?: string };
  return mysql.createConnection({
    host: process.env.RDS_HOST,
    port: Number(process.env.RDS_PORT ?? 3306),
    user: process.env.RDS_USERNAME,
    password,
    database: process.env.RDS_DB_NAME,
    connectTimeout: 5000,
  });
}

async function applyRequest(requestType: CustomResourceRequest['RequestType'], table: string): Promise<void> {
  const db = await connect();
  try {
    if (requestType === 'Delete') {
      await db.query('DROP TABLE IF EXISTS ??', [table]);
      return;
    }
    await db.query('CREATE TABLE IF NOT EXISTS ?? (id INT NOT NULL PRIMARY KEY, Name VARCHAR(255) NOT NULL)', [table]);
    for (const [id, name] of PLAYERS) {
      // REPLACE keeps an Update idempotent; MySQL and SQLite both accept it.
      await db.query('REPLACE INTO ?? (id, Name) VALUES (?, ?)', [table, id, name]);
    }
  } finally {
    await db.end();
  }
}

export async function handler(event: CustomResourceRequest): Promise<void> {
  const table = process.env.RDS_Table_NAME ?? 'players';
  let status = 'SUCCESS';
  let reason = `table ${table} is ready`;
  try {
    await applyRequest(event.RequestType, table);
  } catch (error) {
    status = 'FAILED';
    reason = `${event.RequestType} of table ${table} failed: ${(error as Error).message}`;
    console.error(reason);
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: event.PhysicalResourceId ?? `${process.env.RDS_DB_NAME}.${table}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: { TableName: table },
  });
  // A presigned S3 URL on AWS: the content type must stay empty for the signature to match.
  const response = await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body });
  if (!response.ok) throw new Error(`CloudFormation response upload failed with HTTP ${response.status}`);
}
