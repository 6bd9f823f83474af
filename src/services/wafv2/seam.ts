import type { WafSeam, WafVerdict, WebRequest } from '../../core/seams.ts';
import { recordHop, type RequestTraceRef } from '../../core/trace-ref.ts';
import { evaluateRules } from './engine/evaluate.ts';
import { inspectRequest } from './engine/request.ts';
import type { WafRuntime } from './runtime.ts';
import type { WebAclStore } from './web-acl-store.ts';

/** Create the WAF seam that other data planes call for each request: API Gateway stages by association, CloudFront by web ACL ARN. */
export function createWafSeam(store: WebAclStore, runtime: WafRuntime): WafSeam {
  function evaluateWebAcl(webAclArn: string, request: WebRequest, trace: RequestTraceRef): WafVerdict {
    const record = store.get(webAclArn);
    // Fail closed: a resource pointing at a web ACL that no longer exists is an error, not an allow.
    if (!record) throw new Error(`web ACL ${webAclArn} does not exist`);
    const acl = store.definition(record);
    const evaluation = evaluateRules(acl, inspectRequest(request));
    runtime.record(acl, request, evaluation);
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
      return association ? evaluateWebAcl(association.WebACLArn, request, trace) : undefined;
    },
  };
}
