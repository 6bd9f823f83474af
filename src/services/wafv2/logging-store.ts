import type { App } from '../../core/app.ts';

/** A web ACL's LoggingConfiguration as PutLoggingConfiguration stored it. */
export interface LoggingConfiguration {
  ResourceArn: string;
  LogDestinationConfigs: string[];
  RedactedFields?: Record<string, any>[];
  ManagedByFirewallManager: boolean;
  LoggingFilter?: LoggingFilter;
  LogType: string;
  LogScope: string;
}

export interface LoggingFilter {
  Filters: { Behavior: 'KEEP' | 'DROP'; Requirement: 'MEETS_ALL' | 'MEETS_ANY'; Conditions: { ActionCondition?: { Action: string }; LabelNameCondition?: { LabelName: string } }[] }[];
  DefaultBehavior: 'KEEP' | 'DROP';
}

const SERVICE = 'wafv2';

export class LoggingStore {
  constructor(private readonly app: App) {}

  get(resourceArn: string): LoggingConfiguration | undefined {
    return this.app.store.get<LoggingConfiguration>(SERVICE, 'logging', resourceArn);
  }

  put(configuration: LoggingConfiguration): void {
    this.app.store.put(SERVICE, 'logging', configuration.ResourceArn, configuration);
  }

  delete(resourceArn: string): void {
    this.app.store.delete(SERVICE, 'logging', resourceArn);
  }

  list(): LoggingConfiguration[] {
    return this.app.store.list<LoggingConfiguration>(SERVICE, 'logging');
  }
}
