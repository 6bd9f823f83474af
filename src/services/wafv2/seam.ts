import type { WafSeam, WafVerdict, WebRequest } from '../../core/seams.ts';
import { recordHop, type RequestTraceRef } from '../../core/trace-ref.ts';
import { evaluateRules } from './engine/evaluate.ts';
import { inspectRequest } from './engine/request.ts';
import type { EntityStore } from './entity-store.ts';
import { resolveReferences } from './references.ts';
import type { WafRuntime } from './runtime.ts';
import type { WebAclStore } from './web-acl-store.ts';
import type { HttpSource, WafLogWriter } from './waf-logs.ts';

/** Create the WAF seam that other data planes call for each request: API Gateway stages by association, CloudFront by web ACL ARN. */
export function createWafSeam(
  store: WebAclStore,
  runtime: WafRuntime,
  logs?: { writer: WafLogWriter; cloudFrontSource(webAclArn: string): Promise<HttpSource> },
  entities?: EntityStore,
): WafSeam {
  function evaluateWebAcl(webAclArn: string, request: WebRequest, trace: RequestTraceRef, source?: HttpSource): WafVerdict {
    const record = store.get(webAclArn);
    // Fail closed: a resource pointing at a web ACL that no longer exists is an error, not an allow.
    if (!record) throw new Error(`web ACL ${webAclArn} does not exist`);
    const definition = store.definition(record);
    // IP sets, regex pattern sets and rule groups are read per request, so their updates apply at once.
    const acl = entities ? resolveReferences(definition, entities) : definition;
    const evaluation = evaluateRules(acl, inspectRequest(request));
    runtime.record(acl, request, evaluation);
    if (logs?.writer.configured(acl.ARN)) {
      // CloudFront names the distribution only through its WebACLId, so its id is looked up before the record is written.
      const resolved = source ? Promise.resolve(source) : logs.cloudFrontSource(acl.ARN);
      void resolved.then((httpSource) => logs.writer.write(acl, request, evaluation, httpSource, trace.traceId));
    }
    recordHop(trace, 'wafv2', evaluation.action, {
      webAcl: acl.Name,
      webAclArn: acl.ARN,
      rule: evaluation.terminatingRuleId,
      ...(evaluation.ruleNameWithinRuleGroup ? { ruleWithinRuleGroup: evaluation.ruleNameWithinRuleGroup } : {}),
      labels: evaluation.labels,
    });
    return {
      action: evaluation.action,
      webAclArn: acl.ARN,
      terminatingRuleId: evaluation.terminatingRuleId,
      labels: evaluation.labels,
      customResponse: evaluation.customResponse,
      insertHeaders: evaluation.insertHeaders,
    };
  }

  return {
    evaluateWebAcl,
    evaluateForResource(resourceArn, request, trace) {
      const association = store.association(resourceArn);
      return association ? evaluateWebAcl(association.WebACLArn, request, trace, regionalSource(resourceArn, association.WebACLArn)) : undefined;
    },
  };
}

/** API Gateway stages log as `APIGW` with `<account>:<rest API id>:<stage>`; other resources by their ARN's resource. */
function regionalSource(resourceArn: string, webAclArn: string): HttpSource {
  const stage = /^arn:aws[\w-]*:apigateway:[^:]*::\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(resourceArn);
  if (stage) return { name: 'APIGW', id: `${webAclArn.split(':')[4]}:${stage[1]}:${stage[2]}` };
  if (resourceArn.includes(':elasticloadbalancing:')) return { name: 'ALB', id: resourceArn.slice(resourceArn.indexOf('loadbalancer/') + 'loadbalancer/'.length) };
  if (resourceArn.includes(':appsync:')) return { name: 'APPSYNC', id: resourceArn.slice(resourceArn.lastIndexOf('/') + 1) };
  return { name: '-', id: resourceArn };
}
