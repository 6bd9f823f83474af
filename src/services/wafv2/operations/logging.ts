import { parseArn } from '../../../core/arn.ts';
import type { RequestContext } from '../../../core/service.ts';
import { invalidParameter, nonexistentItem, REASON } from '../errors.ts';
import type { LoggingConfiguration, LoggingStore } from '../logging-store.ts';
import { NON_BLANK, requireEnum, requireMember, requireString, type Input } from '../validate-members.ts';
import { validateScope } from '../validate-web-acl.ts';
import type { WebAclStore } from '../web-acl-store.ts';

/** Every log destination's name must start with this prefix ("AWS WAF logging destinations"). */
const LOG_NAME_PREFIX = 'aws-waf-logs-';
/** Fields AWS lets you redact from logs (LoggingConfiguration, RedactedFields). */
const REDACTABLE = ['SingleHeader', 'UriPath', 'QueryString', 'Method'];
const FILTER_ACTIONS = ['ALLOW', 'BLOCK', 'COUNT', 'CAPTCHA', 'CHALLENGE', 'EXCLUDED_AS_COUNT'];

/** The log group name of a CloudWatch Logs destination ARN, `arn:aws:logs:<region>:<account>:log-group:<name>`. */
export function logGroupName(destination: string): string | undefined {
  const arn = parseArn(destination);
  if (arn?.service !== 'logs' || !arn.resource.startsWith('log-group:')) return undefined;
  return arn.resource.slice('log-group:'.length).replace(/:\*$/, '');
}

function validateDestination(destinations: unknown): string[] {
  // AWS accepts exactly one destination per web ACL.
  if (!Array.isArray(destinations) || destinations.length !== 1 || typeof destinations[0] !== 'string') {
    throw invalidParameter('LOG_DESTINATION', 'LogDestinationConfigs', REASON.invalidFormat);
  }
  const destination = destinations[0];
  const service = parseArn(destination)?.service;
  if (service === 's3' || service === 'firehose') {
    // TODO: S3 buckets and Firehose delivery streams are valid AWS destinations; palisade writes to CloudWatch Logs only.
    throw invalidParameter('LOG_DESTINATION', destination, 'palisade delivers WAF logs to CloudWatch Logs log groups only');
  }
  const name = logGroupName(destination);
  if (!name || !name.startsWith(LOG_NAME_PREFIX)) throw invalidParameter('LOG_DESTINATION', destination, REASON.invalidFormat);
  return [destination];
}

function validateRedactedFields(fields: unknown): Input[] | undefined {
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields)) throw invalidParameter('FIELD_TO_MATCH', 'RedactedFields', REASON.invalidFormat);
  for (const field of fields as Input[]) {
    const types = Object.keys(field ?? {});
    if (types.length !== 1 || !REDACTABLE.includes(types[0])) throw invalidParameter('FIELD_TO_MATCH', types.join(',') || 'RedactedFields', REASON.invalidOption);
    if (types[0] === 'SingleHeader') requireString(field.SingleHeader, 'Name', 'SINGLE_HEADER', NON_BLANK, 64);
  }
  return fields as Input[];
}

function validateFilter(filter: Input | undefined): void {
  if (filter === undefined) return;
  requireEnum(filter, 'DefaultBehavior', 'LOGGING_FILTER', ['KEEP', 'DROP']);
  const filters = requireMember(filter, 'Filters', 'LOGGING_FILTER');
  if (!Array.isArray(filters) || filters.length < 1) throw invalidParameter('LOGGING_FILTER', 'Filters', REASON.invalidFormat);
  for (const one of filters as Input[]) {
    requireEnum(one, 'Behavior', 'LOGGING_FILTER', ['KEEP', 'DROP']);
    requireEnum(one, 'Requirement', 'LOGGING_FILTER', ['MEETS_ALL', 'MEETS_ANY']);
    const conditions = requireMember(one, 'Conditions', 'FILTER_CONDITION');
    if (!Array.isArray(conditions) || conditions.length < 1) throw invalidParameter('FILTER_CONDITION', 'Conditions', REASON.invalidFormat);
    for (const condition of conditions as Input[]) {
      if (condition?.ActionCondition) requireEnum(condition.ActionCondition, 'Action', 'FILTER_CONDITION', FILTER_ACTIONS);
      else if (condition?.LabelNameCondition) requireString(condition.LabelNameCondition, 'LabelName', 'FILTER_CONDITION', NON_BLANK, 1024);
      else throw invalidParameter('FILTER_CONDITION', 'Conditions', REASON.exactlyOne);
    }
  }
}

