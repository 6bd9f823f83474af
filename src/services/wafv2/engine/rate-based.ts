import { inspectedAddress } from './client-address.ts';
import type { InspectedRequest } from './request.ts';
import { applyTransformations } from './transformations.ts';
import type { Statement } from './types.ts';

/**
 * Request counts per aggregation instance in one-second buckets, so a key
 * costs at most one bucket per second of its evaluation window (600 at most).
 */
export class RateTracker {
  private readonly buckets = new Map<string, { second: number; count: number }[]>();
  /** The rate limit settings each rule's counts were made under, keyed by the rule's key prefix. */
  private readonly settings = new Map<string, string>();

  /**
   * Reset a rule's counts when its rate limit settings changed since its
   * last request: "If you change any of the rate limit settings in a rule
   * that's in use, the change resets the rule's rate limiting counts" (AWS
   * WAF Developer Guide, "Rate-based rule caveats").
   */
  useSettings(prefix: string, settings: string): void {
    const previous = this.settings.get(prefix);
    if (previous === settings) return;
    if (previous !== undefined) this.reset(prefix);
    this.settings.set(prefix, settings);
  }

  /** Count one request for `key` at `nowMs` and return the key's count within the last `windowSec` seconds. */
  record(key: string, nowMs: number, windowSec: number): number {
    const second = Math.floor(nowMs / 1000);
    const kept = this.live(key, second, windowSec);
    const last = kept[kept.length - 1];
    if (last && last.second === second) last.count++;
    else kept.push({ second, count: 1 });
    this.buckets.set(key, kept);
    return kept.reduce((sum, bucket) => sum + bucket.count, 0);
  }

  /**
   * List the aggregation instances of one rule instance (`prefix`) whose
   * count in the last `windowSec` seconds is over `limit`, without counting
   * a request. Instances of rules nested under the prefix are left out.
   */
  keysOver(prefix: string, limit: number, windowSec: number, nowMs: number): string[] {
    const second = Math.floor(nowMs / 1000);
    const keys: string[] = [];
    for (const key of this.buckets.keys()) {
      if (!key.startsWith(prefix) || key.includes('\n', prefix.length)) continue;
      const count = this.live(key, second, windowSec).reduce((sum, bucket) => sum + bucket.count, 0);
      if (count > limit) keys.push(key.slice(prefix.length));
    }
    return keys.sort();
  }

  /** Forget every count whose key starts with `prefix`. */
  reset(prefix: string): void {
    for (const key of this.buckets.keys()) if (key.startsWith(prefix)) this.buckets.delete(key);
  }

  private live(key: string, second: number, windowSec: number) {
    const buckets = this.buckets.get(key) ?? [];
    const oldest = second - windowSec + 1;
    let first = 0;
    while (first < buckets.length && buckets[first].second < oldest) first++;
    return first === 0 ? buckets : buckets.slice(first);
  }
}

const rateLimitSettings = new WeakMap<Statement, string>();

/**
 * Serialize the rate limit settings of a RateBasedStatement, once per
 * statement object. The statement contains every one of them: evaluation
 * window, limit, aggregation keys, forwarded IP configuration and the
 * scope-down statement.
 */
export function rateLimitSettingsOf(statement: Statement): string {
  let settings = rateLimitSettings.get(statement);
  if (settings === undefined) {
    settings = JSON.stringify(statement);
    rateLimitSettings.set(statement, settings);
  }
  return settings;
}

/** AWS's default EvaluationWindowSec (API_RateBasedStatement). */
export const DEFAULT_EVALUATION_WINDOW_SEC = 300;

/**
 * The aggregation instance of a request for a RateBasedStatement, `null`
 * when the request is not counted (a custom key's component is missing, or
 * the forwarded IP header is absent), or `fallback` when the forwarded
 * header holds no valid IP address and FallbackBehavior decides.
 */
export function aggregationKey(statement: Statement, request: InspectedRequest, labels: string[]): string | null | 'fallback' {
  switch (statement.AggregateKeyType) {
    case 'CONSTANT':
      return '';
    case 'IP':
      return request.source.clientIp;
    case 'FORWARDED_IP':
      return forwardedKey(statement, request);
    case 'CUSTOM_KEYS':
      return customKeys(statement, request, labels);
    default:
      throw new Error(`AggregateKeyType ${statement.AggregateKeyType} reached the engine without validation`);
  }
}

function forwardedKey(statement: Statement, request: InspectedRequest): string | null | 'fallback' {
  const address = inspectedAddress(request, statement.ForwardedIPConfig);
  if (address === 'missing') return null;
  return address === 'invalid' ? 'fallback' : address;
}

/**
 * CUSTOM_KEYS: each key's value (after its text transformations) joins the
 * instance; a request without one of the components is not counted ("If a
 * web request doesn't contain a component ... AWS WAF doesn't rate limit it",
 * Rate-based rule aggregation options).
 */
function customKeys(statement: Statement, request: InspectedRequest, labels: string[]): string | null | 'fallback' {
  const parts: string[] = [];
  for (const key of statement.CustomKeys as Statement[]) {
    const value = customKeyValue(key, request, labels, statement);
    if (value === null || value === 'fallback') return value;
    parts.push(value);
  }
  return parts.join('\0');
}

function customKeyValue(key: Statement, request: InspectedRequest, labels: string[], statement: Statement): string | null | 'fallback' {
  const [type] = Object.keys(key);
  const spec = key[type];
  const transform = (value: string | undefined) => (value === undefined ? null : applyTransformations(value, spec.TextTransformations));
  switch (type) {
    case 'Header': {
      const name = String(spec.Name).toLowerCase();
      return transform(request.headers.find(([header]) => header === name)?.[1]);
    }
    case 'Cookie':
      return transform(request.cookies.find(([cookie]) => cookie === spec.Name)?.[1]);
    case 'QueryArgument': {
      const name = String(spec.Name).toLowerCase();
      return transform(request.queryArguments.find(([argument]) => argument.toLowerCase() === name)?.[1]);
    }
    case 'QueryString':
      return transform(request.queryString || undefined);
    case 'UriPath':
      return transform(request.uriPath);
    case 'HTTPMethod':
      return request.method;
    case 'IP':
      return request.source.clientIp;
    case 'ForwardedIP':
      return forwardedKey(statement, request);
    case 'LabelNamespace': {
      const namespace = String(spec.Namespace);
      const names = labels.filter((label) => label.startsWith(namespace));
      return names.length === 0 ? null : names.join(' ');
    }
    default:
      throw new Error(`rate-based custom key ${type} reached the engine without validation`);
  }
}
