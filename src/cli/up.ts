import { resolveConfig } from '../core/config.ts';
import { startPalisade } from '../palisade.ts';
import { apiSecurityLab } from '../../labs/api-security/lab.ts';
import type { LabDefinition } from '../../labs/lab.ts';
import { stringFlag, type ParsedArgs } from './args.ts';
import { removeEndpointFile, writeEndpointFile } from './endpoint-file.ts';
import { ensureStack } from './stacks.ts';
import { log } from '../core/log.ts';

/**
 * `palisade up`: start every service, deploy lab api-security through the
 * CloudFormation service (or find it deployed in the state directory), print
 * its outputs and the shell exports, and serve until SIGINT or SIGTERM.
 */
export async function runUp(args: ParsedArgs): Promise<number> {
  const config = resolveConfig({ port: stringFlag(args, 'port'), stateDir: stringFlag(args, 'state-dir') });
  const running = await startPalisade(config);
  const lab = apiSecurityLab;
  let outputs: Record<string, string>;
  try {
    outputs = await ensureStack(running.app, { stackName: lab.stackName, templatePath: lab.templatePath });
  } catch (error) {
    await running.stop();
    throw error;
  }
  running.endpoint.readiness = { labs: { [lab.name]: { stackName: lab.stackName, status: 'deployed' } } };
  running.endpoint.ready = true;
  writeEndpointFile(config.stateDir, running.url);

  const { accessKeyId, secretAccessKey, accountId } = running.app.credentials;
  process.stdout.write(formatBanner(lab, outputs, { endpoint: running.url, region: config.region, accessKeyId, secretAccessKey, accountId, stateDir: config.stateDir }));
  log('info', 'cli', 'palisade is ready', { endpoint: running.url, stateDir: config.stateDir });

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('\nstopping palisade...\n');
  removeEndpointFile(config.stateDir);
  await running.stop();
  return 0;
}

interface Access {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  stateDir: string;
}

export function formatBanner(lab: LabDefinition, outputs: Record<string, string>, access: Access): string {
  const keys = [...lab.outputOrder.filter((key) => key in outputs), ...Object.keys(outputs).filter((key) => !lab.outputOrder.includes(key)).sort()];
  const width = Math.max(...keys.map((key) => key.length));
  const lines = [
    `palisade is up: lab ${lab.name} ("${lab.title}") is deployed as stack ${lab.stackName}.`,
    '',
    'Outputs:',
    ...keys.map((key) => `  ${key.padEnd(width)}  ${outputs[key]}`),
    '',
    `AWS endpoint ${access.endpoint}, region ${access.region}, account ${access.accountId}, state in ${access.stateDir}.`,
    'Paste this into a shell to drive palisade with the AWS CLI, boto3 or the SDKs:',
    '',
    `export AWS_ENDPOINT_URL=${access.endpoint} AWS_ACCESS_KEY_ID=${access.accessKeyId} AWS_SECRET_ACCESS_KEY=${access.secretAccessKey} AWS_DEFAULT_REGION=${access.region} AWS_REGION=${access.region}`,
    '',
    'Serving until Ctrl-C.',
    '',
  ];
  return lines.join('\n');
}
