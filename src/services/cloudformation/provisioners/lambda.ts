import { AwsError } from '../../../core/errors.ts';
import { packageDirectory, packageInlineCode } from '../packaging.ts';
import { LOCAL_CODE_DIRECTORY } from '../template/sam.ts';
import { compact, generatedName, toNumber, type ProvisionContext, type ResourceProvisioner } from './types.ts';

/** CloudFormation tags (`[{Key, Value}]`) as the map most APIs take. */
export function tagMap(tags: unknown): Record<string, string> | undefined {
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags)) return Object.fromEntries(Object.entries(tags as object).map(([key, value]) => [key, String(value)]));
  return Object.fromEntries(tags.map((tag: { Key: string; Value: unknown }) => [tag.Key, String(tag.Value)]));
}

/** The deployment package as a base64 string, as the JSON wire carries Code.ZipFile. */
async function zipFileFor(ctx: ProvisionContext, props: Record<string, any>): Promise<string> {
  const code = (props.Code ?? {}) as Record<string, unknown>;
  const runtime = String(props.Runtime ?? '');
  if (typeof code[LOCAL_CODE_DIRECTORY] === 'string') {
    return (await packageDirectory(code[LOCAL_CODE_DIRECTORY] as string, String(props.Handler ?? ''), runtime)).toString('base64');
  }
  if (typeof code.ZipFile === 'string') return packageInlineCode(code.ZipFile, runtime).toString('base64');
  const other = Object.keys(code).find((key) => key !== 'ZipFile');
  throw new AwsError('ValidationError', `palisade does not support Code.${other ?? '(empty)'} of AWS::Lambda::Function ${ctx.logicalId}: use Code.ZipFile or a SAM function with a local CodeUri (there is no S3 or ECR locally)`);
}

function configuration(props: Record<string, any>) {
  return compact({
    Role: props.Role,
    Handler: props.Handler,
    Runtime: props.Runtime,
    Description: props.Description,
    Timeout: toNumber(props.Timeout),
    MemorySize: toNumber(props.MemorySize),
    Environment: props.Environment,
    VpcConfig: props.VpcConfig,
  });
}

/** AWS::Lambda::Function → CreateFunction; Ref is the function name, Fn::GetAtt Arn the function ARN. */
const lambdaFunction: ResourceProvisioner = {
  properties: ['Architectures', 'Code', 'Description', 'Environment', 'FunctionName', 'Handler', 'MemorySize', 'Role', 'Runtime', 'Tags', 'Timeout', 'VpcConfig'],
  unsupported: ['CodeSigningConfigArn', 'DeadLetterConfig', 'EphemeralStorage', 'FileSystemConfigs', 'ImageConfig', 'KmsKeyArn', 'Layers', 'LoggingConfig', 'PackageType', 'RecursiveLoop', 'ReservedConcurrentExecutions', 'RuntimeManagementConfig', 'SnapStartConfig', 'TracingConfig'],
  required: ['Code', 'Role'],
  replaceOn: ['FunctionName'],
  async create(ctx, props) {
    const output = await ctx.call('lambda', 'CreateFunction', compact({
      FunctionName: props.FunctionName ?? generatedName(ctx, 64),
      ...configuration(props),
      Architectures: props.Architectures,
      Code: { ZipFile: await zipFileFor(ctx, props) },
      Tags: tagMap(props.Tags),
    }));
    return { physicalId: output.FunctionName, attributes: { Arn: output.FunctionArn } };
  },
  async update(ctx, current, props) {
    await ctx.call('lambda', 'UpdateFunctionConfiguration', { FunctionName: current.physicalId, ...configuration(props) });
    const code = await ctx.call('lambda', 'UpdateFunctionCode', compact({ FunctionName: current.physicalId, ZipFile: await zipFileFor(ctx, props), Architectures: props.Architectures }));
    return { physicalId: current.physicalId, attributes: { Arn: code.FunctionArn ?? current.attributes.Arn } };
  },
  async delete(ctx, current) {
    await ctx.call('lambda', 'DeleteFunction', { FunctionName: current.physicalId });
  },
};

/** AWS::Lambda::Permission → AddPermission, with a generated statement id. */
const lambdaPermission: ResourceProvisioner = {
  properties: ['Action', 'EventSourceToken', 'FunctionName', 'FunctionUrlAuthType', 'Principal', 'PrincipalOrgID', 'SourceAccount', 'SourceArn'],
  unsupported: ['InvokedViaFunctionUrl'],
  required: ['Action', 'FunctionName', 'Principal'],
  async create(ctx, props) {
    const statementId = generatedName(ctx, 100);
    await ctx.call('lambda', 'AddPermission', compact({
      FunctionName: props.FunctionName,
      StatementId: statementId,
      Action: props.Action,
      Principal: props.Principal,
      SourceArn: props.SourceArn,
      SourceAccount: props.SourceAccount,
      EventSourceToken: props.EventSourceToken,
      PrincipalOrgID: props.PrincipalOrgID,
      FunctionUrlAuthType: props.FunctionUrlAuthType,
    }));
    return { physicalId: statementId, attributes: { Id: statementId } };
  },
  async delete(ctx, current) {
    await ctx.call('lambda', 'RemovePermission', { FunctionName: current.properties.FunctionName, StatementId: current.physicalId });
  },
};

/** AWS::Logs::LogGroup → CreateLogGroup (+ PutRetentionPolicy); Ref is the name. */
const logGroup: ResourceProvisioner = {
  properties: ['LogGroupName', 'RetentionInDays', 'Tags'],
  unsupported: ['DataProtectionPolicy', 'FieldIndexPolicies', 'KmsKeyId', 'LogGroupClass', 'DeletionProtectionEnabled', 'BearerTokenAuthenticationEnabled', 'ResourcePolicyDocument'],
  replaceOn: ['LogGroupName'],
  async create(ctx, props) {
    const name = String(props.LogGroupName ?? generatedName(ctx, 512));
    await ctx.call('logs', 'CreateLogGroup', compact({ logGroupName: name, tags: tagMap(props.Tags) }));
    if (props.RetentionInDays !== undefined) await ctx.call('logs', 'PutRetentionPolicy', { logGroupName: name, retentionInDays: toNumber(props.RetentionInDays) });
    return { physicalId: name, attributes: { Arn: `arn:aws:logs:${ctx.app.region}:${ctx.app.accountId}:log-group:${name}:*` } };
  },
  async update(ctx, current, props) {
    if (props.RetentionInDays !== undefined) await ctx.call('logs', 'PutRetentionPolicy', { logGroupName: current.physicalId, retentionInDays: toNumber(props.RetentionInDays) });
    else await ctx.call('logs', 'DeleteRetentionPolicy', { logGroupName: current.physicalId });
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await ctx.call('logs', 'DeleteLogGroup', { logGroupName: current.physicalId });
  },
};

export const lambdaProvisioners: Record<string, ResourceProvisioner> = {
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Permission': lambdaPermission,
  'AWS::Logs::LogGroup': logGroup,
};
