import type { App } from '../../../core/app.ts';
import { AwsError } from '../../../core/errors.ts';
import { upperId } from '../../../core/ids.ts';

/** Inputs a provisioner receives for one resource operation. */
export interface ProvisionContext {
  app: App;
  stackId: string;
  stackName: string;
  logicalId: string;
  resourceType: string;
  /** Call another service's operation in-process (AWS API names and shapes). */
  call<O = any>(service: string, operation: string, input: object): Promise<O>;
  /** Invoke a custom resource's ServiceToken and wait for its response (custom-resources.ts). */
  customResource(request: CustomResourceRequest): Promise<CustomResourceResponse>;
}

export interface CustomResourceRequest {
  serviceToken: string;
  requestType: 'Create' | 'Update' | 'Delete';
  resourceProperties: Record<string, unknown>;
  oldResourceProperties?: Record<string, unknown>;
  physicalResourceId?: string;
}

export interface CustomResourceResponse {
  PhysicalResourceId: string;
  Data: Record<string, unknown>;
}

/** A resource as it exists: its physical id, the properties it was made with and its attributes. */
export interface ProvisionedResource {
  physicalId: string;
  properties: Record<string, any>;
  attributes: Record<string, unknown>;
}

export interface ProvisionResult {
  /** The value `Ref` returns; CloudFormation's PhysicalResourceId. */
  physicalId: string;
  /** Values for Fn::GetAtt. */
  attributes?: Record<string, unknown>;
}

/**
 * Create, update and delete handlers for one resource type. Each lists
 * the documented properties of the type ("AWS resource and property types
 * reference") in three groups; a property in none of them is not a property
 * of the type.
 */
export interface ResourceProvisioner {
  /** Properties palisade carries out. */
  properties: readonly string[];
  /** Properties palisade only records by design (no network, no IAM enforcement): named in the provisioner's comment. */
  recordedOnly?: readonly string[];
  /** Documented properties palisade does not honour: a template that sets one fails naming it. */
  unsupported?: readonly string[];
  required?: readonly string[];
  /** Custom resources: every property is the ServiceToken function's to interpret. */
  acceptsAnyProperty?: boolean;
  create(ctx: ProvisionContext, properties: Record<string, any>): Promise<ProvisionResult>;
  /** Update in place; without it every property change replaces the resource. */
  update?(ctx: ProvisionContext, current: ProvisionedResource, properties: Record<string, any>): Promise<ProvisionResult>;
  /** Properties whose change needs replacement even when `update` exists. */
  replaceOn?: readonly string[];
  delete(ctx: ProvisionContext, current: ProvisionedResource): Promise<void>;
}

/** Fail closed on a property the type does not have or palisade does not honour. */
export function checkProperties(type: string, provisioner: ResourceProvisioner, properties: Record<string, unknown>): void {
  for (const name of Object.keys(properties)) {
    if (provisioner.acceptsAnyProperty) break;
    if (provisioner.unsupported?.includes(name)) {
      throw new AwsError('ValidationError', `palisade does not support property ${name} of ${type}`);
    }
    if (!provisioner.properties.includes(name) && !provisioner.recordedOnly?.includes(name)) {
      throw new AwsError('ValidationError', `Encountered unsupported property ${name}`);
    }
  }
  for (const name of provisioner.required ?? []) {
    if (properties[name] === undefined) throw new AwsError('ValidationError', `Property validation failure: [The property {/${name}} is required]`);
  }
}

/** A property value as a number (templates often write numbers as strings). */
export function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = Number(value);
  if (Number.isNaN(number)) throw new AwsError('ValidationError', `Value ${String(value)} is not a number`);
  return number;
}

/** A property value as a boolean (`'true'`/`'false'` strings included). */
export function toBoolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  return String(value).toLowerCase() === 'true';
}

/** Drop undefined members so in-process calls see only what the template set. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

/** A physical name CloudFormation generates: `<stack>-<logical id>-<random>` ("Name type"). */
export function generatedName(ctx: ProvisionContext, maxLength = 64): string {
  const suffix = upperId(12);
  const base = `${ctx.stackName}-${ctx.logicalId}`.slice(0, maxLength - suffix.length - 1);
  return `${base}-${suffix}`;
}
