import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SecretsManagerClient, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';

let palisade: TestPalisade;
before(async () => {
  palisade = await startTestPalisade();
});
after(async () => {
  await palisade.stop();
});

function client(overrides: { accessKeyId?: string; secretAccessKey?: string; systemClockOffset?: number } = {}) {
  const { credentials, ...config } = palisade.clientConfig;
  return new SecretsManagerClient({
    ...config,
    maxAttempts: 1,
    systemClockOffset: overrides.systemClockOffset,
    credentials: { ...credentials, ...overrides },
  });
}

test('wrong secret key is InvalidSignatureException', async () => {
  const error = await rejection(client({ secretAccessKey: 'wrong'.padEnd(40, 'x') }).send(new ListSecretsCommand({})));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.match(error.message, /^The request signature we calculated does not match the signature you provided\./);
});

test('unknown access key is UnrecognizedClientException', async () => {
  const error = await rejection(client({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00' }).send(new ListSecretsCommand({})));
  assert.equal(error.name, 'UnrecognizedClientException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'The security token included in the request is invalid.');
});

test('clock 6 minutes behind is Signature expired', async () => {
  const error = await rejection(client({ systemClockOffset: -6 * 60 * 1000 }).send(new ListSecretsCommand({})));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.match(error.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
});

test('clock 4 minutes ahead is accepted', async () => {
  const output = await client({ systemClockOffset: 4 * 60 * 1000 }).send(new ListSecretsCommand({}));
  assert.ok(Array.isArray(output.SecretList));
});
