// palisade's Lambda runtime for Node.js functions: a client of the Lambda
// Runtime API ("Using the Lambda runtime API for custom runtimes", Lambda
// Developer Guide) that loads the handler named by _HANDLER and runs one
// invocation at a time. It runs as plain Node.js, in a child process whose
// environment palisade builds from scratch.
import http from 'node:http';
import { existsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const [apiHost, apiPort] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');
const API_PREFIX = '/2018-06-01/runtime';
/** palisade reads log frames (one JSON document a line) from this descriptor. */
const LOG_FD = 3;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

let currentRequestId;
let finishCurrent;

function emitFrame(frame) {
  const data = Buffer.from(JSON.stringify(frame) + '\n');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(LOG_FD, data, offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}

// The Node.js runtime's Text log format: `<ISO time>\t<request id>\t<LEVEL>\t<message>`.
function logLine(level, message) {
  emitFrame({ line: `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n` });
}

function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => logLine(level, format(...args));
  }
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = (chunk, encoding, callback) => {
      emitFrame({ raw: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') done();
      return true;
    };
  }
}

function request(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: apiHost, port: Number(apiPort), method, path: API_PREFIX + path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Build the error document the Node.js runtime reports: errorType, errorMessage and the stack as `trace`. */
function errorDocument(error) {
  if (error instanceof Error) {
    return { errorType: error.name ?? 'Error', errorMessage: error.message, trace: String(error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function logError(prefix, document) {
  const { errorType, errorMessage, trace } = document;
  logLine('ERROR', `${prefix} \t${JSON.stringify({ errorType, errorMessage, stack: trace })}`);
}

class RuntimeError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

async function loadHandler() {
  const spec = process.env._HANDLER ?? '';
  const slash = spec.lastIndexOf('/');
  const directory = spec.slice(0, slash + 1);
  const [moduleName, ...path] = spec.slice(slash + 1).split('.');
  if (!moduleName || !path.length) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const base = join(process.env.LAMBDA_TASK_ROOT, directory, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((candidate) => existsSync(candidate));
  if (!file) throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${directory}${moduleName}'`);
  let namespace;
  try {
    namespace = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    throw error;
  }
  const lookup = (root) => path.reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), root);
  const handler = lookup(namespace) ?? lookup(namespace.default);
  if (typeof handler !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${directory}${moduleName}.${path.join('.')} is undefined or not exported`);
  }
  return handler;
}

function buildContext(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const clientContext = headers['lambda-runtime-client-context'];
  return {
    callbackWaitsForEmptyEventLoop: true,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: clientContext ? JSON.parse(clientContext) : undefined,
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/**
 * Run the handler as an async function (a returned promise settles the
 * invocation) or a callback function (the callback or the legacy
 * context.done/succeed/fail settle it).
 *
 * TODO: AWS waits for the event loop to empty before completing a callback
 * invocation (callbackWaitsForEmptyEventLoop); palisade completes at once.
 */
function runHandler(handler, event, context) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    finishCurrent = finish;
    const callback = (error, result) => (error !== undefined && error !== null ? finish({ error }) : finish({ result }));
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (error) => callback(error ?? 'handled');
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') {
        returned.then((result) => finish({ result }), (error) => finish({ error }));
      } else if (handler.length < 3) {
        // A synchronous handler without a callback parameter completes with null, as on AWS.
        finish({ result: null });
      }
    } catch (error) {
      finish({ error });
    }
  });
}

/**
 * Report the outcome. The flush frame goes out before the POST so palisade
 * can write END and REPORT after every log line of the invocation.
 */
async function postOutcome(requestId, outcome) {
  if ('error' in outcome) {
    const document = errorDocument(outcome.error);
    logError('Invoke Error', document);
    emitFrame({ flush: requestId });
    await request('POST', `/invocation/${requestId}/error`, JSON.stringify(document), {
      'content-type': 'application/json',
      'lambda-runtime-function-error-type': document.errorType,
    });
    return;
  }
  let body;
  try {
    body = JSON.stringify(outcome.result === undefined ? null : outcome.result);
  } catch (error) {
    await postOutcome(requestId, { error });
    return;
  }
  emitFrame({ flush: requestId });
  await request('POST', `/invocation/${requestId}/response`, body, { 'content-type': 'application/json' });
}

function watchUncaught() {
  const fail = (prefix, error) => {
    const document = errorDocument(error);
    logError(prefix, document);
    if (finishCurrent) finishCurrent({ error });
    else process.exit(129);
  };
  process.on('uncaughtException', (error) => fail('Uncaught Exception', error));
  process.on('unhandledRejection', (reason) => {
    const error = new RuntimeError('Runtime.UnhandledPromiseRejection', `${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`);
    if (reason instanceof Error) error.stack = `Runtime.UnhandledPromiseRejection: ${error.message}\n${String(reason.stack ?? '').split('\n').slice(1).join('\n')}`;
    fail('Unhandled Promise Rejection', error);
  });
}

async function main() {
  patchConsole();
  watchUncaught();
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const document = errorDocument(error);
    logError('Uncaught Exception', document);
    await request('POST', '/init/error', JSON.stringify(document), {
      'content-type': 'application/json',
      'lambda-runtime-function-error-type': document.errorType,
    });
    process.exit(1);
  }
  for (;;) {
    const next = await request('GET', '/invocation/next');
    const requestId = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = requestId;
    process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'] ?? '';
    let outcome;
    try {
      const event = JSON.parse(next.body.toString('utf8'));
      outcome = await runHandler(handler, event, buildContext(next.headers));
    } catch (error) {
      outcome = { error };
    }
    finishCurrent = undefined;
    await postOutcome(requestId, outcome);
  }
}

main().catch((error) => {
  logError('Uncaught Exception', errorDocument(error));
  process.exit(1);
});
