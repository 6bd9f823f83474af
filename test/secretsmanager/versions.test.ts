import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SecretsManagerClient,
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  DescribeSecretCommand,
  UpdateSecretVersionStageCommand,
  ListSecretVersionIdsCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';

let palisade: TestPalisade;
let sm: SecretsManagerClient;
before(async () => {
  palisade = await startTestPalisade();
  sm = new SecretsManagerClient({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('CreateSecret returns ARN with six-character suffix', async () => {
  const created = await sm.send(new CreateSecretCommand({ Name: 'arn-shape', SecretString: 'v1' }));
  assert.match(created.ARN!, new RegExp(`^arn:aws:secretsmanager:us-east-1:${palisade.app.accountId}:secret:arn-shape-[A-Za-z0-9]{6}$`));
  assert.equal(created.Name, 'arn-shape');
  assert.match(created.VersionId!, UUID);
});

test('GetSecretValue by name, full ARN and partial ARN', async () => {
  const created = await sm.send(new CreateSecretCommand({ Name: 'lookup/db', SecretString: '{"password":"p1"}' }));
  const partial = created.ARN!.slice(0, -7);
  for (const SecretId of ['lookup/db', created.ARN!, partial]) {
    const value = await sm.send(new GetSecretValueCommand({ SecretId }));
    assert.equal(value.SecretString, '{"password":"p1"}');
    assert.equal(value.ARN, created.ARN);
    assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
    assert.ok(value.CreatedDate instanceof Date);
  }
});

test('PutSecretValue moves AWSCURRENT and AWSPREVIOUS', async () => {
  const created = await sm.send(new CreateSecretCommand({ Name: 'stages', SecretString: 'first' }));
  const second = await sm.send(new PutSecretValueCommand({ SecretId: 'stages', SecretString: 'second' }));
  assert.deepEqual(second.VersionStages, ['AWSCURRENT']);
  const third = await sm.send(new PutSecretValueCommand({ SecretId: 'stages', SecretString: 'third' }));

  const described = await sm.send(new DescribeSecretCommand({ SecretId: 'stages' }));
  assert.deepEqual(described.VersionIdsToStages, {
    [second.VersionId!]: ['AWSPREVIOUS'],
    [third.VersionId!]: ['AWSCURRENT'],
  });
  assert.equal(described.RotationEnabled, false);
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'stages' }))).SecretString, 'third');
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'stages', VersionStage: 'AWSPREVIOUS' }))).SecretString, 'second');
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'stages', VersionId: created.VersionId }))).SecretString, 'first');

  const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'stages' }));
  assert.deepEqual(listed.Versions!.map((v) => v.VersionId).sort(), [second.VersionId, third.VersionId].sort());
  const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'stages', IncludeDeprecated: true }));
  assert.equal(all.Versions!.length, 3);
});

test('PutSecretValue with AWSPENDING leaves AWSCURRENT', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'pending', SecretString: 'current' }));
  const error = await rejection(sm.send(new GetSecretValueCommand({ SecretId: 'pending', VersionStage: 'AWSPENDING' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, "Secrets Manager can't find the specified secret value for staging label: AWSPENDING");

  await sm.send(new PutSecretValueCommand({ SecretId: 'pending', SecretString: 'next', VersionStages: ['AWSPENDING'] }));
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'pending' }))).SecretString, 'current');
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'pending', VersionStage: 'AWSPENDING' }))).SecretString, 'next');
});

test('PutSecretValue is idempotent per ClientRequestToken', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'idempotent', SecretString: 'a' }));
  const token = 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1';
  const first = await sm.send(new PutSecretValueCommand({ SecretId: 'idempotent', SecretString: 'b', ClientRequestToken: token }));
  assert.equal(first.VersionId, token);
  const again = await sm.send(new PutSecretValueCommand({ SecretId: 'idempotent', SecretString: 'b', ClientRequestToken: token }));
  assert.equal(again.VersionId, token);
  const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'idempotent', IncludeDeprecated: true }));
  assert.equal(listed.Versions!.length, 2);

  const error = await rejection(sm.send(new PutSecretValueCommand({ SecretId: 'idempotent', SecretString: 'c', ClientRequestToken: token })));
  assert.equal(error.name, 'ResourceExistsException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, "You can't modify an existing version, you can only create a new version.");
});

