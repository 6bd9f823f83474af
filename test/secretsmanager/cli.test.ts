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

async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run('aws', ['secretsmanager', ...args, '--output', 'json'], { env: palisade.cliEnv, timeout: 30_000 });
  return JSON.parse(stdout);
}

test('AWS CLI create, put, get and describe', async () => {
  const created = await aws('create-secret', '--name', 'cli/db', '--description', 'RDS MySQL password', '--secret-string', '{"username":"admin","password":"first"}');
  assert.equal(created.Name, 'cli/db');
  assert.match(created.ARN, /:secret:cli\/db-[A-Za-z0-9]{6}$/);

  const put = await aws('put-secret-value', '--secret-id', 'cli/db', '--secret-string', '{"username":"admin","password":"second"}');
  assert.deepEqual(put.VersionStages, ['AWSCURRENT']);

  const value = await aws('get-secret-value', '--secret-id', created.ARN);
  assert.equal(JSON.parse(value.SecretString).password, 'second');
  assert.equal(value.VersionId, put.VersionId);
  const previous = await aws('get-secret-value', '--secret-id', 'cli/db', '--version-stage', 'AWSPREVIOUS');
  assert.equal(JSON.parse(previous.SecretString).password, 'first');

  const described = await aws('describe-secret', '--secret-id', 'cli/db');
  assert.equal(described.Description, 'RDS MySQL password');
  assert.deepEqual(described.VersionIdsToStages, { [created.VersionId]: ['AWSPREVIOUS'], [put.VersionId]: ['AWSCURRENT'] });
  // CLI v1 prints awsJson timestamps as the epoch seconds it received.
  assert.equal(typeof described.CreatedDate, 'number');
});

test('AWS CLI missing secret error', async () => {
  const failure = await run('aws', ['secretsmanager', 'get-secret-value', '--secret-id', 'cli/none'], { env: palisade.cliEnv, timeout: 30_000 }).then(
    () => assert.fail('expected the CLI to fail'),
    (error) => error,
  );
  assert.equal(failure.code, 255);
  assert.match(
    failure.stderr,
    /An error occurred \(ResourceNotFoundException\) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret\./,
  );
});