export function loggingOperations(store: WebAclStore, logging: LoggingStore) {
  function requireWebAcl(input: Input, member: string): string {
    const arn = requireString(input, member, 'RESOURCE_ARN', NON_BLANK, 2048);
    if (!store.get(arn)) throw nonexistentItem();
    return arn;
  }

  function checkLogType(input: Input): void {
    if (input.LogType !== undefined && input.LogType !== 'WAF_LOGS') throw invalidParameter('LOG_DESTINATION', String(input.LogType), REASON.invalidOption);
    if (input.LogScope !== undefined && input.LogScope !== 'CUSTOMER') {
      throw invalidParameter('LOG_DESTINATION', String(input.LogScope), 'palisade keeps CUSTOMER logging configurations only');
    }
  }

  return {
    PutLoggingConfiguration(input: Input, _ctx: RequestContext) {
      const config = requireMember(input, 'LoggingConfiguration', 'LOG_DESTINATION');
      const resourceArn = requireWebAcl(config, 'ResourceArn');
      checkLogType(config);
      validateFilter(config.LoggingFilter);
      const record: LoggingConfiguration = {
        ResourceArn: resourceArn,
        LogDestinationConfigs: validateDestination(config.LogDestinationConfigs),
        ...(config.RedactedFields !== undefined ? { RedactedFields: validateRedactedFields(config.RedactedFields) } : {}),
        ManagedByFirewallManager: false,
        ...(config.LoggingFilter !== undefined ? { LoggingFilter: config.LoggingFilter } : {}),
        LogType: 'WAF_LOGS',
        LogScope: 'CUSTOMER',
      };
      logging.put(record);
      return { LoggingConfiguration: record };
    },

    GetLoggingConfiguration(input: Input, _ctx: RequestContext) {
      const resourceArn = requireString(input, 'ResourceArn', 'RESOURCE_ARN', NON_BLANK, 2048);
      checkLogType(input);
      const record = logging.get(resourceArn);
      if (!record) throw nonexistentItem();
      return { LoggingConfiguration: record };
    },

    DeleteLoggingConfiguration(input: Input, _ctx: RequestContext) {
      const resourceArn = requireString(input, 'ResourceArn', 'RESOURCE_ARN', NON_BLANK, 2048);
      checkLogType(input);
      if (!logging.get(resourceArn)) throw nonexistentItem();
      logging.delete(resourceArn);
      return {};
    },

    ListLoggingConfigurations(input: Input, ctx: RequestContext) {
      const scope = validateScope(input, ctx);
      const limit = input.Limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidParameter('WEB_ACL', 'Limit', REASON.invalidFormat);
      const kind = scope === 'CLOUDFRONT' ? ':global/webacl/' : ':regional/webacl/';
      const all = logging.list().filter((record) => record.ResourceArn.includes(kind));
      const start = input.NextMarker === undefined ? 0 : all.findIndex((record) => record.ResourceArn === input.NextMarker);
      if (start < 0) throw invalidParameter('WEB_ACL', 'NextMarker', REASON.invalidFormat);
      const next = all[start + limit];
      return { LoggingConfigurations: all.slice(start, start + limit), ...(next ? { NextMarker: next.ResourceArn } : {}) };
    },
  };
}