test('UpdateSecretVersionStage moves AWSCURRENT back', async () => {
  const created = await sm.send(new CreateSecretCommand({ Name: 'rollback', SecretString: 'old' }));
  const next = await sm.send(new PutSecretValueCommand({ SecretId: 'rollback', SecretString: 'new' }));

  const missingRemove = await rejection(
    sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'rollback', VersionStage: 'AWSCURRENT', MoveToVersionId: created.VersionId })),
  );
  assert.equal(missingRemove.name, 'InvalidParameterException');
  assert.equal(
    missingRemove.message,
    `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${next.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
  );
  const wrongRemove = await rejection(
    sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'rollback', VersionStage: 'AWSCURRENT', MoveToVersionId: created.VersionId, RemoveFromVersionId: created.VersionId })),
  );
  assert.equal(wrongRemove.name, 'InvalidParameterException');
  assert.equal(wrongRemove.message, 'When you move staging label AWSCURRENT, if you specify RemoveFromVersionId, it must be set to the version that currently has the staging label AWSCURRENT.');

  await sm.send(
    new UpdateSecretVersionStageCommand({ SecretId: 'rollback', VersionStage: 'AWSCURRENT', MoveToVersionId: created.VersionId, RemoveFromVersionId: next.VersionId }),
  );
  const described = await sm.send(new DescribeSecretCommand({ SecretId: 'rollback' }));
  assert.deepEqual(described.VersionIdsToStages, { [created.VersionId!]: ['AWSCURRENT'], [next.VersionId!]: ['AWSPREVIOUS'] });
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'rollback' }))).SecretString, 'old');
});

test('UpdateSecretVersionStage custom label add and remove', async () => {
  const created = await sm.send(new CreateSecretCommand({ Name: 'custom-label', SecretString: 'x' }));
  await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'custom-label', VersionStage: 'BLUE', MoveToVersionId: created.VersionId }));
  assert.deepEqual((await sm.send(new GetSecretValueCommand({ SecretId: 'custom-label', VersionStage: 'BLUE' }))).VersionStages, ['AWSCURRENT', 'BLUE']);
  await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'custom-label', VersionStage: 'BLUE', RemoveFromVersionId: created.VersionId }));
  const error = await rejection(sm.send(new GetSecretValueCommand({ SecretId: 'custom-label', VersionStage: 'BLUE' })));
  assert.equal(error.message, "Secrets Manager can't find the specified secret value for staging label: BLUE");

  const removeCurrent = await rejection(
    sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'custom-label', VersionStage: 'AWSCURRENT', RemoveFromVersionId: created.VersionId })),
  );
  assert.equal(removeCurrent.name, 'InvalidParameterException');
});

test('GetSecretValue unknown VersionId', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'unknown-version', SecretString: 'x' }));
  const versionId = '11111111-2222-3333-4444-555555555555';
  const error = await rejection(sm.send(new GetSecretValueCommand({ SecretId: 'unknown-version', VersionId: versionId })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
});

test('UpdateSecret new value and description', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'updated', SecretString: 'one', Description: 'before' }));
  const updated = await sm.send(new UpdateSecretCommand({ SecretId: 'updated', SecretString: 'two', Description: 'after' }));
  assert.match(updated.VersionId!, UUID);
  const described = await sm.send(new DescribeSecretCommand({ SecretId: 'updated' }));
  assert.equal(described.Description, 'after');
  assert.deepEqual(described.VersionIdsToStages![updated.VersionId!], ['AWSCURRENT']);
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'updated', VersionStage: 'AWSPREVIOUS' }))).SecretString, 'one');
});

test('SecretBinary round trip', async () => {
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);
  await sm.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
  const value = await sm.send(new GetSecretValueCommand({ SecretId: 'binary' }));
  assert.deepEqual([...value.SecretBinary!], [...bytes]);
  assert.equal(value.SecretString, undefined);
});
