import type { RequestContext } from '../../../core/service.ts';
import { invalidParameter, nonexistentItem, REASON } from '../errors.ts';
import { configuredGeoSource, UNKNOWN_COUNTRY } from '../engine/geo.ts';
import { SAMPLE_WINDOW_MS, type Sample, type WafRuntime } from '../runtime.ts';
import { METRIC_NAME, NON_BLANK, requireMember, requireString, type Input } from '../validate-members.ts';
import { validateScope } from '../validate-web-acl.ts';
import type { WebAclStore } from '../web-acl-store.ts';

/** Convert a timestamp member to epoch milliseconds: epoch seconds from the JSON protocol, a Date from an in-process caller. */
function toMillis(value: unknown, member: string): number {
  let millis: number;
  if (value instanceof Date) millis = value.getTime();
  else if (typeof value === 'number') millis = value * 1000;
  else millis = Date.parse(String(value));
  if (!Number.isFinite(millis)) throw invalidParameter('EXPIRE_TIMESTAMP', member, REASON.invalidFormat);
  return millis;
}

export function sampledRequestOperations(store: WebAclStore, runtime: WafRuntime) {
  return {
    GetSampledRequests(input: Input, ctx: RequestContext) {
      const webAclArn = requireString(input, 'WebAclArn', 'RESOURCE_ARN', NON_BLANK, 2048);
      const metricName = requireString(input, 'RuleMetricName', 'METRIC_NAME', METRIC_NAME, 255);
      validateScope(input, ctx);
      const window = requireMember(input, 'TimeWindow', 'WEB_ACL');
      const maxItems = requireMember(input, 'MaxItems', 'WEB_ACL');
      if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 500) throw invalidParameter('WEB_ACL', 'MaxItems', REASON.invalidFormat);
      if (!store.get(webAclArn)) throw nonexistentItem();
      const now = Date.now();
      // AWS moves a start time older than three hours to three hours ago.
      const start = Math.max(toMillis(requireMember(window, 'StartTime', 'WEB_ACL'), 'StartTime'), now - SAMPLE_WINDOW_MS);
      const end = toMillis(requireMember(window, 'EndTime', 'WEB_ACL'), 'EndTime');
      if (end < start) throw invalidParameter('WEB_ACL', 'TimeWindow', REASON.invalidFormat);
      const population = runtime.samplesFor(webAclArn, metricName, start, end);
      return {
        SampledRequests: population.slice(-maxItems).map(sampleOutput),
        PopulationSize: population.length,
        TimeWindow: { StartTime: new Date(start), EndTime: new Date(end) },
      };
    },
  };
}

function sampleOutput(sample: Sample) {
  const query = sample.request.queryString ? `?${sample.request.queryString}` : '';
  // The country comes from the same configured map GeoMatchStatement reads; an unmapped address has none.
  const country = configuredGeoSource().locate(sample.request.clientIp).country;
  return {
    Request: {
      ClientIP: sample.request.clientIp,
      ...(country !== UNKNOWN_COUNTRY ? { Country: country } : {}),
      URI: sample.request.uriPath + query,
      Method: sample.request.method,
      HTTPVersion: 'HTTP/1.1',
      Headers: sample.request.headers.map(([Name, Value]) => ({ Name, Value })),
    },
    Weight: 1,
    Timestamp: new Date(sample.timestamp),
    Action: sample.action,
    ...(sample.ruleNameWithinRuleGroup ? { RuleNameWithinRuleGroup: sample.ruleNameWithinRuleGroup } : {}),
    ...(sample.responseCodeSent ? { ResponseCodeSent: sample.responseCodeSent } : {}),
    Labels: sample.labels.map((Name) => ({ Name })),
  };
}
