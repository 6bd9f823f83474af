import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../../core/app.ts';
import { log } from '../../core/log.ts';
import type { RestRoute } from '../../core/service.ts';
import { controlPlaneOperations } from './control-plane.ts';
import { FunctionStore } from './function-record.ts';
import { InstancePool } from './instance-pool.ts';
import { Invoker, invokeResponse } from './invoke.ts';
import { permissionOperations } from './permissions.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const BOOTSTRAP = join(HERE, 'runtime', 'bootstrap.mjs');
/** palisade's node_modules, which stand in for the SDK for JavaScript v3 that the Node.js runtimes include. */
const PALISADE_NODE_MODULES = resolve(HERE, '..', '..', '..', 'node_modules');

const FUNCTION = '/2015-03-31/functions/{FunctionName}';
const noContent = (status: number) => () => ({ status, body: '' });

/** Routes of the Lambda API (restJson1), from the service model's `http` traits. */
const ROUTES: RestRoute[] = [
  { method: 'POST', path: '/2015-03-31/functions', operation: 'CreateFunction', successStatus: 201 },
  { method: 'GET', path: '/2015-03-31/functions', operation: 'ListFunctions', query: { FunctionVersion: 'FunctionVersion', Marker: 'Marker', MaxItems: 'MaxItems', MasterRegion: 'MasterRegion' } },
  { method: 'GET', path: FUNCTION, operation: 'GetFunction', query: { Qualifier: 'Qualifier' } },
  { method: 'DELETE', path: FUNCTION, operation: 'DeleteFunction', query: { Qualifier: 'Qualifier' }, respond: noContent(204) },
  { method: 'GET', path: `${FUNCTION}/configuration`, operation: 'GetFunctionConfiguration', query: { Qualifier: 'Qualifier' } },
  { method: 'PUT', path: `${FUNCTION}/configuration`, operation: 'UpdateFunctionConfiguration' },
  { method: 'PUT', path: `${FUNCTION}/code`, operation: 'UpdateFunctionCode' },
  {
    method: 'POST',
    path: `${FUNCTION}/invocations`,
    operation: 'Invoke',
    rawBody: 'Payload',
    query: { Qualifier: 'Qualifier' },
    headers: { 'X-Amz-Invocation-Type': 'InvocationType', 'X-Amz-Log-Type': 'LogType', 'X-Amz-Client-Context': 'ClientContext' },
    respond: invokeResponse,
  },
  { method: 'POST', path: `${FUNCTION}/policy`, operation: 'AddPermission', successStatus: 201, query: { Qualifier: 'Qualifier' } },
  { method: 'GET', path: `${FUNCTION}/policy`, operation: 'GetPolicy', query: { Qualifier: 'Qualifier' } },
  {
    method: 'DELETE',
    path: `${FUNCTION}/policy/{StatementId}`,
    operation: 'RemovePermission',
    query: { Qualifier: 'Qualifier', RevisionId: 'RevisionId' },
    respond: noContent(204),
  },
];

/**
 * AWS Lambda with a local runtime: Node.js functions run as child processes
 * of palisade, reached through the Lambda Runtime API, logging to
 * CloudWatch Logs.
 */
export function registerLambda(app: App): void {
  const functions = new FunctionStore(app);
  const pool = new InstancePool(app, BOOTSTRAP, PALISADE_NODE_MODULES);
  const invoker = new Invoker(app, functions, pool);

  app.register({
    signingName: 'lambda',
    protocol: 'rest-json',
    routes: ROUTES,
    operations: {
      ...controlPlaneOperations(app, functions, pool),
      ...permissionOperations(functions),
      Invoke: (input, ctx) =>
        invoker.invoke(String(input.FunctionName), Buffer.isBuffer(input.Payload) ? input.Payload : Buffer.from(input.Payload ?? ''), {
          invocationType: input.InvocationType,
          logType: input.LogType,
          clientContext: input.ClientContext,
          qualifier: input.Qualifier,
          requestId: ctx.requestId,
        }),
    },
    async start() {
      linkSdkForModules(app.config.stateDir);
      pool.startSweeping();
    },
    async stop() {
      await pool.stop();
    },
  });
  app.seams.lambda = { invoke: (functionName, payload, options) => invoker.invokeForSeam(functionName, payload, options) };
}

/**
 * ES modules resolve bare specifiers by walking up from the importing file
 * and ignore NODE_PATH, so `import ... from '@aws-sdk/client-...'` in a
 * function's .mjs file would not find the SDK. A `node_modules` link above
 * every code directory makes it resolve as it does on the Node.js runtimes.
 */
function linkSdkForModules(stateDir: string): void {
  const root = join(stateDir, 'lambda');
  const link = join(root, 'node_modules');
  try {
    mkdirSync(root, { recursive: true });
    if (!existsSync(link)) symlinkSync(PALISADE_NODE_MODULES, link, 'dir');
    // The state directory may sit inside a project whose package.json says
    // "type": "module"; on Lambda no such file is above the task root, so a
    // function's .js files are CommonJS unless its own package.json says otherwise.
    const scope = join(root, 'package.json');
    if (!existsSync(scope)) writeFileSync(scope, JSON.stringify({ type: 'commonjs', description: 'Module scope of Lambda code, as above /var/task' }) + '\n');
  } catch (error) {
    log('warn', 'lambda', 'could not link the SDK for ES module functions', { path: link, error: String(error) });
  }
}
