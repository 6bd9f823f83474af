import { readFileSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import type { Deployer } from './deploy.ts';
import { prepareTemplate } from './prepared-template.ts';
import type { StackRecord, StackRepository } from './stacks.ts';
import { isNoEcho, type ParameterDeclaration, type ParameterInput } from './template/parameters.ts';
import { parseTemplate } from './template/parse.ts';
import { declaredTransforms, expandTransforms } from './template/sam.ts';

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const UPDATABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

/** awsQuery sends every scalar as a string and an empty list as an empty value. */
function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * Read the template text and find the directory that SAM CodeUri paths are resolved from.
 * TemplateURL accepts only `file://<absolute path>`: there is no S3 locally.
 * TemplateBody's directory is the server's working directory.
 */
function templateSource(input: { TemplateBody?: string; TemplateURL?: string }): { body: string; directory: string } {
  if (input.TemplateBody !== undefined && input.TemplateURL !== undefined) {
    throw new AwsError('ValidationError', 'Specify exactly one of TemplateBody or TemplateUrl.');
  }
  if (input.TemplateBody !== undefined) return { body: String(input.TemplateBody), directory: process.cwd() };
  if (input.TemplateURL === undefined) throw new AwsError('ValidationError', 'Either Template URL or Template Body must be specified.');
  const url = String(input.TemplateURL);
  let path: string;
  try {
    path = url.startsWith('file://') ? fileURLToPath(url) : '';
  } catch {
    path = '';
  }
  if (!path || !isAbsolute(path)) {
    throw new AwsError('ValidationError', `TemplateURL must be a supported URL. palisade accepts only file://<absolute path> URLs because there is no S3 locally, not ${url}`);
  }
  try {
    return { body: readFileSync(path, 'utf8'), directory: dirname(path) };
  } catch {
    throw new AwsError('ValidationError', `TemplateURL ${url} could not be read`);
  }
}

/**
 * A stack as DescribeStacks returns it. Output values go through
 * `app.rewriteUrls` here rather than when stored: the template stays
 * deployable to AWS unchanged, an AWS URL palisade serves (an execute-api
 * stage, a CloudFront domain) is shown as the loopback URL that reaches it,
 * and a restart on another port shows the current one.
 */
function describeStack(app: App, repository: StackRepository, stack: StackRecord, declarations: Record<string, ParameterDeclaration> | undefined) {
  const values = repository.parameters(stack);
  return {
    StackId: stack.StackId,
    StackName: stack.StackName,
    Description: stack.Description,
    Parameters: Object.entries(values).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue: declarations?.[ParameterKey] && isNoEcho(declarations[ParameterKey]) ? '****' : ParameterValue,
    })),
    CreationTime: new Date(stack.CreationTime),
    LastUpdatedTime: stack.LastUpdatedTime ? new Date(stack.LastUpdatedTime) : undefined,
    DeletionTime: stack.DeletionTime ? new Date(stack.DeletionTime) : undefined,
    StackStatus: stack.StackStatus,
    StackStatusReason: stack.StackStatusReason,
    DisableRollback: stack.DisableRollback,
    NotificationARNs: [],
    Capabilities: stack.Capabilities,
    Outputs: stack.Outputs?.map((output) => ({ ...output, OutputValue: app.rewriteUrls(output.OutputValue) })),
    Tags: stack.Tags,
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

function declaredParameters(stack: StackRecord): Record<string, ParameterDeclaration> | undefined {
  try {
    return expandTransforms(parseTemplate(stack.TemplateBody), stack.templateDirectory).Parameters;
  } catch {
    return undefined;
  }
}

