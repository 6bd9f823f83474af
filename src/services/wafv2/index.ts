import type { App } from '../../core/app.ts';
import { MetricArchive } from '../../core/metric-archive.ts';
import { stageKey } from '../apigateway/records.ts';
import { distributionsUsing } from './cloudfront-distributions.ts';
import { LoggingStore } from './logging-store.ts';
import { associationOperations } from './operations/associations.ts';
import { ipSetOperations } from './operations/ip-sets.ts';
import { loggingOperations } from './operations/logging.ts';
import { regexPatternSetOperations } from './operations/regex-pattern-sets.ts';
import { rateBasedKeyOperations } from './operations/rate-based-keys.ts';
import { ruleGroupOperations } from './operations/rule-groups.ts';
import { tagOperations } from './operations/tags.ts';
import { EntityStore } from './entity-store.ts';
import { managedRuleGroupOperations } from './operations/managed-rule-groups.ts';
import { sampledRequestOperations } from './operations/sampled-requests.ts';
import { webAclOperations } from './operations/web-acls.ts';
import { WafRuntime } from './runtime.ts';
import { createWafSeam } from './seam.ts';
import { WafLogWriter } from './waf-logs.ts';
import { WebAclStore } from './web-acl-store.ts';

const runtimes = new WeakMap<App, WafRuntime>();

/** Sampled requests and request counts of the app's WAF data plane (for publishing as CloudWatch metrics). */
export function wafRuntime(app: App): WafRuntime | undefined {
  return runtimes.get(app);
}

/** AWS WAFv2 (AWSWAF_20190729, awsJson1_1): web ACLs, associations and the rule engine behind the `waf` seam. */
export function registerWafv2(app: App): void {
  const store = new WebAclStore(app);
  const runtime = new WafRuntime(new MetricArchive(app.store, 'wafv2'));
  const logging = new LoggingStore(app);
  const entities = new EntityStore(app);
  runtimes.set(app, runtime);
  app.register({
    signingName: 'wafv2',
    protocol: 'json',
    targetPrefix: 'AWSWAF_20190729',
    jsonVersion: '1.1',
    operations: {
      ...webAclOperations(store, entities, async (arn) => (await distributionsUsing(app, arn)).length > 0),
      ...associationOperations(store, (restApiId, stageName) => app.store.get('apigateway', 'stage', stageKey(restApiId, stageName)) !== undefined),
      ...managedRuleGroupOperations(entities),
      ...sampledRequestOperations(store, runtime),
      ...rateBasedKeyOperations(store, entities),
      ...loggingOperations(store, logging),
      ...ipSetOperations(entities, store),
      ...regexPatternSetOperations(entities, store),
      ...ruleGroupOperations(entities, store),
      ...tagOperations(entities, store),
    },
  });
  app.seams.waf = createWafSeam(store, runtime, {
    writer: new WafLogWriter(app, logging),
    async cloudFrontSource(webAclArn) {
      const [distribution] = await distributionsUsing(app, webAclArn);
      return { name: 'CF', id: distribution?.Id ?? '-' };
    },
  }, entities);
}
