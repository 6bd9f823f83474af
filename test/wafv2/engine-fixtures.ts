import type { WebRequest } from '../../src/core/seams.ts';
import type { Rule, Statement, WebAclDefinition } from '../../src/services/wafv2/engine/types.ts';

/** Requests, rules and web ACLs for the engine tests. */
export function request(overrides: Partial<WebRequest> = {}): WebRequest {
  return { method: 'GET', uriPath: '/Dev/items', queryString: '', headers: [['Host', 'example.com'], ['User-Agent', 'test/1.0']], body: Buffer.alloc(0), clientIp: '127.0.0.1', ...overrides };
}

export const NONE = [{ Priority: 0, Type: 'NONE' }];

export function byteMatch(search: string, constraint: string, fieldToMatch: Statement, transformations = NONE): Statement {
  return { ByteMatchStatement: { SearchString: Buffer.from(search).toString('base64'), FieldToMatch: fieldToMatch, PositionalConstraint: constraint, TextTransformations: transformations } };
}

export const ACL_ARN = 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/acl/00000000-0000-4000-8000-000000000000';

export function acl(rules: Rule[], defaultAction: WebAclDefinition['DefaultAction'] = { Allow: {} }): WebAclDefinition {
  return {
    Name: 'acl',
    ARN: ACL_ARN,
    Scope: 'REGIONAL',
    DefaultAction: defaultAction,
    Rules: rules,
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'acl' },
    LabelNamespace: 'awswaf:111122223333:webacl:acl:',
    CustomResponseBodies: {
      json: { ContentType: 'APPLICATION_JSON', Content: '{"denied":true}' },
      text: { ContentType: 'TEXT_PLAIN', Content: 'denied' },
      html: { ContentType: 'TEXT_HTML', Content: '<p>denied</p>' },
    },
  };
}

export function rule(name: string, priority: number, statement: Statement, action: Rule['Action'], labels: string[] = []): Rule {
  return {
    Name: name,
    Priority: priority,
    Statement: statement,
    Action: action,
    RuleLabels: labels.map((Name) => ({ Name })),
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name },
  };
}

export function managedGroupRule(name: string, extra: Statement = {}, overrideAction: Rule['OverrideAction'] = { None: {} }): Rule {
  return {
    Name: `AWS-${name}`,
    Priority: 0,
    Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name, ...extra } },
    OverrideAction: overrideAction,
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name },
  };
}
