import type { App } from '../../core/app.ts';
import { associationOperations } from './operations/associations.ts';
import { managedRuleGroupOperations } from './operations/managed-rule-groups.ts';
import { sampledRequestOperations } from './operations/sampled-requests.ts';
import { webAclOperations } from './operations/web-acls.ts';
import { WafRuntime } from './runtime.ts';
import { createWafSeam } from './seam.ts';
import { WebAclStore } from './web-acl-store.ts';

const runtimes = new WeakMap<App, WafRuntime>();

/** Sampled requests and request counts of the app's WAF data plane (for publishing as CloudWatch metrics). */
export function wafRuntime(app: App): WafRuntime | undefined {
  return runtimes.get(app);
}

/** AWS WAFv2 (AWSWAF_20190729, awsJson1_1): web ACLs, associations and the rule engine behind the `waf` seam. */
export function registerWafv2(app: App): void {
  const store = new WebAclStore(app);
  const runtime = new WafRuntime();
  runtimes.set(app, runtime);
  app.register({
    signingName: 'wafv2',
    protocol: 'json',
    targetPrefix: 'AWSWAF_20190729',
    jsonVersion: '1.1',
    operations: {
      ...webAclOperations(store),
      ...associationOperations(store),
      ...managedRuleGroupOperations(),
      ...sampledRequestOperations(store, runtime),
    },
  });
  app.seams.waf = createWafSeam(store, runtime);
}
