import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { resolveConfig, endpointUrl, type PalisadeConfig } from '../core/config.ts';
import { loadCredentials } from '../core/credentials.ts';
import { StateStore } from '../core/store.ts';
import { Mailbox } from '../core/mailbox.ts';
import { stringFlag, UsageError, type ParsedArgs } from './args.ts';
import { readEndpointFile } from './endpoint-file.ts';

function configOf(args: ParsedArgs): PalisadeConfig {
  return resolveConfig({ port: stringFlag(args, 'port'), stateDir: stringFlag(args, 'state-dir') });
}

/**
 * Choose the endpoint to reach: `--port` or PALISADE_PORT when given, otherwise
 * the URL the palisade serving the state directory recorded, otherwise the
 * default port.
 */
function endpointOf(args: ParsedArgs, config: PalisadeConfig): string {
  const portGiven = stringFlag(args, 'port') !== undefined || process.env.PALISADE_PORT !== undefined;
  return (portGiven ? undefined : readEndpointFile(config.stateDir)) ?? endpointUrl(config);
}

function notRunning(endpoint: string): Error {
  return new Error(`palisade is not running on ${endpoint}: start it with npm start, or pass the --port or --state-dir it was started with`);
}

function requireStateDir(config: PalisadeConfig): void {
  if (!existsSync(join(config.stateDir, 'credentials.json'))) {
    throw new Error(`no palisade state in ${config.stateDir}: start palisade there first (npm start), or pass --state-dir`);
  }
}

/** `palisade outputs <stack>`: DescribeStacks through the running endpoint, as any client would. */
export async function runOutputs(args: ParsedArgs): Promise<number> {
  const stackName = args.positional[0];
  if (!stackName) throw new UsageError('outputs needs a stack name');
  const config = configOf(args);
  requireStateDir(config);
  const { accessKeyId, secretAccessKey } = loadCredentials(config.stateDir);
  const endpoint = endpointOf(args, config);
  const client = new CloudFormationClient({ endpoint, region: config.region, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  let stacks;
  try {
    ({ Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (error) {
    if ((error as { code?: string }).code === 'ECONNREFUSED') throw notRunning(endpoint);
    throw error;
  }
  const outputs = Object.fromEntries((stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  if (args.flags.json) process.stdout.write(JSON.stringify(outputs, null, 2) + '\n');
  else for (const [key, value] of Object.entries(outputs)) process.stdout.write(`${key}\t${value}\n`);
  return 0;
}

/** `palisade credentials`: read from the state directory; palisade need not be running. */
export async function runCredentials(args: ParsedArgs): Promise<number> {
  const config = configOf(args);
  requireStateDir(config);
  const { accessKeyId, secretAccessKey, accountId } = loadCredentials(config.stateDir);
  const credentials = { accessKeyId, secretAccessKey, region: config.region, endpoint: endpointOf(args, config), accountId };
  if (args.flags.json) {
    process.stdout.write(JSON.stringify(credentials, null, 2) + '\n');
  } else {
    process.stdout.write(
      `export AWS_ENDPOINT_URL=${credentials.endpoint} AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_DEFAULT_REGION=${config.region} AWS_REGION=${config.region}\n`,
    );
  }
  return 0;
}

/** `palisade mail`: the messages user pools sent, read from the state directory. */
export async function runMail(args: ParsedArgs): Promise<number> {
  const config = configOf(args);
  requireStateDir(config);
  const store = new StateStore(config.stateDir);
  try {
    const messages = new Mailbox(store).list();
    if (args.flags.json) {
      process.stdout.write(JSON.stringify(messages, null, 2) + '\n');
      return 0;
    }
    if (messages.length === 0) process.stdout.write('no messages\n');
    for (const message of messages) {
      process.stdout.write(`${message.sentAt}  to ${message.recipient}  "${message.subject}"\n${message.body}\n\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}

/** `palisade trace`: the newest decisions each layer recorded, from the running endpoint. */
export async function runTrace(args: ParsedArgs): Promise<number> {
  const config = configOf(args);
  const traceId = stringFlag(args, 'trace-id');
  const endpoint = endpointOf(args, config);
  const url = `${endpoint}/_palisade/traces${traceId ? `?traceId=${encodeURIComponent(traceId)}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw notRunning(endpoint);
  }
  const { entries } = (await response.json()) as { entries: { time: string; traceId: string; layer: string; decision: string; detail: unknown }[] };
  if (args.flags.json) {
    process.stdout.write(JSON.stringify(entries, null, 2) + '\n');
    return 0;
  }
  if (entries.length === 0) {
    process.stdout.write(traceId ? `no trace entries for ${traceId}\n` : 'no trace entries yet: send a request to a stage or a distribution\n');
    return traceId ? 1 : 0;
  }
  for (const entry of entries) {
    process.stdout.write(`${entry.time}  ${entry.traceId}  ${entry.layer.padEnd(12)} ${entry.decision.padEnd(10)} ${JSON.stringify(entry.detail)}\n`);
  }
  return 0;
}
