import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { log } from '../../core/log.ts';
import type { CustomResourceBroker } from './custom-resources.ts';
import { prepareTemplate, stackContext, type PreparedTemplate } from './prepared-template.ts';
import { provisionerFor } from './provisioners/index.ts';
import { checkProperties, type ProvisionContext, type ProvisionedResource } from './provisioners/types.ts';
import type { ResourceRecord, StackRecord, StackRepository } from './stacks.ts';
import { containsDynamicReference, resolveDynamicReferences } from './template/dynamic-references.ts';
import { evaluate, templateError } from './template/intrinsics.ts';

/** A resource operation failed; the resource's event already names the cause. */
class ResourceFailure extends Error {
  constructor(readonly logicalId: string, message: string) {
    super(message);
  }
}

const now = () => new Date().toISOString();

/**
 * Carries out stack operations after the API call has returned, as
 * CloudFormation does: resources one at a time in dependency order (AWS runs
 * independent ones in parallel; the result is the same), with an event for
 * every status change.
 */
export class Deployer {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly app: App,
    private readonly repository: StackRepository,
    private readonly customResources: CustomResourceBroker,
  ) {}

  /** Run an operation on a stack in the background; its errors end in the stack's status, never in the caller. */
  start(stack: StackRecord, operation: () => Promise<void>): void {
    const task = operation()
      .catch((error) => log('error', 'cloudformation', 'stack operation failed unexpectedly', { stackId: stack.StackId, error: String((error as Error)?.stack ?? error) }))
      .finally(() => this.running.delete(stack.StackId));
    this.running.set(stack.StackId, task);
  }

  /** Wait for every running operation (palisade is stopping). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  prepare(stack: StackRecord, body = stack.TemplateBody, parameters = this.repository.parameters(stack)): PreparedTemplate {
    return prepareTemplate(this.app, {
      body,
      baseDirectory: stack.templateDirectory,
      stackName: stack.StackName,
      stackId: stack.StackId,
      parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    });
  }

  async create(stack: StackRecord): Promise<void> {
    this.stackEvent(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
    const prepared = this.prepare(stack);
    try {
      for (const logicalId of prepared.order) await this.createResource(stack, prepared, logicalId);
      stack.Outputs = this.outputs(stack, prepared);
      this.stackEvent(stack, 'CREATE_COMPLETE');
    } catch (error) {
      await this.failCreate(stack, error);
    }
  }

  private async failCreate(stack: StackRecord, error: unknown): Promise<void> {
    const reason = error instanceof ResourceFailure
      ? `The following resource(s) failed to create: [${error.logicalId}]. `
      : `Stack creation failed: ${reasonFor(error)}`;
    if (stack.DisableRollback || stack.OnFailure === 'DO_NOTHING') {
      this.stackEvent(stack, 'CREATE_FAILED', reason);
      return;
    }
    if (stack.OnFailure === 'DELETE') {
      this.stackEvent(stack, 'DELETE_IN_PROGRESS', reason + 'Delete requested by user.');
      await this.deleteAll(stack, 'DELETE');
      return;
    }
    this.stackEvent(stack, 'ROLLBACK_IN_PROGRESS', reason + 'Rollback requested by user.');
    const failed = await this.deleteResources(stack, [...stack.creationOrder].reverse());
    this.stackEvent(stack, failed ? 'ROLLBACK_FAILED' : 'ROLLBACK_COMPLETE', failed ? `The following resource(s) failed to delete: [${failed}]. ` : undefined);
  }

  async delete(stack: StackRecord): Promise<void> {
    this.stackEvent(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    await this.deleteAll(stack, 'DELETE');
  }

  private async deleteAll(stack: StackRecord, prefix: 'DELETE'): Promise<void> {
    const failed = await this.deleteResources(stack, [...stack.creationOrder].reverse());
    if (failed) {
      this.stackEvent(stack, `${prefix}_FAILED`, `The following resource(s) failed to delete: [${failed}]. `);
      return;
    }
    stack.DeletionTime = now();
    this.stackEvent(stack, `${prefix}_COMPLETE`);
  }

  /** Delete resources in the given order; returns the logical ids that failed, if any. */
  private async deleteResources(stack: StackRecord, logicalIds: string[]): Promise<string | undefined> {
    const failed: string[] = [];
    for (const logicalId of logicalIds) {
      const resource = stack.resources[logicalId];
      if (!resource || resource.ResourceStatus === 'DELETE_COMPLETE') continue;
      if (!(await this.deleteResource(stack, resource))) failed.push(logicalId);
    }
    return failed.length > 0 ? failed.join(', ') : undefined;
  }

  private async deleteResource(stack: StackRecord, resource: ResourceRecord): Promise<boolean> {
    this.resourceStatus(stack, resource, 'DELETE_IN_PROGRESS');
    try {
      if (resource.PhysicalResourceId) {
        const state = this.repository.state(resource);
        const current = { physicalId: resource.PhysicalResourceId, properties: state.properties, attributes: state.attributes };
        await provisionerFor(resource.ResourceType).delete(this.context(stack, resource.LogicalResourceId, resource.ResourceType), current);
      }
      this.resourceStatus(stack, resource, 'DELETE_COMPLETE');
      return true;
    } catch (error) {
      if (error instanceof AwsError && /NotFound|NoSuch/.test(error.code)) {
        // Already gone: CloudFormation treats a missing resource as deleted.
        this.resourceStatus(stack, resource, 'DELETE_COMPLETE');
        return true;
      }
      this.resourceStatus(stack, resource, 'DELETE_FAILED', reasonFor(error));
      return false;
    }
  }

  private async createResource(stack: StackRecord, prepared: PreparedTemplate, logicalId: string): Promise<void> {
    const declaration = prepared.template.Resources[logicalId];
    const resource: ResourceRecord = { LogicalResourceId: logicalId, ResourceType: declaration.Type, ResourceStatus: 'CREATE_IN_PROGRESS', Timestamp: now() };
    if (declaration.Description) resource.Description = String(declaration.Description);
    stack.resources[logicalId] = resource;
    stack.creationOrder = [...stack.creationOrder.filter((id) => id !== logicalId), logicalId];
    this.resourceStatus(stack, resource, 'CREATE_IN_PROGRESS');
    try {
      const provisioner = provisionerFor(declaration.Type);
      const properties = this.evaluateProperties(stack, prepared, logicalId);
      checkProperties(declaration.Type, provisioner, properties);
      const resolved = (await this.resolve(declaration.Type, properties)) as Record<string, any>;
      const result = await provisioner.create(this.context(stack, logicalId, declaration.Type), resolved);
      resource.PhysicalResourceId = result.physicalId;
      resource.sealedState = this.repository.sealState({ properties, attributes: result.attributes ?? {} });
      this.resourceStatus(stack, resource, 'CREATE_COMPLETE');
    } catch (error) {
      this.resourceStatus(stack, resource, 'CREATE_FAILED', reasonFor(error));
      throw new ResourceFailure(logicalId, reasonFor(error));
    }
  }

  private evaluateProperties(stack: StackRecord, prepared: PreparedTemplate, logicalId: string): Record<string, any> {
    const properties = evaluate(prepared.template.Resources[logicalId].Properties ?? {}, stackContext(this.app, this.repository, stack, prepared));
    if (!properties || typeof properties !== 'object' || Array.isArray(properties)) throw templateError(`Properties of ${logicalId} must be an object`);
    return properties as Record<string, any>;
  }

  /** Resolve dynamic references for one service call; the result is never stored. */
  private async resolve(type: string, properties: Record<string, unknown>): Promise<unknown> {
    if (!containsDynamicReference(properties)) return properties;
    if (type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::')) {
      // "Dynamic references for secure values ... aren't currently supported in custom resources" (CloudFormation User Guide).
      throw new AwsError('ValidationError', 'SSM Secure reference and Secrets Manager reference are not supported in custom resource properties');
    }
    return resolveDynamicReferences(properties, (input) => this.app.call('secretsmanager', 'GetSecretValue', input));
  }

  context(stack: StackRecord, logicalId: string, resourceType: string): ProvisionContext {
    return {
      app: this.app,
      stackId: stack.StackId,
      stackName: stack.StackName,
      logicalId,
      resourceType,
      call: (service, operation, input) => this.app.call(service, operation, input),
      customResource: (request) => this.customResources.send(stack, logicalId, resourceType, request),
    };
  }

  /**
   * Outputs after a create or update, stored as the template computes them
   * (DescribeStacks shows their loopback URLs). Dynamic references in outputs
   * are left as written, so no secret enters the stack record.
   */
  private outputs(stack: StackRecord, prepared: PreparedTemplate): StackRecord['Outputs'] {
    const ctx = stackContext(this.app, this.repository, stack, prepared);
    const outputs: NonNullable<StackRecord['Outputs']> = [];
    for (const [key, declaration] of Object.entries((prepared.template.Outputs ?? {}) as Record<string, any>)) {
      if (declaration?.Condition !== undefined && !prepared.conditions[declaration.Condition]) continue;
      if (declaration?.Export !== undefined) throw templateError(`palisade does not support Export in output ${key}: stack exports are not implemented`);
      const value = evaluate(declaration?.Value, ctx);
      const text = outputText(value);
      outputs.push({ OutputKey: key, OutputValue: text, ...(declaration.Description ? { Description: String(evaluate(declaration.Description, ctx)) } : {}) });
    }
    return outputs;
  }

  /** Update a stack to a new template and parameters: in place where the type allows, else by replacement. */
  async update(stack: StackRecord, body: string, parameters: Record<string, string>, templateDirectory: string): Promise<void> {
    const previous = { body: stack.TemplateBody, sealedParameters: stack.sealedParameters, templateDirectory: stack.templateDirectory, resources: structuredClone(stack.resources), order: [...stack.creationOrder] };
    stack.TemplateBody = body;
    stack.sealedParameters = this.repository.sealParameters(parameters);
    stack.templateDirectory = templateDirectory;
    stack.LastUpdatedTime = now();
    this.stackEvent(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
    const replaced: ResourceRecord[] = [];
    const changed: { logicalId: string; before?: ResourceRecord }[] = [];
    try {
      const prepared = this.prepare(stack, body, parameters);
      for (const logicalId of prepared.order) await this.updateResource(stack, prepared, logicalId, replaced, changed);
      stack.Outputs = this.outputs(stack, prepared);
      const removed = previous.order.filter((id) => !prepared.active.has(id)).map((id) => previous.resources[id]);
      stack.creationOrder = [...prepared.order];
      this.stackEvent(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      for (const resource of [...replaced, ...removed].reverse()) {
        if (removed.includes(resource)) delete stack.resources[resource.LogicalResourceId];
        await this.deleteResource(stack, { ...resource });
      }
      this.stackEvent(stack, 'UPDATE_COMPLETE');
    } catch (error) {
      const reason = error instanceof ResourceFailure ? `The following resource(s) failed to update: [${error.logicalId}]. ` : reasonFor(error);
      this.stackEvent(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
      await this.rollbackUpdate(stack, previous, changed);
    }
  }

  private async updateResource(stack: StackRecord, prepared: PreparedTemplate, logicalId: string, replaced: ResourceRecord[], changed: { logicalId: string; before?: ResourceRecord }[]): Promise<void> {
    const existing = stack.resources[logicalId];
    const type = prepared.template.Resources[logicalId].Type;
    if (!existing || existing.ResourceType !== type || !existing.PhysicalResourceId) {
      if (existing?.PhysicalResourceId) replaced.push(existing);
      changed.push({ logicalId, before: existing });
      await this.createResource(stack, prepared, logicalId);
      return;
    }
    const provisioner = provisionerFor(type);
    let properties: Record<string, any>;
    try {
      properties = this.evaluateProperties(stack, prepared, logicalId);
      checkProperties(type, provisioner, properties);
    } catch (error) {
      this.resourceStatus(stack, existing, 'UPDATE_FAILED', reasonFor(error));
      throw new ResourceFailure(logicalId, reasonFor(error));
    }
    const state = this.repository.state(existing);
    if (JSON.stringify(properties) === JSON.stringify(state.properties)) return;
    const needsReplacement = !provisioner.update || (provisioner.replaceOn ?? []).some((name) => JSON.stringify(properties[name]) !== JSON.stringify(state.properties[name]));
    changed.push({ logicalId, before: { ...existing } });
    if (needsReplacement) {
      replaced.push({ ...existing });
      await this.createResource(stack, prepared, logicalId);
      return;
    }
    this.resourceStatus(stack, existing, 'UPDATE_IN_PROGRESS');
    try {
      const resolved = (await this.resolve(type, properties)) as Record<string, any>;
      const current: ProvisionedResource = { physicalId: existing.PhysicalResourceId, properties: state.properties, attributes: state.attributes };
      const result = await provisioner.update!(this.context(stack, logicalId, type), current, resolved);
      if (result.physicalId !== existing.PhysicalResourceId) replaced.push({ ...existing });
      existing.PhysicalResourceId = result.physicalId;
      existing.sealedState = this.repository.sealState({ properties, attributes: result.attributes ?? state.attributes });
      this.resourceStatus(stack, existing, 'UPDATE_COMPLETE');
    } catch (error) {
      this.resourceStatus(stack, existing, 'UPDATE_FAILED', reasonFor(error));
      throw new ResourceFailure(logicalId, reasonFor(error));
    }
  }

  /**
   * Undo an update: delete what it created, put back in-place updates with
   * the previous properties, and restore the previous template and
   * parameters.
   */
  private async rollbackUpdate(
    stack: StackRecord,
    previous: { body: string; sealedParameters: string; templateDirectory: string; resources: Record<string, ResourceRecord>; order: string[] },
    changed: { logicalId: string; before?: ResourceRecord }[],
  ): Promise<void> {
    let failed = false;
    for (const { logicalId, before } of [...changed].reverse()) {
      const current = stack.resources[logicalId];
      const createdNew = current && before?.PhysicalResourceId !== current.PhysicalResourceId;
      if (createdNew && current.PhysicalResourceId) failed = !(await this.deleteResource(stack, { ...current })) || failed;
      if (!createdNew && before && current) failed = !(await this.revertInPlace(stack, before)) || failed;
    }
    stack.TemplateBody = previous.body;
    stack.sealedParameters = previous.sealedParameters;
    stack.templateDirectory = previous.templateDirectory;
    stack.resources = previous.resources;
    stack.creationOrder = previous.order;
    const prepared = this.prepare(stack);
    stack.Outputs = this.outputs(stack, prepared);
    this.stackEvent(stack, failed ? 'UPDATE_ROLLBACK_FAILED' : 'UPDATE_ROLLBACK_COMPLETE');
  }

  private async revertInPlace(stack: StackRecord, before: ResourceRecord): Promise<boolean> {
    const provisioner = provisionerFor(before.ResourceType);
    const state = this.repository.state(before);
    try {
      const resolved = (await this.resolve(before.ResourceType, state.properties)) as Record<string, any>;
      await provisioner.update?.(this.context(stack, before.LogicalResourceId, before.ResourceType), { physicalId: before.PhysicalResourceId!, ...state }, resolved);
      this.resourceStatus(stack, { ...before }, 'UPDATE_COMPLETE');
      return true;
    } catch (error) {
      this.resourceStatus(stack, { ...before }, 'UPDATE_FAILED', reasonFor(error));
      return false;
    }
  }

  private resourceStatus(stack: StackRecord, resource: ResourceRecord, status: string, reason?: string): void {
    resource.ResourceStatus = status;
    resource.Timestamp = now();
    if (reason) resource.ResourceStatusReason = reason;
    else delete resource.ResourceStatusReason;
    this.repository.addEvent(stack, {
      LogicalResourceId: resource.LogicalResourceId,
      PhysicalResourceId: resource.PhysicalResourceId ?? '',
      ResourceType: resource.ResourceType,
      ResourceStatus: status,
      ...(reason ? { ResourceStatusReason: reason } : {}),
    });
  }

  private stackEvent(stack: StackRecord, status: string, reason?: string): void {
    stack.StackStatus = status;
    if (reason) stack.StackStatusReason = reason;
    else delete stack.StackStatusReason;
    this.repository.addEvent(stack, {
      LogicalResourceId: stack.StackName,
      PhysicalResourceId: stack.StackId,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: status,
      ...(reason ? { ResourceStatusReason: reason } : {}),
    });
  }
}

/** A ResourceStatusReason for an error: the service's code and message, as CloudFormation's handlers report it. */
function reasonFor(error: unknown): string {
  if (error instanceof ResourceFailure) return error.message;
  if (error instanceof AwsError) {
    return error.code === 'ValidationError' ? error.message : `Resource handler returned message: "${error.message}" (HandlerErrorCode: ${error.code})`;
  }
  log('error', 'cloudformation', 'resource operation failed with an internal error', { error: String((error as Error)?.stack ?? error) });
  return `Internal failure: ${(error as Error)?.message ?? String(error)}`;
}

/** Output values are strings: lists are joined with commas, as CloudFormation joins a CommaDelimitedList. */
function outputText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
