/**
 * Web ACL shapes as the WAFv2 API spells them (members as in the
 * AWSWAF_20190729 service model). Statements are kept in their API form and
 * validated before storage, so the engine can trust their structure.
 */
export type Statement = Record<string, any>;

export interface RuleAction {
  Allow?: { CustomRequestHandling?: CustomRequestHandling };
  Block?: { CustomResponse?: CustomResponse };
  Count?: { CustomRequestHandling?: CustomRequestHandling };
  Captcha?: { CustomRequestHandling?: CustomRequestHandling };
  Challenge?: { CustomRequestHandling?: CustomRequestHandling };
}

export interface CustomRequestHandling {
  InsertHeaders: { Name: string; Value: string }[];
}

export interface CustomResponse {
  ResponseCode: number;
  CustomResponseBodyKey?: string;
  ResponseHeaders?: { Name: string; Value: string }[];
}

export interface VisibilityConfig {
  SampledRequestsEnabled: boolean;
  CloudWatchMetricsEnabled: boolean;
  MetricName: string;
}

export interface Rule {
  Name: string;
  Priority: number;
  Statement: Statement;
  Action?: RuleAction;
  OverrideAction?: { Count?: object; None?: object };
  RuleLabels?: { Name: string }[];
  VisibilityConfig: VisibilityConfig;
}

export type Scope = 'REGIONAL' | 'CLOUDFRONT';

/** Web ACL members the engine evaluates. */
export interface WebAclDefinition {
  Name: string;
  ARN: string;
  Scope: Scope;
  DefaultAction: { Allow?: RuleAction['Allow']; Block?: RuleAction['Block'] };
  Rules: Rule[];
  VisibilityConfig: VisibilityConfig;
  /** `awswaf:<account>:webacl:<name>:` */
  LabelNamespace: string;
  CustomResponseBodies?: Record<string, { ContentType: string; Content: string }>;
}
