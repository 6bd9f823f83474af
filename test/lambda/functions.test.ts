import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  LambdaClient,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  DeleteFunctionCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionCodeCommand,
  AddPermissionCommand,
  GetPolicyCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { PACKAGE, ROLE } from './support/fixture.ts';
import { rejection } from '../support/rejection.ts';

let palisade: TestPalisade;
let lambda: LambdaClient;
before(async () => {
  palisade = await startTestPalisade();
  lambda = new LambdaClient({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

function create(name: string, overrides: Record<string, unknown> = {}) {
  return lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: PACKAGE }, ...overrides }),
  );
}

test('CreateFunction returns the configuration', async () => {
  const output = await create('config', { Environment: { Variables: { GREETING: 'hello' } } });
  const account = palisade.app.accountId;
  assert.equal(output.$metadata.httpStatusCode, 201);
  assert.equal(output.FunctionName, 'config');
  assert.equal(output.FunctionArn, `arn:aws:lambda:us-east-1:${account}:function:config`);
  assert.equal(output.Runtime, 'nodejs20.x');
  assert.equal(output.Handler, 'index.handler');
  assert.equal(output.Timeout, 3);
  assert.equal(output.MemorySize, 128);
  assert.equal(output.CodeSize, PACKAGE.length);
  assert.equal(output.CodeSha256, createHash('sha256').update(PACKAGE).digest('base64'));
  assert.equal(output.Version, '$LATEST');
  assert.equal(output.State, 'Active');
  assert.equal(output.LastUpdateStatus, 'Successful');
  assert.equal(output.PackageType, 'Zip');
  assert.deepEqual(output.Architectures, ['x86_64']);
  assert.deepEqual(output.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/config' });
  assert.deepEqual(output.Environment, { Variables: { GREETING: 'hello' } });
  assert.match(output.LastModified!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  const codeDirectory = join(palisade.stateDir, 'lambda', 'config', createHash('sha256').update(PACKAGE).digest('hex'));
  assert.ok(existsSync(join(codeDirectory, 'index.mjs')));
});

test('environment variables are sealed at rest', async () => {
  await create('sealed', { Environment: { Variables: { DB_PASSWORD: 'plaintext-secret-4711' } } });
  for (const file of ['state.db', 'state.db-wal']) {
    const path = join(palisade.stateDir, file);
    if (existsSync(path)) assert.ok(!readFileSync(path).includes('plaintext-secret-4711'), `${file} holds the value in plain text`);
  }
  const output = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sealed' }));
  assert.equal(output.Environment?.Variables?.DB_PASSWORD, 'plaintext-secret-4711');
});

test('CreateFunction twice is ResourceConflictException', async () => {
  await create('twice');
  const error = await rejection(create('twice'));
  assert.equal(error.name, 'ResourceConflictException');
  assert.equal(error.$metadata.httpStatusCode, 409);
  assert.equal(error.message, 'Function already exist: twice');
});

test('python runtime is rejected', async () => {
  const error = await rejection(create('python', { Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler' }));
  assert.equal(error.name, 'InvalidParameterValueException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.match(error.message, /python3\.12 is not supported by palisade: palisade runs functions locally only on Node\.js runtimes/);
});

test('S3 code is rejected explicitly', async () => {
  const error = await rejection(create('s3code', { Code: { S3Bucket: 'bucket', S3Key: 'code.zip' } }));
  assert.equal(error.name, 'InvalidParameterValueException');
  assert.match(error.message, /does not serve Amazon S3 yet/);
});

test('invalid zip is InvalidParameterValueException', async () => {
  const error = await rejection(create('badzip', { Code: { ZipFile: Buffer.from('not a zip archive at all, just text') } }));
  assert.equal(error.name, 'InvalidParameterValueException');
  assert.equal(error.message, 'Could not unzip uploaded file. Please check your file, then try to upload again.');
});

test('reserved environment key is rejected', async () => {
  const error = await rejection(create('reserved', { Environment: { Variables: { AWS_REGION: 'eu-west-1' } } }));
  assert.equal(error.name, 'InvalidParameterValueException');
  assert.match(error.message, /Reserved keys used in this request: AWS_REGION$/);
});

test('GetFunction of a missing function is ResourceNotFoundException', async () => {
  const error = await rejection(lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.$metadata.httpStatusCode, 404);
  assert.equal(error.message, `Function not found: arn:aws:lambda:us-east-1:${palisade.app.accountId}:function:missing`);
});

test('GetFunction by ARN returns the configuration', async () => {
  await create('byarn');
  const arn = `arn:aws:lambda:us-east-1:${palisade.app.accountId}:function:byarn`;
  const output = await lambda.send(new GetFunctionCommand({ FunctionName: arn }));
  assert.equal(output.Configuration?.FunctionName, 'byarn');
  assert.equal(output.Code?.RepositoryType, 'S3');
});

test('ListFunctions lists created functions', async () => {
  await create('listed');
  const output = await lambda.send(new ListFunctionsCommand({}));
  const names = output.Functions!.map((f) => f.FunctionName);
  assert.ok(names.includes('listed'));
  assert.deepEqual(names, [...names].sort());
});

test('UpdateFunctionConfiguration changes timeout and environment', async () => {
  await create('updated');
  const output = await lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: 'updated', Timeout: 10, Environment: { Variables: { MODE: 'two' } } }),
  );
  assert.equal(output.Timeout, 10);
  assert.deepEqual(output.Environment, { Variables: { MODE: 'two' } });
});

test('UpdateFunctionCode replaces the package', async () => {
  await create('recode');
  const output = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'recode', ZipFile: PACKAGE }));
  assert.equal(output.CodeSha256, createHash('sha256').update(PACKAGE).digest('base64'));
  assert.equal(output.$metadata.httpStatusCode, 200);
});

test('DeleteFunction removes the function', async () => {
  await create('deleted');
  const output = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'deleted' }));
  assert.equal(output.$metadata.httpStatusCode, 204);
  const error = await rejection(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'deleted' })));
  assert.equal(error.name, 'ResourceNotFoundException');
});

test('AddPermission, GetPolicy and RemovePermission', async () => {
  await create('permitted');
  const added = await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'permitted',
      StatementId: 'apigateway',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/',
    }),
  );
  assert.equal(added.$metadata.httpStatusCode, 201);
  const functionArn = `arn:aws:lambda:us-east-1:${palisade.app.accountId}:function:permitted`;
  const statement = {
    Sid: 'apigateway',
    Effect: 'Allow',
    Principal: { Service: 'apigateway.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: functionArn,
    Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/' } },
  };
  assert.deepEqual(JSON.parse(added.Statement!), statement);
  const policy = await lambda.send(new GetPolicyCommand({ FunctionName: 'permitted' }));
  assert.deepEqual(JSON.parse(policy.Policy!), { Version: '2012-10-17', Id: 'default', Statement: [statement] });

  const duplicate = await rejection(
    lambda.send(new AddPermissionCommand({ FunctionName: 'permitted', StatementId: 'apigateway', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' })),
  );
  assert.equal(duplicate.name, 'ResourceConflictException');

  const removed = await lambda.send(new RemovePermissionCommand({ FunctionName: 'permitted', StatementId: 'apigateway' }));
  assert.equal(removed.$metadata.httpStatusCode, 204);
  const none = await rejection(lambda.send(new GetPolicyCommand({ FunctionName: 'permitted' })));
  assert.equal(none.name, 'ResourceNotFoundException');
  assert.equal(none.message, 'The resource you requested does not exist.');
});