export function cloudFormationOperations(app: App, repository: StackRepository, deployer: Deployer): Record<string, Operation> {
  return {
    CreateStack(input) {
      const stackName = String(input.StackName ?? '');
      if (!STACK_NAME.test(stackName) || stackName.length > 128) {
        throw new AwsError('ValidationError', `1 validation error detected: Value '${stackName}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`);
      }
      if (repository.find(stackName)) throw new AwsError('AlreadyExistsException', `Stack [${stackName}] already exists`);
      const onFailure = input.OnFailure === undefined ? 'ROLLBACK' : String(input.OnFailure);
      if (!['ROLLBACK', 'DELETE', 'DO_NOTHING'].includes(onFailure)) throw new AwsError('ValidationError', `Invalid OnFailure ${onFailure}`);
      if (input.OnFailure !== undefined && input.DisableRollback !== undefined) {
        throw new AwsError('ValidationError', 'You can specify either DisableRollback or OnFailure, but not both.');
      }
      for (const name of ['StackPolicyBody', 'StackPolicyURL', 'RoleARN', 'RollbackConfiguration', 'ResourceTypes']) {
        if (input[name] !== undefined) throw new AwsError('ValidationError', `palisade does not support ${name} in CreateStack`);
      }
      const source = templateSource(input);
      const stackId = repository.newStackId(stackName);
      const capabilities = list<string>(input.Capabilities);
      const prepared = prepareTemplate(app, {
        body: source.body,
        baseDirectory: source.directory,
        stackName,
        stackId,
        parameters: list<ParameterInput>(input.Parameters),
        capabilities,
      });
      const stack: StackRecord = {
        StackId: stackId,
        StackName: stackName,
        Description: prepared.template.Description === undefined ? undefined : String(prepared.template.Description),
        StackStatus: 'CREATE_IN_PROGRESS',
        CreationTime: new Date().toISOString(),
        DisableRollback: flag(input.DisableRollback) || onFailure === 'DO_NOTHING',
        OnFailure: onFailure,
        Capabilities: capabilities,
        Tags: list<{ Key: string; Value: string }>(input.Tags),
        TemplateBody: source.body,
        templateDirectory: source.directory,
        sealedParameters: repository.sealParameters(prepared.parameterValues),
        resources: {},
        creationOrder: [],
        eventCount: 0,
      };
      repository.save(stack);
      deployer.start(stack, () => deployer.create(stack));
      return { StackId: stackId };
    },

    UpdateStack(input) {
      const stack = repository.require(input.StackName);
      if (!UPDATABLE.has(stack.StackStatus)) {
        throw new AwsError('ValidationError', `Stack:${stack.StackId} is in ${stack.StackStatus} state and can not be updated.`);
      }
      for (const name of ['StackPolicyBody', 'StackPolicyURL', 'StackPolicyDuringUpdateBody', 'StackPolicyDuringUpdateURL', 'RoleARN', 'RollbackConfiguration', 'ResourceTypes']) {
        if (input[name] !== undefined) throw new AwsError('ValidationError', `palisade does not support ${name} in UpdateStack`);
      }
      const source = flag(input.UsePreviousTemplate) ? { body: stack.TemplateBody, directory: stack.templateDirectory } : templateSource(input);
      const previousValues = repository.parameters(stack);
      const capabilities = list<string>(input.Capabilities);
      const prepared = prepareTemplate(app, {
        body: source.body,
        baseDirectory: source.directory,
        stackName: stack.StackName,
        stackId: stack.StackId,
        parameters: list<ParameterInput>(input.Parameters),
        previousParameters: previousValues,
        capabilities,
      });
      const tags = input.Tags === undefined ? stack.Tags : list<{ Key: string; Value: string }>(input.Tags);
      if (source.body === stack.TemplateBody && JSON.stringify(prepared.parameterValues) === JSON.stringify(previousValues) && JSON.stringify(tags) === JSON.stringify(stack.Tags)) {
        throw new AwsError('ValidationError', 'No updates are to be performed.');
      }
      stack.Capabilities = capabilities;
      stack.Tags = tags;
      stack.Description = prepared.template.Description === undefined ? undefined : String(prepared.template.Description);
      deployer.start(stack, () => deployer.update(stack, source.body, prepared.parameterValues, source.directory));
      return { StackId: stack.StackId };
    },

    DeleteStack(input) {
      const stack = repository.find(String(input.StackName ?? ''));
      // Deleting a stack that does not exist succeeds, as on AWS.
      if (!stack || stack.StackStatus === 'DELETE_COMPLETE' || stack.StackStatus === 'DELETE_IN_PROGRESS') return {};
      if (stack.StackStatus.endsWith('_IN_PROGRESS')) {
        throw new AwsError('ValidationError', `Stack [${stack.StackName}] cannot be deleted while in status ${stack.StackStatus}`);
      }
      if (list(input.RetainResources).length > 0) throw new AwsError('ValidationError', 'palisade does not support RetainResources in DeleteStack');
      stack.StackStatus = 'DELETE_IN_PROGRESS';
      repository.save(stack);
      deployer.start(stack, () => deployer.delete(stack));
      return {};
    },

    DescribeStacks(input) {
      const stacks = input.StackName ? [repository.require(String(input.StackName))] : repository.all().filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE');
      return { Stacks: stacks.map((stack) => describeStack(app, repository, stack, declaredParameters(stack))) };
    },

    ListStacks(input) {
      const filter = list<string>(input.StackStatusFilter);
      const stacks = repository.all().filter((stack) => filter.length === 0 || filter.includes(stack.StackStatus));
      return {
        StackSummaries: stacks.reverse().map((stack) => ({
          StackId: stack.StackId,
          StackName: stack.StackName,
          TemplateDescription: stack.Description,
          CreationTime: new Date(stack.CreationTime),
          LastUpdatedTime: stack.LastUpdatedTime ? new Date(stack.LastUpdatedTime) : undefined,
          DeletionTime: stack.DeletionTime ? new Date(stack.DeletionTime) : undefined,
          StackStatus: stack.StackStatus,
          StackStatusReason: stack.StackStatusReason,
          DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
        })),
      };
    },

    DescribeStackResources(input) {
      let stack: StackRecord | undefined;
      if (input.StackName) stack = repository.require(String(input.StackName));
      else if (input.PhysicalResourceId) {
        stack = repository.all().find((candidate) => Object.values(candidate.resources).some((resource) => resource.PhysicalResourceId === input.PhysicalResourceId));
        if (!stack) throw new AwsError('ValidationError', `Stack for ${input.PhysicalResourceId} does not exist`);
      } else {
        throw new AwsError('ValidationError', 'Either StackName or PhysicalResourceId must be specified.');
      }
      const resources = stack.creationOrder.map((id) => stack!.resources[id]).filter((resource) => resource && (!input.LogicalResourceId || resource.LogicalResourceId === input.LogicalResourceId));
      return {
        StackResources: resources.map((resource) => ({
          StackName: stack!.StackName,
          StackId: stack!.StackId,
          LogicalResourceId: resource.LogicalResourceId,
          PhysicalResourceId: resource.PhysicalResourceId,
          ResourceType: resource.ResourceType,
          Timestamp: new Date(resource.Timestamp),
          ResourceStatus: resource.ResourceStatus,
          ResourceStatusReason: resource.ResourceStatusReason,
          Description: resource.Description,
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        })),
      };
    },

    DescribeStackResource(input) {
      const stack = repository.require(input.StackName);
      const resource = stack.resources[String(input.LogicalResourceId ?? '')];
      if (!resource) throw new AwsError('ValidationError', `Resource ${input.LogicalResourceId} does not exist for stack ${input.StackName}`);
      return {
        StackResourceDetail: {
          StackName: stack.StackName,
          StackId: stack.StackId,
          LogicalResourceId: resource.LogicalResourceId,
          PhysicalResourceId: resource.PhysicalResourceId,
          ResourceType: resource.ResourceType,
          LastUpdatedTimestamp: new Date(resource.Timestamp),
          ResourceStatus: resource.ResourceStatus,
          ResourceStatusReason: resource.ResourceStatusReason,
          Description: resource.Description,
          Metadata: '{}',
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        },
      };
    },

    ListStackResources(input) {
      const stack = repository.require(input.StackName);
      return {
        StackResourceSummaries: stack.creationOrder.map((id) => stack.resources[id]).filter(Boolean).map((resource) => ({
          LogicalResourceId: resource.LogicalResourceId,
          PhysicalResourceId: resource.PhysicalResourceId,
          ResourceType: resource.ResourceType,
          LastUpdatedTimestamp: new Date(resource.Timestamp),
          ResourceStatus: resource.ResourceStatus,
          ResourceStatusReason: resource.ResourceStatusReason,
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        })),
      };
    },

    DescribeStackEvents(input) {
      const stack = repository.require(input.StackName);
      return { StackEvents: repository.events(stack.StackId).map((event) => ({ ...event, Timestamp: new Date(event.Timestamp) })) };
    },

    GetTemplate(input) {
      const stack = repository.require(input.StackName);
      if (input.ChangeSetName !== undefined) throw new AwsError('ValidationError', 'palisade does not support change sets');
      const body = input.TemplateStage === 'Processed'
        ? JSON.stringify(expandTransforms(parseTemplate(stack.TemplateBody), stack.templateDirectory))
        : stack.TemplateBody;
      return { TemplateBody: body, StagesAvailable: ['Original', 'Processed'] };
    },

    ValidateTemplate(input) {
      const source = templateSource(input);
      const template = parseTemplate(source.body);
      const parameters = (template.Parameters ?? {}) as Record<string, ParameterDeclaration>;
      const transforms = declaredTransforms(template);
      return {
        Parameters: Object.entries(parameters).map(([ParameterKey, declaration]) => ({
          ParameterKey,
          DefaultValue: declaration.Default === undefined ? undefined : String(declaration.Default),
          NoEcho: isNoEcho(declaration),
          Description: declaration.Description,
        })),
        Description: template.Description,
        ...capabilityHint(template, transforms),
        DeclaredTransforms: transforms,
      };
    },
  };
}

/** ValidateTemplate's Capabilities and CapabilitiesReason for IAM resources and transforms. */
function capabilityHint(template: Record<string, any>, transforms: string[]): { Capabilities?: string[]; CapabilitiesReason?: string } {
  if (transforms.length > 0) return { Capabilities: ['CAPABILITY_AUTO_EXPAND'], CapabilitiesReason: `The following resource(s) require capabilities: [${transforms.join(', ')}]` };
  const iam = Object.entries((template.Resources ?? {}) as Record<string, any>).filter(([, resource]) => String(resource?.Type).startsWith('AWS::IAM::'));
  if (iam.length === 0) return {};
  const named = iam.some(([, resource]) => resource.Properties?.RoleName !== undefined || resource.Properties?.UserName !== undefined || resource.Properties?.GroupName !== undefined);
  return {
    Capabilities: [named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM'],
    CapabilitiesReason: `The following resource(s) require capabilities: [${[...new Set(iam.map(([, resource]) => resource.Type))].join(', ')}]`,
  };
}
