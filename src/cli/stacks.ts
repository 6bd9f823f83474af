import type { App } from '../core/app.ts';
import { AwsError } from '../core/errors.ts';

export interface StackRequest {
  stackName: string;
  templatePath: string;
  parameters?: Record<string, string>;
}

interface DescribedStack {
  StackStatus: string;
  StackStatusReason?: string;
  Outputs?: { OutputKey: string; OutputValue: string }[];
}

const TERMINAL = /(_COMPLETE|_FAILED)$/;
const POLL_MS = 200;
const DEPLOY_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Create a stack through palisade's CloudFormation service unless it already
 * exists, wait until it settles, and return its outputs by key.
 */
export async function ensureStack(app: App, request: StackRequest): Promise<Record<string, string>> {
  let stack = await describeStack(app, request.stackName);
  if (!stack) {
    await app.call('cloudformation', 'CreateStack', {
      StackName: request.stackName,
      TemplateURL: `file://${request.templatePath}`,
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'],
      Parameters: Object.entries(request.parameters ?? {}).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    });
  }
  stack = await waitForStack(app, request.stackName);
  if (stack.StackStatus !== 'CREATE_COMPLETE' && stack.StackStatus !== 'UPDATE_COMPLETE') {
    throw new Error(`stack ${request.stackName} is ${stack.StackStatus}: ${await failureReasons(app, request.stackName)}`);
  }
  return outputsOf(stack);
}

export async function waitForStack(app: App, stackName: string): Promise<DescribedStack> {
  const deadline = Date.now() + DEPLOY_TIMEOUT_MS;
  for (;;) {
    const stack = await describeStack(app, stackName);
    if (!stack) throw new Error(`stack ${stackName} disappeared while it was being created`);
    if (TERMINAL.test(stack.StackStatus)) return stack;
    if (Date.now() > deadline) throw new Error(`stack ${stackName} is still ${stack.StackStatus} after ${DEPLOY_TIMEOUT_MS / 60000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function describeStack(app: App, stackName: string): Promise<DescribedStack | undefined> {
  try {
    const output = await app.call<{ Stacks: DescribedStack[] }>('cloudformation', 'DescribeStacks', { StackName: stackName });
    return output.Stacks[0];
  } catch (error) {
    if (error instanceof AwsError && error.code === 'ValidationError') return undefined;
    throw error;
  }
}

export function outputsOf(stack: DescribedStack): Record<string, string> {
  return Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
}

/** The ResourceStatusReason of each failed resource, to say why a stack did not come up. */
async function failureReasons(app: App, stackName: string): Promise<string> {
  const output = await app.call<{ StackEvents: { LogicalResourceId: string; ResourceStatus: string; ResourceStatusReason?: string }[] }>(
    'cloudformation',
    'DescribeStackEvents',
    { StackName: stackName },
  );
  const failed = output.StackEvents.filter((event) => event.ResourceStatus.endsWith('_FAILED') && event.ResourceStatusReason);
  return failed.map((event) => `${event.LogicalResourceId}: ${event.ResourceStatusReason}`).join('; ') || 'no reason recorded';
}
