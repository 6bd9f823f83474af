import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { uuid } from '../../core/ids.ts';
import type { Operation } from '../../core/service.ts';
import { FunctionStore, functionConfiguration, lastModified, type FunctionRecord } from './function-record.ts';
import { checkMemorySize, checkRole, checkRuntime, checkTimeout, checkVariables, invalidValue, rejectUnsupported } from './function-input.ts';
import { extractZip, InvalidZipError } from './zip.ts';

/** Stops the warm instances of a function whose code or configuration changed. */
export interface InstanceRetirer {
  retire(functionName: string): Promise<void>;
}

const MAX_ITEMS = 50;

/** CreateFunction, GetFunction, ListFunctions, Update*, DeleteFunction. */
export function controlPlaneOperations(app: App, functions: FunctionStore, instances: InstanceRetirer): Record<string, Operation> {
  const codeRoot = join(app.config.stateDir, 'lambda');

  function unpackCode(name: string, code: Record<string, any> | undefined): Pick<FunctionRecord, 'CodeSize' | 'CodeSha256' | 'CodeDirectory'> {
    if (!code || (code.ZipFile === undefined && code.S3Bucket === undefined && code.ImageUri === undefined)) {
      throw invalidValue('Please provide a source for function code.');
    }
    if (code.S3Bucket !== undefined || code.S3Key !== undefined) {
      // TODO: take code from S3 once palisade serves S3.
      throw invalidValue('palisade does not serve Amazon S3 yet, so Code.S3Bucket and Code.S3Key cannot be used; upload the package as Code.ZipFile.');
    }
    if (code.ImageUri !== undefined) throw invalidValue('palisade does not run container image functions; upload a .zip package as Code.ZipFile.');
    const archive = Buffer.from(String(code.ZipFile), 'base64');
    const digest = createHash('sha256').update(archive).digest();
    // The directory is named by the hex digest because base64 may contain '/'.
    const directory = join(codeRoot, name, digest.toString('hex'));
    try {
      extractZip(archive, directory);
    } catch (error) {
      if (error instanceof InvalidZipError) throw invalidValue('Could not unzip uploaded file. Please check your file, then try to upload again.');
      throw error;
    }
    return { CodeSize: archive.length, CodeSha256: digest.toString('base64'), CodeDirectory: directory };
  }

  function sealedEnvironment(environment: unknown): string | undefined {
    if (environment === undefined) return undefined;
    return app.store.seal(JSON.stringify(checkVariables(environment)));
  }

  function vpcConfig(input: any): FunctionRecord['VpcConfig'] {
    if (!input) return undefined;
    // TODO: palisade has no VPC networking: the configuration is recorded but the function reaches 127.0.0.1 only, and VpcId stays empty.
    return { SubnetIds: input.SubnetIds ?? [], SecurityGroupIds: input.SecurityGroupIds ?? [], VpcId: '' };
  }

  return {
    CreateFunction(input) {
      rejectUnsupported(input);
      const { name, qualifier } = functions.parseName(String(input.FunctionName ?? ''));
      if (qualifier !== undefined) throw invalidValue('Unsupported operation for qualified function name');
      const role = checkRole(input.Role);
      if (input.Runtime === undefined || input.Handler === undefined) {
        throw invalidValue('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
      }
      const runtime = checkRuntime(input.Runtime);
      if (functions.get(name)) throw new AwsError('ResourceConflictException', `Function already exist: ${name}`, 409, { Type: 'User' });
      const timeout = checkTimeout(input.Timeout ?? 3);
      const memorySize = checkMemorySize(input.MemorySize ?? 128);
      const sealed = sealedEnvironment(input.Environment);
      const code = unpackCode(name, input.Code);
      const record: FunctionRecord = {
        FunctionName: name,
        FunctionArn: functions.functionArn(name),
        Runtime: runtime,
        Role: role,
        Handler: String(input.Handler),
        CodeSize: code.CodeSize,
        CodeSha256: code.CodeSha256,
        Description: input.Description ?? '',
        Timeout: timeout,
        MemorySize: memorySize,
        LastModified: lastModified(),
        Version: '$LATEST',
        ...(input.VpcConfig ? { VpcConfig: vpcConfig(input.VpcConfig) } : {}),
        TracingConfig: { Mode: input.TracingConfig?.Mode ?? 'PassThrough' },
        RevisionId: uuid(),
        State: 'Active',
        LastUpdateStatus: 'Successful',
        PackageType: 'Zip',
        Architectures: input.Architectures ?? ['x86_64'],
        EphemeralStorage: { Size: input.EphemeralStorage?.Size ?? 512 },
        LoggingConfig: { LogFormat: 'Text', LogGroup: input.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}` },
        ...(sealed ? { SealedEnvironment: sealed } : {}),
        CodeDirectory: code.CodeDirectory,
        Tags: input.Tags ?? {},
        Policy: [],
      };
      functions.put(record);
      return functionConfiguration(app, record);
    },

    GetFunction(input) {
      const record = functions.resolve(input.FunctionName, input.Qualifier);
      return {
        Configuration: functionConfiguration(app, record),
        // TODO: AWS returns a presigned S3 URL of the package in Code.Location; palisade does not serve package downloads.
        Code: { RepositoryType: 'S3' },
        ...(Object.keys(record.Tags).length ? { Tags: record.Tags } : {}),
      };
    },

    GetFunctionConfiguration(input) {
      return functionConfiguration(app, functions.resolve(input.FunctionName, input.Qualifier));
    },

    ListFunctions(input) {
      if (input.FunctionVersion !== undefined && input.FunctionVersion !== 'ALL') {
        throw invalidValue(`Invalid FunctionVersion: ${input.FunctionVersion}`);
      }
      const all = functions.list().sort((a, b) => (a.FunctionName < b.FunctionName ? -1 : 1));
      const start = input.Marker ? all.findIndex((f) => f.FunctionName > String(input.Marker)) : 0;
      const maxItems = input.MaxItems === undefined ? MAX_ITEMS : Math.min(Number(input.MaxItems), MAX_ITEMS);
      const page = start === -1 ? [] : all.slice(start, start + maxItems);
      const more = start !== -1 && start + maxItems < all.length;
      return {
        Functions: page.map((record) => functionConfiguration(app, record)),
        ...(more ? { NextMarker: page[page.length - 1].FunctionName } : {}),
      };
    },

    async DeleteFunction(input) {
      const record = functions.resolve(input.FunctionName, input.Qualifier);
      functions.delete(record.FunctionName);
      await instances.retire(record.FunctionName);
      rmSync(join(codeRoot, record.FunctionName), { recursive: true, force: true });
      return {};
    },

    async UpdateFunctionCode(input) {
      const record = functions.resolve(input.FunctionName);
      checkRevision(record, input.RevisionId);
      if (input.Publish === true) throw invalidValue('palisade does not support Publish for Lambda functions yet; the request was not carried out.');
      if (input.DryRun === true) return functionConfiguration(app, record);
      const code = unpackCode(record.FunctionName, { ZipFile: input.ZipFile, S3Bucket: input.S3Bucket, S3Key: input.S3Key, ImageUri: input.ImageUri });
      if (code.CodeDirectory !== record.CodeDirectory) rmSync(record.CodeDirectory, { recursive: true, force: true });
      const updated: FunctionRecord = {
        ...record,
        ...code,
        ...(input.Architectures ? { Architectures: input.Architectures } : {}),
        LastModified: lastModified(),
        RevisionId: uuid(),
      };
      functions.put(updated);
      await instances.retire(record.FunctionName);
      return functionConfiguration(app, updated);
    },

    async UpdateFunctionConfiguration(input) {
      const record = functions.resolve(input.FunctionName);
      checkRevision(record, input.RevisionId);
      rejectUnsupported(input);
      const updated: FunctionRecord = { ...record, LastModified: lastModified(), RevisionId: uuid() };
      if (input.Role !== undefined) updated.Role = checkRole(input.Role);
      if (input.Runtime !== undefined) updated.Runtime = checkRuntime(input.Runtime);
      if (input.Handler !== undefined) updated.Handler = String(input.Handler);
      if (input.Description !== undefined) updated.Description = String(input.Description);
      if (input.Timeout !== undefined) updated.Timeout = checkTimeout(input.Timeout);
      if (input.MemorySize !== undefined) updated.MemorySize = checkMemorySize(input.MemorySize);
      if (input.VpcConfig !== undefined) updated.VpcConfig = vpcConfig(input.VpcConfig);
      if (input.TracingConfig?.Mode !== undefined) updated.TracingConfig = { Mode: input.TracingConfig.Mode };
      if (input.EphemeralStorage?.Size !== undefined) updated.EphemeralStorage = { Size: input.EphemeralStorage.Size };
      if (input.LoggingConfig?.LogGroup !== undefined) updated.LoggingConfig = { LogFormat: 'Text', LogGroup: input.LoggingConfig.LogGroup };
      if (input.Environment !== undefined) {
        const sealed = sealedEnvironment(input.Environment);
        if (sealed) updated.SealedEnvironment = sealed;
      }
      functions.put(updated);
      await instances.retire(record.FunctionName);
      return functionConfiguration(app, updated);
    },
  };
}

/** RevisionId is an optimistic lock: a stale one fails with PreconditionFailedException (412). */
export function checkRevision(record: FunctionRecord, revisionId: unknown): void {
  if (revisionId !== undefined && revisionId !== record.RevisionId) {
    throw new AwsError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      412,
      { Type: 'User' },
    );
  }
}
