import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { evaluateConditions } from './template/conditions.ts';
import { dependencyOrder } from './template/graph.ts';
import { templateError, type EvaluationContext } from './template/intrinsics.ts';
import { parameterValues, resolveParameters, type ParameterDeclaration, type ParameterInput } from './template/parameters.ts';
import { parseTemplate, type Template } from './template/parse.ts';
import { declaredTransforms, expandTransforms } from './template/sam.ts';
import type { StackRecord, StackRepository } from './stacks.ts';

/** A template ready to deploy: transforms expanded, parameters and conditions evaluated, resources ordered. */
export interface PreparedTemplate {
  template: Template;
  parameterValues: Record<string, string>;
  conditions: Record<string, boolean>;
  /** Logical ids of the resources whose Condition is true, in dependency order. */
  order: string[];
  active: Set<string>;
}

const IAM_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::InstanceProfile', 'AWS::IAM::AccessKey', 'AWS::IAM::UserToGroupAddition']);

export function pseudoParameters(app: App, stackName: string, stackId: string): Record<string, string> {
  return {
    'AWS::Region': app.region,
    'AWS::AccountId': app.accountId,
    'AWS::StackName': stackName,
    'AWS::StackId': stackId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
}

/**
 * The capabilities a template needs ("Acknowledging IAM resources",
 * CreateStack API reference): CAPABILITY_NAMED_IAM when an IAM resource has
 * a custom name, else CAPABILITY_IAM; CAPABILITY_AUTO_EXPAND for a transform.
 */
export function checkCapabilities(template: Template, expanded: Template, granted: string[]): void {
  const transforms = declaredTransforms(template);
  if (transforms.length > 0 && !granted.includes('CAPABILITY_AUTO_EXPAND')) {
    throw new AwsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]');
  }
  let needed: string | undefined;
  for (const resource of Object.values(expanded.Resources as Record<string, any>)) {
    if (!IAM_TYPES.has(resource?.Type)) continue;
    const named = ['RoleName', 'UserName', 'GroupName', 'ManagedPolicyName', 'InstanceProfileName'].some((key) => resource.Properties?.[key] !== undefined);
    if (named) needed = 'CAPABILITY_NAMED_IAM';
    else needed ??= 'CAPABILITY_IAM';
  }
  if (needed === 'CAPABILITY_NAMED_IAM' && !granted.includes('CAPABILITY_NAMED_IAM')) {
    throw new AwsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]');
  }
  if (needed === 'CAPABILITY_IAM' && !granted.includes('CAPABILITY_IAM') && !granted.includes('CAPABILITY_NAMED_IAM')) {
    throw new AwsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]');
  }
}

/**
 * Parse, expand and check a template with its parameters: everything
 * CloudFormation validates before it accepts CreateStack or UpdateStack.
 */
export function prepareTemplate(
  app: App,
  options: { body: string; baseDirectory: string; stackName: string; stackId: string; parameters: ParameterInput[]; previousParameters?: Record<string, string>; capabilities?: string[] },
): PreparedTemplate {
  const raw = parseTemplate(options.body);
  const template = expandTransforms(raw, options.baseDirectory);
  if (options.capabilities) checkCapabilities(raw, template, options.capabilities);
  const declarations = template.Parameters as Record<string, ParameterDeclaration> | undefined;
  const values = resolveParameters(declarations, options.parameters, options.previousParameters);
  const resources = template.Resources as Record<string, any>;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) throw new AwsError('ValidationError', `Template format error: Resource name ${logicalId} is non alphanumeric.`);
    if (!resource || typeof resource.Type !== 'string') throw new AwsError('ValidationError', `Template format error: [/Resources/${logicalId}] Every Resources object must contain a Type member.`);
    // TODO: palisade always deletes; Retain and Snapshot policies, CreationPolicy and UpdatePolicy are rejected rather than ignored.
    for (const attribute of ['DeletionPolicy', 'UpdateReplacePolicy']) {
      if (resource[attribute] !== undefined && resource[attribute] !== 'Delete') {
        throw new AwsError('ValidationError', `palisade does not support ${attribute} ${String(resource[attribute])} on resource ${logicalId}; only Delete is implemented`);
      }
    }
    for (const attribute of ['CreationPolicy', 'UpdatePolicy']) {
      if (resource[attribute] !== undefined) throw new AwsError('ValidationError', `palisade does not support the ${attribute} attribute on resource ${logicalId}`);
    }
  }
  // Cycles are checked over every declared resource, as CloudFormation validates the whole template.
  dependencyOrder(resources);

  const base: Omit<EvaluationContext, 'conditions'> = {
    pseudoParameters: pseudoParameters(app, options.stackName, options.stackId),
    parameters: parameterValues(declarations, values),
    mappings: template.Mappings ?? {},
    resourceIds: new Set(),
    ref: () => undefined,
    getAtt: () => undefined,
  };
  const conditions = evaluateConditions(template.Conditions, base);
  const active = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Condition === undefined) active.add(logicalId);
    else if (!(resource.Condition in conditions)) throw templateError(`Unresolved condition dependency ${resource.Condition} in resource ${logicalId}`);
    else if (conditions[resource.Condition]) active.add(logicalId);
  }
  const activeResources = Object.fromEntries(Object.entries(resources).filter(([logicalId]) => active.has(logicalId)));
  const { order } = dependencyOrder(activeResources);
  return { template, parameterValues: values, conditions, order, active };
}

/** Evaluation context over a stack's current resources. */
export function stackContext(app: App, repository: StackRepository, stack: StackRecord, prepared: PreparedTemplate): EvaluationContext {
  const declarations = prepared.template.Parameters as Record<string, ParameterDeclaration> | undefined;
  return {
    pseudoParameters: pseudoParameters(app, stack.StackName, stack.StackId),
    parameters: parameterValues(declarations, prepared.parameterValues),
    conditions: prepared.conditions,
    mappings: prepared.template.Mappings ?? {},
    resourceIds: prepared.active,
    ref(logicalId) {
      const resource = stack.resources[logicalId];
      if (!resource?.PhysicalResourceId) throw templateError(`resource ${logicalId} has no physical id yet`);
      return resource.PhysicalResourceId;
    },
    getAtt(logicalId, attribute) {
      const resource = stack.resources[logicalId];
      if (!resource) throw templateError(`resource ${logicalId} does not exist yet`);
      const value = repository.state(resource).attributes[attribute];
      if (value === undefined) {
        throw templateError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`.replace('Template error: ', ''));
      }
      return value;
    },
  };
}
