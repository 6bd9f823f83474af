import { AwsError } from '../../../core/errors.ts';
import { randomString } from '../../../core/ids.ts';
import { compact, toBoolean, toNumber, type ProvisionContext, type ResourceProvisioner } from './types.ts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The secret string GenerateSecretString describes
 * ("AWS::SecretsManager::Secret GenerateSecretString"): a password from
 * GetRandomPassword, alone or placed under GenerateStringKey in
 * SecretStringTemplate.
 */
async function generateSecretString(ctx: ProvisionContext, spec: Record<string, any>): Promise<string> {
  const { SecretStringTemplate, GenerateStringKey, ...options } = spec;
  const known = ['PasswordLength', 'ExcludeCharacters', 'ExcludeNumbers', 'ExcludePunctuation', 'ExcludeUppercase', 'ExcludeLowercase', 'IncludeSpace', 'RequireEachIncludedType'];
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) throw new AwsError('ValidationError', `Encountered unsupported property GenerateSecretString.${name}`);
  }
  if ((SecretStringTemplate === undefined) !== (GenerateStringKey === undefined)) {
    throw new AwsError('ValidationError', 'GenerateSecretString needs both SecretStringTemplate and GenerateStringKey, or neither');
  }
  const { RandomPassword } = await ctx.call('secretsmanager', 'GetRandomPassword', compact({
    PasswordLength: toNumber(options.PasswordLength),
    ExcludeCharacters: options.ExcludeCharacters,
    ExcludeNumbers: toBoolean(options.ExcludeNumbers),
    ExcludePunctuation: toBoolean(options.ExcludePunctuation),
    ExcludeUppercase: toBoolean(options.ExcludeUppercase),
    ExcludeLowercase: toBoolean(options.ExcludeLowercase),
    IncludeSpace: toBoolean(options.IncludeSpace),
    RequireEachIncludedType: toBoolean(options.RequireEachIncludedType),
  }));
  if (SecretStringTemplate === undefined) return RandomPassword;
  let template: Record<string, unknown>;
  try {
    template = JSON.parse(String(SecretStringTemplate));
  } catch {
    throw new AwsError('ValidationError', 'GenerateSecretString.SecretStringTemplate must be a JSON object');
  }
  return JSON.stringify({ ...template, [String(GenerateStringKey)]: RandomPassword });
}

async function secretStringFor(ctx: ProvisionContext, props: Record<string, any>): Promise<string | undefined> {
  if (props.SecretString !== undefined && props.GenerateSecretString !== undefined) {
    throw new AwsError('ValidationError', 'You can specify either SecretString or GenerateSecretString, not both');
  }
  if (props.GenerateSecretString !== undefined) return generateSecretString(ctx, props.GenerateSecretString);
  return props.SecretString === undefined ? undefined : String(props.SecretString);
}

/** AWS::SecretsManager::Secret → CreateSecret; Ref and Fn::GetAtt Id are the secret's ARN. */
const secret: ResourceProvisioner = {
  properties: ['Description', 'GenerateSecretString', 'KmsKeyId', 'Name', 'SecretString', 'Tags'],
  unsupported: ['ReplicaRegions'],
  replaceOn: ['Name'],
  async create(ctx, props) {
    // CloudFormation names an unnamed secret `<logical id>-<12 random characters>`.
    const name = String(props.Name ?? `${ctx.logicalId}-${randomString(12, ALPHANUMERIC)}`);
    const output = await ctx.call('secretsmanager', 'CreateSecret', compact({
      Name: name,
      Description: props.Description,
      KmsKeyId: props.KmsKeyId,
      SecretString: await secretStringFor(ctx, props),
      Tags: props.Tags,
    }));
    return { physicalId: output.ARN, attributes: { Id: output.ARN } };
  },
  async update(ctx, current, props) {
    await ctx.call('secretsmanager', 'UpdateSecret', compact({ SecretId: current.physicalId, Description: props.Description ?? '', KmsKeyId: props.KmsKeyId }));
    const valueChanged = JSON.stringify([props.SecretString, props.GenerateSecretString]) !== JSON.stringify([current.properties.SecretString, current.properties.GenerateSecretString]);
    const value = valueChanged ? await secretStringFor(ctx, props) : undefined;
    if (value !== undefined) await ctx.call('secretsmanager', 'PutSecretValue', { SecretId: current.physicalId, SecretString: value });
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    // CloudFormation deletes a stack's secret without a recovery window.
    await ctx.call('secretsmanager', 'DeleteSecret', { SecretId: current.physicalId, ForceDeleteWithoutRecovery: true });
  },
};

/**
 * AWS::SecretsManager::SecretTargetAttachment → PutSecretValue adding the
 * database's connection fields (engine, host, port, dbInstanceIdentifier,
 * dbname when set) to the JSON secret, as CloudFormation does.
 */
const secretTargetAttachment: ResourceProvisioner = {
  properties: ['SecretId', 'TargetId', 'TargetType'],
  required: ['SecretId', 'TargetId', 'TargetType'],
  async create(ctx, props) {
    if (props.TargetType !== 'AWS::RDS::DBInstance') {
      throw new AwsError('ValidationError', `palisade supports SecretTargetAttachment only for TargetType AWS::RDS::DBInstance, not ${String(props.TargetType)}`);
    }
    const { DBInstances } = await ctx.call('rds', 'DescribeDBInstances', { DBInstanceIdentifier: props.TargetId });
    const instance = DBInstances?.[0];
    if (!instance) throw new AwsError('ValidationError', `DB instance ${String(props.TargetId)} not found`);
    const current = await ctx.call('secretsmanager', 'GetSecretValue', { SecretId: props.SecretId });
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(current.SecretString ?? '');
    } catch {
      throw new AwsError('ValidationError', `The secret ${String(props.SecretId)} must hold a JSON object to be attached to a database`);
    }
    const connection = compact({
      engine: instance.Engine,
      host: instance.Endpoint?.Address,
      port: instance.Endpoint?.Port,
      dbInstanceIdentifier: instance.DBInstanceIdentifier,
      dbname: instance.DBName,
    });
    await ctx.call('secretsmanager', 'PutSecretValue', { SecretId: props.SecretId, SecretString: JSON.stringify({ ...value, ...connection }) });
    return { physicalId: String(current.ARN ?? props.SecretId) };
  },
  async update(ctx, current, props) {
    return this.create(ctx, props);
  },
  async delete() {
    // CloudFormation leaves the secret's value as it is when the attachment is removed.
  },
};

export const secretsManagerProvisioners: Record<string, ResourceProvisioner> = {
  'AWS::SecretsManager::Secret': secret,
  'AWS::SecretsManager::SecretTargetAttachment': secretTargetAttachment,
};
