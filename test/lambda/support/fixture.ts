import { buildZip } from './zip.ts';

export const ROLE = 'arn:aws:iam::123456789012:role/lambda-test';

/** One package, several handlers: each test function picks its handler. */
export const PACKAGE = buildZip({
  'index.mjs': [
    "export const handler = async (event) => { console.log('event', JSON.stringify(event)); return event; };",
    'export const pid = async () => ({ pid: process.pid });',
    "export const fail = async () => { throw new TypeError('boom'); };",
    "export const sleep = async () => { await new Promise((resolve) => setTimeout(resolve, 5000)); return 'late'; };",
    'export const env = async () => ({ ...process.env });',
    // Waits until two invocations have arrived, so it completes only when they run at once.
    "import { appendFileSync, readFileSync } from 'node:fs';",
    'export const barrier = async (event) => {',
    "  appendFileSync(event.file, `${process.pid}\\n`);",
    "  while (readFileSync(event.file, 'utf8').trim().split('\\n').length < 2) await new Promise((resolve) => setTimeout(resolve, 10));",
    '  return { pid: process.pid };',
    '};',
    "export const levels = async () => { console.warn('careful'); console.error('bad'); process.stdout.write('raw line\\n'); return 'ok'; };",
  ].join('\n'),
  'secret.mjs': [
    "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
    'const client = new SecretsManagerClient({});',
    'export const handler = async (event) => {',
    '  const output = await client.send(new GetSecretValueCommand({ SecretId: event.secretId }));',
    '  return { value: output.SecretString };',
    '};',
  ].join('\n'),
  'callback.js': [
    'exports.handler = function (event, context, callback) {',
    '  callback(null, { requestId: context.awsRequestId, functionName: context.functionName, memory: context.memoryLimitInMB,',
    '    arn: context.invokedFunctionArn, logGroup: context.logGroupName, remaining: context.getRemainingTimeInMillis() > 0 });',
    '};',
  ].join('\n'),
});
