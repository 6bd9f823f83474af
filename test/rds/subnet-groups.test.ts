import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';

const run = promisify(execFile);
let palisade: TestPalisade;
before(async () => {
  palisade = await startTestPalisade();
});
after(async () => {
  await palisade.stop();
});

// AWS CLI v1 ignores AWS_ENDPOINT_URL for `aws rds` in us-east-1, so the endpoint is passed on the command line.
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

test('DB subnet group create, describe, delete', async () => {
  const created = await aws(
    'create-db-subnet-group', '--db-subnet-group-name', 'WA-DB-Subnets', '--db-subnet-group-description', 'lab DB subnets',
    '--subnet-ids', 'subnet-0a1b2c3d', 'subnet-4e5f6a7b',
  );
  assert.equal(created.DBSubnetGroup.DBSubnetGroupName, 'wa-db-subnets');
  assert.deepEqual(created.DBSubnetGroup.Subnets.map((s: any) => s.SubnetIdentifier), ['subnet-0a1b2c3d', 'subnet-4e5f6a7b']);
  assert.equal(created.DBSubnetGroup.DBSubnetGroupArn, `arn:aws:rds:us-east-1:${palisade.app.accountId}:subgrp:wa-db-subnets`);

  const described = await aws('describe-db-subnet-groups', '--db-subnet-group-name', 'wa-db-subnets');
  assert.equal(described.DBSubnetGroups.length, 1);
  assert.equal(described.DBSubnetGroups[0].DBSubnetGroupDescription, 'lab DB subnets');

  await aws('delete-db-subnet-group', '--db-subnet-group-name', 'wa-db-subnets').catch(async () => {
    // delete-db-subnet-group prints nothing on success, which is not JSON.
  });
  const failure = await awsFailure('describe-db-subnet-groups', '--db-subnet-group-name', 'wa-db-subnets');
  assert.match(failure.stderr, /\(DBSubnetGroupNotFoundFault\) when calling the DescribeDBSubnetGroups operation: DBSubnetGroup 'wa-db-subnets' not found\./);
});

test('instance in a subnet group blocks its deletion', async () => {
  await aws('create-db-subnet-group', '--db-subnet-group-name', 'used', '--db-subnet-group-description', 'in use', '--subnet-ids', 'subnet-1');
  await aws(
    'create-db-instance', '--db-instance-identifier', 'grouped', '--db-instance-class', 'db.t3.micro', '--engine', 'mariadb',
    '--allocated-storage', '20', '--master-username', 'admin', '--master-user-password', 'Another-Passw0rd', '--db-subnet-group-name', 'used',
  );
  const failure = await awsFailure('delete-db-subnet-group', '--db-subnet-group-name', 'used');
  assert.match(failure.stderr, /\(InvalidDBSubnetGroupStateFault\)/);
  const deleted = await aws('delete-db-instance', '--db-instance-identifier', 'grouped', '--skip-final-snapshot');
  assert.equal(deleted.DBInstance.DBSubnetGroup.DBSubnetGroupName, 'used');
  assert.equal(deleted.DBInstance.Engine, 'mariadb');
});

test('create-db-instance parameter errors', async () => {
  const short = await awsFailure(
    'create-db-instance', '--db-instance-identifier', 'short-pw', '--db-instance-class', 'db.t3.micro', '--engine', 'mysql',
    '--allocated-storage', '20', '--master-username', 'admin', '--master-user-password', 'short',
  );
  assert.match(short.stderr, /\(InvalidParameterValue\) when calling the CreateDBInstance operation: The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters\./);
  assert.equal(short.stderr.includes('short\n'), false);

  const badId = await awsFailure(
    'create-db-instance', '--db-instance-identifier', '1bad--id', '--db-instance-class', 'db.t3.micro', '--engine', 'mysql',
    '--allocated-storage', '20', '--master-username', 'admin', '--master-user-password', 'Long-enough-1',
  );
  assert.match(badId.stderr, /\(InvalidParameterValue\).*The parameter DBInstanceIdentifier is not a valid identifier\./);

  const snapshot = await awsFailure('delete-db-instance', '--db-instance-identifier', 'missing');
  assert.match(snapshot.stderr, /\(DBInstanceNotFound\).*DBInstance missing not found\./);
});
