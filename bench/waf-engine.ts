/**
 * Engine timing: microseconds per request (request inspection plus web ACL evaluation,
 * in process) for the lab's two web ACLs and for an ACL with CommonRuleSet + SQLiRuleSet
 * + KnownBadInputs + a rate-based rule, on a fixed request mix, against baselines measured
 * in the same run (an empty ACL and an ACL with one ByteMatch rule).
 *
 *   node --import tsx bench/waf-engine.ts
 *
 * The machine is shared and noisy, so ratios to the one-ByteMatch baseline are printed
 * next to the absolute figures.
 */
import type { WebRequest } from '../src/core/seams.ts';
import { evaluateRules } from '../src/services/wafv2/engine/evaluate.ts';
import { RateTracker } from '../src/services/wafv2/engine/rate-based.ts';
import { inspectRequest } from '../src/services/wafv2/engine/request.ts';
import type { WebAclDefinition } from '../src/services/wafv2/engine/types.ts';
import { findManagedRuleGroup } from '../src/services/wafv2/managed/index.ts';
import { cloudFrontAclInput, ORIGIN_SECRET, regionalAclInput } from '../test/wafv2/lab.ts';

/** Bounds on each timed loop. */
const ITERATIONS = Number(process.env.BENCH_ENGINE_ITERATIONS ?? 20_000);
const MAX_SECONDS_PER_ACL = 10;
const WARMUP = 2_000;

const TARGETS_MEDIAN_US: Record<string, number> = { 'lab regional ACL': 10, 'lab CloudFront ACL': 10, 'four-group ACL': 50 };

function webRequest(method: string, path: string, query: string, headers: [string, string][], body = ''): WebRequest {
  return { method, uriPath: path, queryString: query, headers: [['Host', 'api.example.com'], ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64)'], ...headers], body: Buffer.from(body), clientIp: '127.0.0.1' };
}

/** The fixed request mix: mostly ordinary API traffic, with a few attacks each group should see. */
const REQUEST_MIX: WebRequest[] = [
  webRequest('GET', '/prod/items', 'id=42&sort=name', [['X-Origin-Verify', ORIGIN_SECRET]]),
  webRequest('GET', '/prod/items/search', 'q=O%27Brien%20or%20Smith&page=2', [['X-Origin-Verify', ORIGIN_SECRET], ['Cookie', 'session=abc123; theme=dark']]),
  webRequest('POST', '/prod/items', '', [['Content-Type', 'application/json'], ['X-Origin-Verify', ORIGIN_SECRET]], JSON.stringify({ name: 'widget', price: 9.5, tags: ['a', 'b'], note: "it's fine" })),
  webRequest('GET', '/prod/items', 'id=1%20or%201%3D1--', []),
  webRequest('POST', '/prod/comments', '', [['Content-Type', 'application/x-www-form-urlencoded']], 'text=%3Cscript%3Ealert(1)%3C%2Fscript%3E'),
  webRequest('GET', '/prod/items', '', [['X-Api-Version', '${jndi:ldap://127.0.0.1/a}']]),
  webRequest('GET', '/prod/health', '', [['Accept', 'application/json']]),
  webRequest('POST', '/prod/upload', '', [['Content-Type', 'text/plain']], 'x'.repeat(12_000)),
];

/** SDK-style input (SearchString as bytes) to the stored form the engine reads (SearchString as base64). */
function stored(input: object, name: string): WebAclDefinition {
  const convert = (value: unknown): unknown => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    if (Array.isArray(value)) return value.map(convert);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, convert(child)]));
    return value;
  };
  return { ...(convert(input) as object), Name: name, ARN: `arn:aws:wafv2:us-east-1:111122223333:regional/webacl/${name}/bench`, LabelNamespace: `awswaf:111122223333:webacl:${name}:` } as WebAclDefinition;
}

const VISIBILITY = { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'bench' };

function acl(name: string, rules: object[]): WebAclDefinition {
  return stored({ Scope: 'REGIONAL', DefaultAction: { Allow: {} }, Rules: rules, VisibilityConfig: VISIBILITY }, name);
}

