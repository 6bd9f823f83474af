import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  SecretsManagerClient,
  CreateSecretCommand,
  GetSecretValueCommand,
  DescribeSecretCommand,
  DeleteSecretCommand,
  RestoreSecretCommand,
  ListSecretsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  RotateSecretCommand,
  PutSecretValueCommand,
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

test('unknown secret is ResourceNotFoundException', async () => {
  const error = await rejection(sm.send(new GetSecretValueCommand({ SecretId: 'no-such-secret' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, "Secrets Manager can't find the specified secret.");
});

test('CreateSecret twice is ResourceExistsException', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'twice', SecretString: 'x' }));
  const error = await rejection(sm.send(new CreateSecretCommand({ Name: 'twice', SecretString: 'y' })));
  assert.equal(error.name, 'ResourceExistsException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'The operation failed because the secret twice already exists.');
});

test('CreateSecret with both value kinds is InvalidParameterException', async () => {
  const error = await rejection(sm.send(new CreateSecretCommand({ Name: 'both', SecretString: 'x', SecretBinary: new Uint8Array([1]) })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, "You can't specify both a binary secret value and a string secret value in the same secret.");
});

test('secret without value has no AWSCURRENT', async () => {
  const created = await sm.send(new CreateSecretCommand({ Name: 'empty' }));
  assert.equal(created.VersionId, undefined);
  const error = await rejection(sm.send(new GetSecretValueCommand({ SecretId: 'empty' })));
  assert.equal(error.message, "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
});

test('DeleteSecret then RestoreSecret', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'deleted', SecretString: 'x' }));
  const before = Date.now();
  const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'deleted', RecoveryWindowInDays: 7 }));
  const days = (deleted.DeletionDate!.getTime() - before) / 86_400_000;
  assert.ok(days > 6.99 && days <= 7.01, `DeletionDate is ${days} days away`);

  const error = await rejection(sm.send(new GetSecretValueCommand({ SecretId: 'deleted' })));
  assert.equal(error.name, 'InvalidRequestException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, "You can't perform this operation on the secret because it was marked for deletion.");
  const described = await sm.send(new DescribeSecretCommand({ SecretId: 'deleted' }));
  assert.ok(described.DeletedDate instanceof Date);
  const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['deleted'] }] }));
  assert.equal(listed.SecretList!.length, 0);
  const planned = await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: 'name', Values: ['deleted'] }] }));
  assert.equal(planned.SecretList!.length, 1);

  await sm.send(new RestoreSecretCommand({ SecretId: 'deleted' }));
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'deleted' }))).SecretString, 'x');
});

test('DeleteSecret parameter errors', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'delete-args', SecretString: 'x' }));
  const window = await rejection(sm.send(new DeleteSecretCommand({ SecretId: 'delete-args', RecoveryWindowInDays: 6 })));
  assert.equal(window.name, 'InvalidParameterException');
  assert.equal(window.message, 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  const both = await rejection(sm.send(new DeleteSecretCommand({ SecretId: 'delete-args', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })));
  assert.equal(both.name, 'InvalidParameterException');
  assert.equal(both.message, "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
});

test('ForceDeleteWithoutRecovery frees the name', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'forced', SecretString: 'x' }));
  await sm.send(new DeleteSecretCommand({ SecretId: 'forced', ForceDeleteWithoutRecovery: true }));
  const error = await rejection(sm.send(new DescribeSecretCommand({ SecretId: 'forced' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  const again = await sm.send(new CreateSecretCommand({ Name: 'forced', SecretString: 'y' }));
  assert.equal(again.Name, 'forced');
});

test('ListSecrets filters and pages', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'list/a', Description: 'Origin header', SecretString: 'x', Tags: [{ Key: 'team', Value: 'red' }] }));
  await sm.send(new CreateSecretCommand({ Name: 'list/b', Description: 'RDS MySQL password', SecretString: 'x' }));
  await sm.send(new CreateSecretCommand({ Name: 'list/c', SecretString: 'x', Tags: [{ Key: 'team', Value: 'blue' }] }));

  const byName = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }] }));
  assert.deepEqual(byName.SecretList!.map((s) => s.Name), ['list/a', 'list/b', 'list/c']);
  const byDescription = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'description', Values: ['rds'] }] }));
  assert.deepEqual(byDescription.SecretList!.map((s) => s.Name), ['list/b']);
  const byTag = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['team'] }] }));
  assert.deepEqual(byTag.SecretList!.map((s) => s.Name), ['list/a', 'list/c']);
  const negated = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }, { Key: 'tag-key', Values: ['!team'] }] }));
  assert.deepEqual(negated.SecretList!.map((s) => s.Name), ['list/b']);

  const first = await sm.send(new ListSecretsCommand({ MaxResults: 2, Filters: [{ Key: 'name', Values: ['list/'] }] }));
  assert.equal(first.SecretList!.length, 2);
  assert.ok(first.NextToken);
  const second = await sm.send(new ListSecretsCommand({ MaxResults: 2, NextToken: first.NextToken, Filters: [{ Key: 'name', Values: ['list/'] }] }));
  assert.deepEqual(second.SecretList!.map((s) => s.Name), ['list/c']);
  assert.equal(second.NextToken, undefined);
});

test('TagResource and UntagResource', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'tagged', SecretString: 'x', Tags: [{ Key: 'Name', Value: 'WARDSPassword' }] }));
  await sm.send(new TagResourceCommand({ SecretId: 'tagged', Tags: [{ Key: 'env', Value: 'lab' }, { Key: 'Name', Value: 'renamed' }] }));
  let described = await sm.send(new DescribeSecretCommand({ SecretId: 'tagged' }));
  assert.deepEqual(described.Tags, [{ Key: 'env', Value: 'lab' }, { Key: 'Name', Value: 'renamed' }]);
  await sm.send(new UntagResourceCommand({ SecretId: 'tagged', TagKeys: ['env'] }));
  described = await sm.send(new DescribeSecretCommand({ SecretId: 'tagged' }));
  assert.deepEqual(described.Tags, [{ Key: 'Name', Value: 'renamed' }]);
});

test('RotateSecret is not implemented', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'rotate-me', SecretString: 'x' }));
  const error = await rejection(sm.send(new RotateSecretCommand({ SecretId: 'rotate-me' })));
  assert.equal(error.name, 'NotImplementedException');
  assert.equal(error.$metadata.httpStatusCode, 501);
});

test('state.db holds no secret value in clear', async () => {
  const value = 'clear-text-canary-7f3a9c1e5b';
  const created = await sm.send(new CreateSecretCommand({ Name: 'sealed', SecretString: value }));
  await sm.send(new PutSecretValueCommand({ SecretId: 'sealed', SecretString: `${value}-v2` }));
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'sealed' }))).SecretString, `${value}-v2`);

  const files = readdirSync(palisade.stateDir).filter((file) => file.startsWith('state.db'));
  assert.ok(files.includes('state.db'));
  const contents = files.map((file) => readFileSync(join(palisade.stateDir, file)));
  // The record itself is there, so the files read are the ones the secret was written to.
  assert.ok(contents.some((bytes) => bytes.includes(created.ARN!)));
  for (const [index, bytes] of contents.entries()) {
    assert.equal(bytes.includes(value), false, `${files[index]} contains the secret value in clear`);
  }
});
