import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LambdaClient, CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { PACKAGE, ROLE } from './support/fixture.ts';

const run = promisify(execFile);
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

let palisade: TestPalisade;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;

before(async () => {
  process.env.PALISADE_LEAK_CHECK = 'must-not-reach-functions';
  palisade = await startTestPalisade();
  lambda = new LambdaClient({ ...palisade.clientConfig, maxAttempts: 1 });
  logs = new CloudWatchLogsClient({ ...palisade.clientConfig, maxAttempts: 1 });
  const functions: [string, string, Record<string, unknown>][] = [
    ['echo', 'index.handler', {}],
    ['pid', 'index.pid', {}],
    ['barrier', 'index.barrier', { Timeout: 10 }],
    ['fail', 'index.fail', {}],
    ['sleep', 'index.sleep', { Timeout: 1 }],
    ['env', 'index.env', { Environment: { Variables: { GREETING: 'hello' } }, MemorySize: 256 }],
    ['levels', 'index.levels', {}],
    ['callback', 'callback.handler', {}],
    ['missing', 'nothere.handler', {}],
    ['secret', 'secret.handler', { Timeout: 30 }],
  ];
  for (const [name, handler, overrides] of functions) {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: handler, Code: { ZipFile: PACKAGE }, ...overrides }));
  }
});
after(async () => {
  delete process.env.PALISADE_LEAK_CHECK;
  await palisade.stop();
});

function invoke(name: string, payload?: string, extra: Record<string, unknown> = {}) {
  return lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload === undefined ? undefined : Buffer.from(payload), ...extra }));
}

function text(payload: Uint8Array | undefined): string {
  return Buffer.from(payload ?? new Uint8Array()).toString('utf8');
}

test('Invoke returns the handler result', async () => {
  const output = await invoke('echo', '{"a":1}');
  assert.equal(output.StatusCode, 200);
  assert.equal(output.FunctionError, undefined);
  assert.equal(output.ExecutedVersion, '$LATEST');
  assert.equal(text(output.Payload), '{"a":1}');
});

test('warm instance is reused', async () => {
  const first = JSON.parse(text((await invoke('pid', '{}')).Payload));
  const second = JSON.parse(text((await invoke('pid', '{}')).Payload));
  assert.equal(typeof first.pid, 'number');
  assert.equal(second.pid, first.pid);
});

test('concurrent invocations use separate instances', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-barrier-'));
  const payload = JSON.stringify({ file: join(dir, 'arrivals') });
  const outputs = await Promise.all([invoke('barrier', payload), invoke('barrier', payload)]);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(outputs[0].FunctionError, undefined);
  assert.equal(outputs[1].FunctionError, undefined);
  const pids = outputs.map((output) => JSON.parse(text(output.Payload)).pid);
  assert.notEqual(pids[0], pids[1]);
});

test('handler error is FunctionError Unhandled', async () => {
  const output = await invoke('fail', '{}');
  assert.equal(output.StatusCode, 200);
  assert.equal(output.FunctionError, 'Unhandled');
  const document = JSON.parse(text(output.Payload));
  assert.deepEqual(Object.keys(document), ['errorType', 'errorMessage', 'trace']);
  assert.equal(document.errorType, 'TypeError');
  assert.equal(document.errorMessage, 'boom');
  assert.equal(document.trace[0], 'TypeError: boom');
});

test('timeout kills the instance and reports Sandbox.Timedout', async () => {
  const output = await invoke('sleep', '{}');
  assert.equal(output.StatusCode, 200);
  assert.equal(output.FunctionError, 'Unhandled');
  const requestId = output.$metadata.requestId;
  assert.equal(
    text(output.Payload),
    `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: ${requestId} Error: Task timed out after 1.00 seconds"}`,
  );
});

test('LogType Tail returns the invocation log', async () => {
  const output = await invoke('echo', '{"b":2}', { LogType: 'Tail' });
  const requestId = output.$metadata.requestId!;
  const log = Buffer.from(output.LogResult!, 'base64').toString('utf8');
  const lines = log.split('\n');
  assert.equal(lines[0], `START RequestId: ${requestId} Version: $LATEST`);
  assert.match(lines[1], new RegExp(`^${ISO}\\t${requestId}\\tINFO\\tevent {"b":2}$`));
  assert.equal(lines[2], `END RequestId: ${requestId}`);
  assert.match(lines[3], new RegExp(`^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t`));
});

