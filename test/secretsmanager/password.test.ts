import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SecretsManagerClient, GetRandomPasswordCommand } from '@aws-sdk/client-secrets-manager';
import { generateSecretString } from '../../src/services/secretsmanager/index.ts';
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

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

test('GetRandomPassword defaults to 32 of each type', async () => {
  for (let i = 0; i < 20; i++) {
    const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({}));
    assert.equal(RandomPassword!.length, 32);
    assert.match(RandomPassword!, /[a-z]/);
    assert.match(RandomPassword!, /[A-Z]/);
    assert.match(RandomPassword!, /[0-9]/);
    assert.match(RandomPassword!, PUNCTUATION);
    assert.doesNotMatch(RandomPassword!, / /);
  }
});

test('GetRandomPassword honours exclusions', async () => {
  for (let i = 0; i < 20; i++) {
    const { RandomPassword } = await sm.send(
      new GetRandomPasswordCommand({ PasswordLength: 40, ExcludeCharacters: 'abcdef', ExcludeNumbers: true, ExcludeUppercase: true, IncludeSpace: true }),
    );
    assert.equal(RandomPassword!.length, 40);
    assert.doesNotMatch(RandomPassword!, /[a-fA-Z0-9]/);
    assert.match(RandomPassword!, /[g-z]/);
    assert.match(RandomPassword!, / /);
    assert.match(RandomPassword!, PUNCTUATION);
  }
});

test('GetRandomPassword letters only', async () => {
  const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 64, ExcludePunctuation: true, ExcludeNumbers: true, ExcludeLowercase: true }));
  assert.match(RandomPassword!, /^[A-Z]{64}$/);
});

test('GetRandomPassword rejects empty alphabet', async () => {
  const error = await rejection(
    sm.send(new GetRandomPasswordCommand({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })),
  );
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.$metadata.httpStatusCode, 400);
});

test('GetRandomPassword rejects length 0', async () => {
  const error = await rejection(sm.send(new GetRandomPasswordCommand({ PasswordLength: 0 })));
  assert.equal(error.name, 'ValidationException');
});

test('generateSecretString database template', () => {
  for (let i = 0; i < 50; i++) {
    const text = generateSecretString({
      SecretStringTemplate: '{"username": "admin"}',
      GenerateStringKey: 'password',
      PasswordLength: 16,
      ExcludeCharacters: '"@/\\',
    });
    const secret = JSON.parse(text);
    assert.deepEqual(Object.keys(secret), ['username', 'password']);
    assert.equal(secret.username, 'admin');
    assert.equal(secret.password.length, 16);
    assert.doesNotMatch(secret.password, /["@/\\]/);
    assert.match(secret.password, /[a-z]/);
    assert.match(secret.password, /[A-Z]/);
    assert.match(secret.password, /[0-9]/);
    assert.match(secret.password, PUNCTUATION);
  }
});

test('generateSecretString header template', () => {
  for (let i = 0; i < 50; i++) {
    const text = generateSecretString({ SecretStringTemplate: '{"HEADERVALUE": "RandomHeader"}', GenerateStringKey: 'HEADERVALUE', ExcludePunctuation: true });
    const secret = JSON.parse(text);
    assert.deepEqual(Object.keys(secret), ['HEADERVALUE']);
    assert.match(secret.HEADERVALUE, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(secret.HEADERVALUE, 'RandomHeader');
  }
});

test('generateSecretString needs key with template', () => {
  assert.throws(() => generateSecretString({ SecretStringTemplate: '{"a":"b"}' }), { name: 'InvalidParameterException' });
  assert.match(generateSecretString({ PasswordLength: 20 }), /^.{20}$/);
});
