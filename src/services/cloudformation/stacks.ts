import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { uuid } from '../../core/ids.ts';

const SERVICE = 'cloudformation';

/** One resource of a stack, as DescribeStackResources reports it plus palisade's sealed state. */
export interface ResourceRecord {
  LogicalResourceId: string;
  ResourceType: string;
  PhysicalResourceId?: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  Timestamp: string;
  Description?: string;
  /**
   * Sealed JSON of `{ properties, attributes }`: the evaluated properties
   * (dynamic references still unresolved) and the Fn::GetAtt values. Sealed
   * because attributes can be secret (a user pool client's ClientSecret).
   */
  sealedState?: string;
}

export interface ResourceState {
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

export interface StackOutput {
  OutputKey: string;
  OutputValue: string;
  Description?: string;
  ExportName?: string;
}

export interface StackRecord {
  StackId: string;
  StackName: string;
  Description?: string;
  StackStatus: string;
  StackStatusReason?: string;
  CreationTime: string;
  LastUpdatedTime?: string;
  DeletionTime?: string;
  DisableRollback: boolean;
  /** CreateStack's OnFailure: ROLLBACK, DELETE or DO_NOTHING. */
  OnFailure: string;
  Capabilities: string[];
  Tags: { Key: string; Value: string }[];
  /** The template text as submitted, dynamic references included. */
  TemplateBody: string;
  /** Directory that relative SAM CodeUri paths are resolved from. */
  templateDirectory: string;
  /** Sealed JSON of the parameter values (NoEcho values are secrets). */
  sealedParameters: string;
  Outputs?: StackOutput[];
  resources: Record<string, ResourceRecord>;
  /** Logical ids in creation order, so deletion can run in reverse. */
  creationOrder: string[];
  eventCount: number;
}

export interface StackEvent {
  StackId: string;
  EventId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
}

/** The stacks, resources and events of CloudFormation, kept in the app's durable store. */
export class StackRepository {
  constructor(private readonly app: App) {}

  newStackId(stackName: string): string {
    return `arn:aws:cloudformation:${this.app.region}:${this.app.accountId}:stack/${stackName}/${uuid()}`;
  }

  save(stack: StackRecord): void {
    this.app.store.put(SERVICE, 'stack', stack.StackId, stack);
  }

  all(): StackRecord[] {
    return this.app.store.list<StackRecord>(SERVICE, 'stack');
  }

  /** A live stack by name, or any stack (deleted ones included) by stack id, as DescribeStacks resolves StackName. */
  find(nameOrId: string): StackRecord | undefined {
    if (nameOrId.startsWith('arn:')) return this.app.store.get<StackRecord>(SERVICE, 'stack', nameOrId);
    return this.all().find((stack) => stack.StackName === nameOrId && stack.StackStatus !== 'DELETE_COMPLETE');
  }

  /** The stack or CloudFormation's "does not exist" ValidationError. */
  require(nameOrId: string | undefined): StackRecord {
    const stack = nameOrId ? this.find(nameOrId) : undefined;
    if (!stack) throw new AwsError('ValidationError', `Stack with id ${nameOrId} does not exist`);
    return stack;
  }

  parameters(stack: StackRecord): Record<string, string> {
    return JSON.parse(this.app.store.openString(stack.sealedParameters)) as Record<string, string>;
  }

  sealParameters(values: Record<string, string>): string {
    return this.app.store.seal(JSON.stringify(values));
  }

  state(resource: ResourceRecord): ResourceState {
    if (!resource.sealedState) return { properties: {}, attributes: {} };
    return JSON.parse(this.app.store.openString(resource.sealedState)) as ResourceState;
  }

  sealState(state: ResourceState): string {
    return this.app.store.seal(JSON.stringify(state));
  }

  /** Record an event and persist the stack with it. */
  addEvent(stack: StackRecord, event: Omit<StackEvent, 'StackId' | 'StackName' | 'EventId' | 'Timestamp'>): void {
    stack.eventCount += 1;
    const record: StackEvent = {
      StackId: stack.StackId,
      EventId: uuid(),
      StackName: stack.StackName,
      Timestamp: new Date().toISOString(),
      ...event,
    };
    this.app.store.put(SERVICE, 'event', `${stack.StackId}#${String(stack.eventCount).padStart(8, '0')}`, record);
    this.save(stack);
  }

  /** Events of a stack, newest first as DescribeStackEvents returns them. */
  events(stackId: string): StackEvent[] {
    return this.app.store.list<StackEvent>(SERVICE, 'event').filter((event) => event.StackId === stackId).reverse();
  }
}