test('function logs reach the log group', async () => {
  const output = await invoke('levels', '{}');
  const requestId = output.$metadata.requestId!;
  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/levels' }));
  assert.equal(streams.logStreams!.length, 1);
  const streamName = streams.logStreams![0].logStreamName!;
  assert.match(streamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  const events = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/levels', logStreamName: streamName, startFromHead: true }));
  const messages = events.events!.map((event) => event.message!);
  assert.equal(messages[0], `START RequestId: ${requestId} Version: $LATEST\n`);
  assert.match(messages[1], new RegExp(`^${ISO}\\t${requestId}\\tWARN\\tcareful\\n$`));
  assert.match(messages[2], new RegExp(`^${ISO}\\t${requestId}\\tERROR\\tbad\\n$`));
  assert.equal(messages[3], 'raw line\n');
  assert.equal(messages[4], `END RequestId: ${requestId}\n`);
  assert.match(messages[5], new RegExp(`^REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms\\t\\n$`));
});

test('timeout is logged in the log group', async () => {
  const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/sleep', filterPattern: '"Task timed out"' }));
  assert.equal(filtered.events!.length, 1);
  assert.match(filtered.events![0].message!, new RegExp(`^${ISO} ${UUID} Task timed out after 1\\.00 seconds\\n$`));
});

test('function environment is built from scratch', async () => {
  const env = JSON.parse(text((await invoke('env', '{}')).Payload));
  assert.equal(env.GREETING, 'hello');
  assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'env');
  assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
  assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
  assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/env');
  assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  assert.equal(env.AWS_REGION, 'us-east-1');
  assert.equal(env.AWS_DEFAULT_REGION, 'us-east-1');
  assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs20.x');
  assert.equal(env.TZ, ':UTC');
  assert.equal(env._HANDLER, 'index.env');
  assert.equal(env.AWS_ENDPOINT_URL, palisade.url);
  assert.equal(env.AWS_ACCESS_KEY_ID, palisade.app.credentials.accessKeyId);
  assert.match(env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/);
  assert.equal(env.PALISADE_LEAK_CHECK, undefined);
  assert.match(env._X_AMZN_TRACE_ID, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
});

test('function reads a secret through the SDK', async () => {
  const secrets = new SecretsManagerClient({ ...palisade.clientConfig, maxAttempts: 1 });
  await secrets.send(new CreateSecretCommand({ Name: 'fn-secret', SecretString: 's3cr3t-value' }));
  const output = await invoke('secret', JSON.stringify({ secretId: 'fn-secret' }));
  assert.equal(output.FunctionError, undefined, text(output.Payload));
  assert.deepEqual(JSON.parse(text(output.Payload)), { value: 's3cr3t-value' });
});

test('callback handler gets the context', async () => {
  const output = await invoke('callback', '{}');
  const result = JSON.parse(text(output.Payload));
  assert.deepEqual(result, {
    requestId: output.$metadata.requestId,
    functionName: 'callback',
    memory: '128',
    arn: `arn:aws:lambda:us-east-1:${palisade.app.accountId}:function:callback`,
    logGroup: '/aws/lambda/callback',
    remaining: true,
  });
});

test('missing handler module is Runtime.ImportModuleError', async () => {
  const output = await invoke('missing', '{}');
  assert.equal(output.FunctionError, 'Unhandled');
  const document = JSON.parse(text(output.Payload));
  assert.equal(document.errorType, 'Runtime.ImportModuleError');
  assert.equal(document.errorMessage, "Error: Cannot find module 'nothere'");
});

test('Event invocation is accepted with 202', async () => {
  const output = await invoke('echo', '{"async":true}', { InvocationType: 'Event' });
  assert.equal(output.StatusCode, 202);
  assert.equal(text(output.Payload), '');
});

test('DryRun invocation is 204', async () => {
  const output = await invoke('echo', '{}', { InvocationType: 'DryRun' });
  assert.equal(output.StatusCode, 204);
});

test('invalid JSON payload is InvalidRequestContentException', async () => {
  try {
    await invoke('echo', '{not json');
    assert.fail('expected the request to be rejected');
  } catch (error: any) {
    assert.equal(error.name, 'InvalidRequestContentException');
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.match(error.message, /^Could not parse request body into json: Could not parse payload into json: /);
  }
});

test('invocation is recorded on the trace', async () => {
  const output = await invoke('echo', '{}');
  const entries = palisade.app.traces.list(output.$metadata.requestId);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].layer, 'lambda');
  assert.equal(entries[0].decision, 'Success');
  assert.equal(entries[0].detail.start, 'warm');
  assert.equal(typeof entries[0].detail.durationMs, 'number');
});

test('AWS CLI v1 invokes a function', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-cli-'));
  try {
    const outFile = join(dir, 'out.json');
    // CLI v1 sends --payload as given; it has no --cli-binary-format option.
    const { stdout } = await run('aws', ['lambda', 'invoke', '--function-name', 'echo', '--payload', '{"a":1}', outFile], { env: palisade.cliEnv, timeout: 30_000 });
    assert.deepEqual(JSON.parse(stdout), { StatusCode: 200, ExecutedVersion: '$LATEST' });
    assert.equal(readFileSync(outFile, 'utf8'), '{"a":1}');

    const failed = await run('aws', ['lambda', 'invoke', '--function-name', 'fail', outFile], { env: palisade.cliEnv, timeout: 30_000 });
    assert.deepEqual(JSON.parse(failed.stdout), { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST' });
    assert.equal(JSON.parse(readFileSync(outFile, 'utf8')).errorMessage, 'boom');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
