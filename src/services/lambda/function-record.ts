import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { formatArn, parseArn } from '../../core/arn.ts';

/** A permission statement of the function's resource-based policy, as GetPolicy returns it. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

/**
 * A function as stored: its configuration as GetFunctionConfiguration
 * returns it, except that the environment variables are sealed.
 */
export interface FunctionRecord {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  CodeSha256: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Version: '$LATEST';
  VpcConfig?: { SubnetIds: string[]; SecurityGroupIds: string[]; VpcId: string };
  TracingConfig: { Mode: string };
  RevisionId: string;
  State: 'Active';
  LastUpdateStatus: 'Successful';
  PackageType: 'Zip';
  Architectures: string[];
  EphemeralStorage: { Size: number };
  LoggingConfig: { LogFormat: string; LogGroup: string };
  /** AES-GCM sealed JSON of the Environment.Variables map; secret material. */
  SealedEnvironment?: string;
  /** Directory holding the unzipped code. */
  CodeDirectory: string;
  Tags: Record<string, string>;
  Policy: PolicyStatement[];
}

const SERVICE = 'lambda';
const KIND = 'function';
/** Function name part of FunctionName (CreateFunction's `FunctionName` pattern in the API model). */
export const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;

export class FunctionStore {
  constructor(private readonly app: App) {}

  functionArn(name: string): string {
    return formatArn({ service: 'lambda', region: this.app.region, accountId: this.app.accountId, resource: `function:${name}` });
  }

  get(name: string): FunctionRecord | undefined {
    return this.app.store.get<FunctionRecord>(SERVICE, KIND, name);
  }

  put(record: FunctionRecord): void {
    this.app.store.put(SERVICE, KIND, record.FunctionName, record);
  }

  delete(name: string): void {
    this.app.store.delete(SERVICE, KIND, name);
  }

  list(): FunctionRecord[] {
    return this.app.store.list<FunctionRecord>(SERVICE, KIND);
  }

  /**
   * Find a function by name, ARN or partial ARN (`123456789012:function:f`),
   * with an optional `:qualifier` or `Qualifier`. Only `$LATEST` exists,
   * because palisade does not publish versions or aliases yet.
   */
  resolve(functionName: string, qualifier?: string): FunctionRecord {
    const { name, qualifier: inName } = this.parseName(functionName);
    const record = this.get(name);
    const requested = qualifier ?? inName;
    if (!record || (requested !== undefined && requested !== '$LATEST')) {
      const arn = this.functionArn(name) + (requested !== undefined ? `:${requested}` : '');
      throw new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404, { Type: 'User' });
    }
    return record;
  }

  parseName(functionName: string): { name: string; qualifier?: string } {
    let rest = functionName;
    const arn = parseArn(functionName);
    if (arn) {
      if (arn.service !== 'lambda' || arn.accountId !== this.app.accountId || arn.region !== this.app.region) {
        throw new AwsError('ResourceNotFoundException', `Function not found: ${functionName}`, 404, { Type: 'User' });
      }
      rest = arn.resource;
    }
    rest = rest.replace(/^\d{12}:/, '').replace(/^function:/, '');
    const [name, qualifier, ...extra] = rest.split(':');
    if (!FUNCTION_NAME.test(name) || extra.length) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
        400,
      );
    }
    return { name, qualifier };
  }
}

/** Build the API's FunctionConfiguration shape, with the environment opened. */
export function functionConfiguration(app: App, record: FunctionRecord): Record<string, unknown> {
  const { SealedEnvironment, CodeDirectory: _code, Tags: _tags, Policy: _policy, ...config } = record;
  const result: Record<string, unknown> = { ...config };
  if (SealedEnvironment) result.Environment = { Variables: environmentVariables(app, record) };
  return result;
}

export function environmentVariables(app: App, record: FunctionRecord): Record<string, string> {
  return record.SealedEnvironment ? (JSON.parse(app.store.openString(record.SealedEnvironment)) as Record<string, string>) : {};
}

/** Lambda's LastModified form: `2024-05-01T12:34:56.789+0000`. */
export function lastModified(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
