import { isAbsolute, resolve as resolvePath } from 'node:path';
import { AwsError } from '../../../core/errors.ts';
import type { Template } from './parse.ts';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/**
 * Marker key in an expanded function's `Code`: the absolute local directory a
 * SAM CodeUri named. The Lambda provisioner packages it (see packaging.ts).
 * CloudFormation has no such property; only the SAM expansion writes it.
 */
export const LOCAL_CODE_DIRECTORY = 'Palisade::LocalDirectory';

/** AWS::Serverless::Function properties palisade expands, each mapped to AWS::Lambda::Function's name. */
const FUNCTION_PROPERTIES: Record<string, string | undefined> = {
  CodeUri: undefined,
  Handler: 'Handler',
  Runtime: 'Runtime',
  Role: 'Role',
  Environment: 'Environment',
  MemorySize: 'MemorySize',
  Timeout: 'Timeout',
  VpcConfig: 'VpcConfig',
  Description: 'Description',
  FunctionName: 'FunctionName',
  Architectures: 'Architectures',
  Tags: undefined,
};

/** Names of the transforms a template declares. */
export function declaredTransforms(template: Template): string[] {
  return template.Transform === undefined ? [] : [template.Transform].flat().map(String);
}

/**
 * Expand the SAM transform ("AWS SAM resource and property reference"):
 * only AWS::Serverless::Function, with the properties above. Anything else
 * SAM offers fails naming itself. `baseDirectory` is where CodeUri paths
 * are resolved from.
 */
export function expandTransforms(template: Template, baseDirectory: string): Template {
  const transforms = declaredTransforms(template);
  for (const transform of transforms) {
    if (transform !== SAM_TRANSFORM) throw new AwsError('ValidationError', `Template format error: palisade does not support the transform ${transform}`);
  }
  if (transforms.length === 0) return template;
  const expanded: Template = structuredClone(template);
  delete expanded.Transform;
  const globals = (expanded.Globals?.Function ?? {}) as Record<string, any>;
  for (const section of Object.keys(expanded.Globals ?? {})) {
    if (section !== 'Function') throw new AwsError('ValidationError', `palisade does not support the SAM Globals section ${section}`);
  }
  delete expanded.Globals;
  const resources: Record<string, any> = {};
  for (const [logicalId, resource] of Object.entries(expanded.Resources as Record<string, any>)) {
    if (resource?.Type === 'AWS::Serverless::Function') {
      Object.assign(resources, expandFunction(logicalId, resource, globals, baseDirectory));
    } else if (typeof resource?.Type === 'string' && resource.Type.startsWith('AWS::Serverless::')) {
      throw new AwsError('ValidationError', `palisade does not support the SAM resource type ${resource.Type} (resource ${logicalId})`);
    } else {
      resources[logicalId] = resource;
    }
  }
  expanded.Resources = resources;
  return expanded;
}

function expandFunction(logicalId: string, resource: any, globals: Record<string, any>, baseDirectory: string): Record<string, any> {
  const properties = mergeGlobals(globals, resource.Properties ?? {});
  for (const name of Object.keys(properties)) {
    if (name === 'Events') {
      throw new AwsError('ValidationError', `palisade does not support the Events property of AWS::Serverless::Function ${logicalId}: it does not build SAM's implicit API; declare AWS::ApiGateway resources instead`);
    }
    if (!(name in FUNCTION_PROPERTIES)) throw new AwsError('ValidationError', `palisade does not support property ${name} of AWS::Serverless::Function ${logicalId}`);
  }
  const functionProperties: Record<string, any> = { Code: codeFor(logicalId, properties.CodeUri, baseDirectory) };
  for (const [samName, lambdaName] of Object.entries(FUNCTION_PROPERTIES)) {
    if (lambdaName && properties[samName] !== undefined) functionProperties[lambdaName] = properties[samName];
  }
  // SAM writes Tags as a map; AWS::Lambda::Function takes a list, with SAM's own tag added.
  functionProperties.Tags = [
    { Key: 'lambda:createdBy', Value: 'SAM' },
    ...Object.entries((properties.Tags ?? {}) as Record<string, unknown>).map(([Key, Value]) => ({ Key, Value })),
  ];
  const out: Record<string, any> = {};
  if (functionProperties.Role === undefined) {
    // Without Role, SAM creates `<Function>Role` with the basic execution policy.
    out[`${logicalId}Role`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
        },
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        Tags: [{ Key: 'lambda:createdBy', Value: 'SAM' }],
      },
    };
    functionProperties.Role = { 'Fn::GetAtt': [`${logicalId}Role`, 'Arn'] };
  }
  out[logicalId] = { ...resource, Type: 'AWS::Lambda::Function', Properties: functionProperties };
  return out;
}

function mergeGlobals(globals: Record<string, any>, properties: Record<string, any>): Record<string, any> {
  const merged = { ...globals, ...properties };
  const globalVariables = globals.Environment?.Variables;
  const ownVariables = properties.Environment?.Variables;
  if (globalVariables && ownVariables) merged.Environment = { Variables: { ...globalVariables, ...ownVariables } };
  return merged;
}

function codeFor(logicalId: string, codeUri: unknown, baseDirectory: string): Record<string, string> {
  if (typeof codeUri !== 'string' || codeUri === '') {
    throw new AwsError('ValidationError', `AWS::Serverless::Function ${logicalId} needs CodeUri as a local directory: palisade supports neither InlineCode nor S3 locations objects`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(codeUri)) {
    throw new AwsError('ValidationError', `palisade supports only local directories as CodeUri, not ${codeUri} (resource ${logicalId}): there is no S3 locally`);
  }
  return { [LOCAL_CODE_DIRECTORY]: isAbsolute(codeUri) ? codeUri : resolvePath(baseDirectory, codeUri) };
}
