/** The lab's two web ACLs, as CloudFormation sends them in CreateWebACL. */
export const ORIGIN_SECRET = 'f3c1b2a4-lab-origin-secret';

export function regionalAclInput(stack: string) {
  const headerMatch = {
    ByteMatchStatement: {
      FieldToMatch: { SingleHeader: { Name: 'X-Origin-Verify' } },
      PositionalConstraint: 'EXACTLY' as const,
      SearchString: new TextEncoder().encode(ORIGIN_SECRET),
      TextTransformations: [{ Priority: 0, Type: 'NONE' as const }],
    },
  };
  return {
    Name: `${stack}-ACLR`,
    Scope: 'REGIONAL' as const,
    DefaultAction: { Block: {} },
    Rules: [
      {
        Name: `${stack}-XRule`,
        Priority: 0,
        Action: { Allow: {} },
        Statement: { OrStatement: { Statements: [headerMatch, headerMatch] } },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: `${stack}-XRule` },
      },
    ],
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: `${stack}-ACLR` },
  };
}

export function cloudFrontAclInput(stack: string) {
  return {
    Name: `${stack}-ACLG`,
    Scope: 'CLOUDFRONT' as const,
    DefaultAction: { Allow: {} },
    Rules: [
      {
        Name: 'AWS-AWSManagedRulesSQLiRuleSet',
        Priority: 0,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet' } },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'AWS-AWSManagedRulesSQLiRuleSet' },
      },
    ],
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: `${stack}-ACLG` },
  };
}