function managedRule(name: string, priority: number) {
  return { Name: name, Priority: priority, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } }, VisibilityConfig: { ...VISIBILITY, MetricName: name } };
}

/** The four-group ACL from what exists; returns the parts that are missing from this checkout. */
function fourGroupAcl(): { definition: WebAclDefinition; missing: string[] } {
  const groups = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'];
  const missing = groups.filter((name) => !findManagedRuleGroup('AWS', name));
  const rules: object[] = groups.filter((name) => !missing.includes(name)).map((name, i) => managedRule(name, i + 1));
  rules.push({ Name: 'rate-per-ip', Priority: 10, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 100_000_000, AggregateKeyType: 'IP' } }, VisibilityConfig: { ...VISIBILITY, MetricName: 'rate' } });
  return { definition: acl('four-group', rules), missing };
}

interface Timing {
  name: string;
  medianUs: number;
  p99Us: number;
  requests: number;
  error?: string;
}

function time(name: string, definition: WebAclDefinition): Timing {
  const rateTracker = new RateTracker();
  const run = (request: WebRequest) => evaluateRules(definition, inspectRequest(request), { rateTracker });
  try {
    for (let i = 0; i < WARMUP; i++) run(REQUEST_MIX[i % REQUEST_MIX.length]);
  } catch (error) {
    return { name, medianUs: NaN, p99Us: NaN, requests: 0, error: (error as Error).message };
  }
  const samples: number[] = [];
  const deadline = Date.now() + MAX_SECONDS_PER_ACL * 1000;
  for (let i = 0; i < ITERATIONS && Date.now() < deadline; i++) {
    const request = REQUEST_MIX[i % REQUEST_MIX.length];
    const start = process.hrtime.bigint();
    run(request);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { name, medianUs: samples[Math.floor(samples.length / 2)], p99Us: samples[Math.floor(samples.length * 0.99)], requests: samples.length };
}

export function runEngineBenchmark(): boolean {
  const byteMatch = {
    Name: 'one-byte-match', Priority: 0, Action: { Block: {} }, VisibilityConfig: VISIBILITY,
    Statement: { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: new TextEncoder().encode('/admin'), TextTransformations: [{ Priority: 0, Type: 'NONE' }] } },
  };
  const four = fourGroupAcl();
  if (four.missing.length) console.log(`four-group ACL built without: ${four.missing.join(', ')} (not in this checkout)`);
  const timings = [
    time('empty ACL (baseline)', acl('empty', [])),
    time('one ByteMatch (baseline)', acl('byte-match', [byteMatch])),
    time('lab regional ACL', stored(regionalAclInput('bench'), 'bench-ACLR')),
    time('lab CloudFront ACL', stored(cloudFrontAclInput('bench'), 'bench-ACLG')),
    time('four-group ACL', four.definition),
  ];
  const baseline = timings[1].medianUs;
  console.log(`\nEngine time per request (inspectRequest + evaluateRules), ${REQUEST_MIX.length}-request mix, up to ${ITERATIONS} requests per ACL, Node ${process.version}\n`);
  console.log('| web ACL                    | requests | median µs | p99 µs  | median / one ByteMatch |');
  console.log('|----------------------------|----------|-----------|---------|------------------------|');
  for (const t of timings) {
    const row = t.error ? `| ${t.name.padEnd(26)} | error: ${t.error}` : `| ${t.name.padEnd(26)} | ${String(t.requests).padStart(8)} | ${t.medianUs.toFixed(2).padStart(9)} | ${t.p99Us.toFixed(2).padStart(7)} | ${(t.medianUs / baseline).toFixed(1).padStart(21)}x |`;
    console.log(row);
  }
  console.log('');
  let ok = true;
  for (const t of timings) {
    const target = TARGETS_MEDIAN_US[t.name];
    if (target === undefined) continue;
    const pass = !t.error && t.medianUs <= target;
    ok &&= pass;
    console.log(`TARGET ${t.name} median <= ${target} µs: ${t.error ? 'not measured' : `${t.medianUs.toFixed(2)} µs`}: ${pass ? 'PASS' : 'FAIL'}`);
  }
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = runEngineBenchmark() ? 0 : 1;
}
