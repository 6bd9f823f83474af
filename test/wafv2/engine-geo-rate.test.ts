import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRules } from '../../src/services/wafv2/engine/evaluate.ts';
import { createGeoSource, configuredGeoSource, GEO_MAP_VARIABLE } from '../../src/services/wafv2/engine/geo.ts';
import { RateTracker } from '../../src/services/wafv2/engine/rate-based.ts';
import { inspectRequest } from '../../src/services/wafv2/engine/request.ts';
import { matchesStatement } from '../../src/services/wafv2/engine/statements.ts';
import type { Statement } from '../../src/services/wafv2/engine/types.ts';
import { acl, byteMatch, request, rule } from './engine-fixtures.ts';

const geo = createGeoSource({ '198.51.100.0/24': 'US-WA', '198.51.100.128/25': 'CA', '2001:db8::/32': 'DE' });

function geoMatch(statement: Statement, clientIp: string, headers: [string, string][] = []) {
  const labels: string[] = [];
  const matched = matchesStatement(statement, { request: inspectRequest(request({ clientIp, headers })), scope: 'REGIONAL', labels, labelNamespace: 'awswaf:1:webacl:acl:', geo });
  return { matched, labels };
}

test('GeoMatch country in CountryCodes', () => {
  assert.deepEqual(geoMatch({ GeoMatchStatement: { CountryCodes: ['US'] } }, '198.51.100.7'), {
    matched: true,
    labels: ['awswaf:clientip:geo:country:US', 'awswaf:clientip:geo:region:US-WA'],
  });
});

test('GeoMatch most specific range wins', () => {
  assert.deepEqual(geoMatch({ GeoMatchStatement: { CountryCodes: ['US'] } }, '198.51.100.200'), { matched: false, labels: ['awswaf:clientip:geo:country:CA'] });
});

test('GeoMatch IPv6 range', () => {
  assert.equal(geoMatch({ GeoMatchStatement: { CountryCodes: ['DE'] } }, '2001:db8::1').matched, true);
});

test('GeoMatch loopback is ZZ and matches nothing', () => {
  assert.deepEqual(geoMatch({ GeoMatchStatement: { CountryCodes: ['US', 'CA', 'DE'] } }, '127.0.0.1'), { matched: false, labels: ['awswaf:clientip:geo:country:ZZ'] });
});

test('GeoMatch ForwardedIPConfig uses first address', () => {
  const statement = { GeoMatchStatement: { CountryCodes: ['US'], ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'NO_MATCH' } } };
  assert.deepEqual(geoMatch(statement, '127.0.0.1', [['X-Forwarded-For', '198.51.100.9, 203.0.113.1']]), {
    matched: true,
    labels: ['awswaf:forwardedip:geo:country:US', 'awswaf:forwardedip:geo:region:US-WA'],
  });
});

test('GeoMatch forwarded header missing: no match, no labels', () => {
  const statement = { GeoMatchStatement: { CountryCodes: ['ZZ'], ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' } } };
  assert.deepEqual(geoMatch(statement, '127.0.0.1'), { matched: false, labels: [] });
});

test('GeoMatch forwarded invalid address takes FallbackBehavior', () => {
  const match = { GeoMatchStatement: { CountryCodes: ['US'], ForwardedIPConfig: { HeaderName: 'X-Client', FallbackBehavior: 'MATCH' } } };
  const noMatch = { GeoMatchStatement: { CountryCodes: ['US'], ForwardedIPConfig: { HeaderName: 'X-Client', FallbackBehavior: 'NO_MATCH' } } };
  assert.equal(geoMatch(match, '127.0.0.1', [['X-Client', 'not-an-ip']]).matched, true);
  assert.equal(geoMatch(noMatch, '127.0.0.1', [['X-Client', 'not-an-ip']]).matched, false);
});

test('GeoMatch labels feed a later LabelMatch rule', () => {
  const rules = [
    rule('geo', 0, { GeoMatchStatement: { CountryCodes: ['FR'] } }, { Count: {} }),
    rule('block-wa', 1, { LabelMatchStatement: { Scope: 'LABEL', Key: 'awswaf:clientip:geo:region:US-WA' } }, { Block: {} }),
  ];
  const result = evaluateRules(acl(rules), inspectRequest(request({ clientIp: '198.51.100.1' })), { geo });
  assert.equal(result.action, 'BLOCK');
  assert.equal(result.terminatingRuleId, 'block-wa');
  assert.deepEqual(result.matches.map((match) => match.ruleName), ['block-wa']);
});

test('PALISADE_WAF_GEO_MAP configures the default source', () => {
  const previous = process.env[GEO_MAP_VARIABLE];
  try {
    process.env[GEO_MAP_VARIABLE] = '{"127.0.0.0/8":"NZ"}';
    assert.deepEqual(configuredGeoSource().locate('127.0.0.1'), { country: 'NZ', region: undefined });
    process.env[GEO_MAP_VARIABLE] = '{"127.0.0.0/33":"NZ"}';
    assert.throws(() => configuredGeoSource(), /invalid CIDR range "127.0.0.0\/33"/);
  } finally {
    if (previous === undefined) delete process.env[GEO_MAP_VARIABLE];
    else process.env[GEO_MAP_VARIABLE] = previous;
  }
});

/** Evaluate `count` requests through a one-rule ACL, returning each action. */
function rateRun(statement: Statement, requests: ReturnType<typeof request>[], tracker: RateTracker, times: number[]): string[] {
  const web = acl([rule('rate', 0, { RateBasedStatement: statement }, { Block: {} })]);
  return requests.map((req, index) => evaluateRules(web, inspectRequest(req), { rateTracker: tracker, now: times[index] }).action);
}

const T0 = 1_700_000_000_000;
const at = (...seconds: number[]) => seconds.map((second) => T0 + second * 1000);

test('RateBased IP blocks over Limit within the window', () => {
  const requests = Array.from({ length: 12 }, () => request({ clientIp: '192.0.2.1' }));
  const actions = rateRun({ Limit: 10, AggregateKeyType: 'IP', EvaluationWindowSec: 60 }, requests, new RateTracker(), at(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
  assert.deepEqual(actions, [...Array(10).fill('ALLOW'), 'BLOCK', 'BLOCK']);
});

test('RateBased IP counts each address separately', () => {
  const tracker = new RateTracker();
  const statement = { Limit: 10, AggregateKeyType: 'IP', EvaluationWindowSec: 60 };
  rateRun(statement, Array.from({ length: 11 }, () => request({ clientIp: '192.0.2.1' })), tracker, at(...Array(11).fill(0)));
  assert.deepEqual(rateRun(statement, [request({ clientIp: '192.0.2.1' }), request({ clientIp: '192.0.2.2' })], tracker, at(1, 1)), ['BLOCK', 'ALLOW']);
});

test('RateBased window slides: old requests expire', () => {
  const tracker = new RateTracker();
  const statement = { Limit: 10, AggregateKeyType: 'IP', EvaluationWindowSec: 60 };
  rateRun(statement, Array.from({ length: 11 }, () => request()), tracker, at(...Array(11).fill(0)));
  assert.deepEqual(rateRun(statement, [request(), request()], tracker, at(59, 60)), ['BLOCK', 'ALLOW']);
});

test('RateBased default window is 300 seconds', () => {
  const tracker = new RateTracker();
  const statement = { Limit: 10, AggregateKeyType: 'CONSTANT' };
  rateRun(statement, Array.from({ length: 10 }, () => request()), tracker, at(...Array(10).fill(0)));
  assert.deepEqual(rateRun(statement, [request(), request()], tracker, at(299, 300)), ['BLOCK', 'ALLOW']);
});

test('RateBased settings change resets counts', () => {
  const tracker = new RateTracker();
  const first = { Limit: 10, AggregateKeyType: 'IP', EvaluationWindowSec: 60 };
  const blocked = rateRun(first, Array.from({ length: 11 }, () => request()), tracker, at(...Array(11).fill(0)));
  assert.equal(blocked[10], 'BLOCK');
  // A longer window would still count the first 11 requests, unless the change reset them.
  const widened = { ...first, EvaluationWindowSec: 120 };
  assert.deepEqual(rateRun(widened, [request()], tracker, at(1)), ['ALLOW']);
  assert.deepEqual(rateRun(first, [request()], tracker, at(2)), ['ALLOW']);
});

test('RateBased action change keeps counts', () => {
  const tracker = new RateTracker();
  const statement = { Limit: 10, AggregateKeyType: 'IP', EvaluationWindowSec: 60 };
  const counting = acl([rule('rate', 0, { RateBasedStatement: statement }, { Count: {} })]);
  for (let i = 0; i < 11; i++) evaluateRules(counting, inspectRequest(request()), { rateTracker: tracker, now: T0 });
  const blocking = acl([rule('rate', 0, { RateBasedStatement: statement }, { Block: {} })]);
  assert.equal(evaluateRules(blocking, inspectRequest(request()), { rateTracker: tracker, now: T0 }).action, 'BLOCK');
});

test('RateBased ScopeDownStatement limits what is counted', () => {
  const statement = { Limit: 10, AggregateKeyType: 'CONSTANT', EvaluationWindowSec: 60, ScopeDownStatement: byteMatch('POST', 'EXACTLY', { Method: {} }) };
  const requests = [...Array.from({ length: 20 }, () => request()), ...Array.from({ length: 11 }, () => request({ method: 'POST' }))];
  const actions = rateRun(statement, requests, new RateTracker(), at(...Array(31).fill(0)));
  assert.equal(actions.filter((action) => action === 'BLOCK').length, 1);
  assert.equal(actions[30], 'BLOCK');
});

test('RateBased FORWARDED_IP: missing header not counted, invalid takes fallback', () => {
  const statement = { Limit: 10, AggregateKeyType: 'FORWARDED_IP', EvaluationWindowSec: 60, ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' } };
  const tracker = new RateTracker();
  const missing = rateRun(statement, Array.from({ length: 11 }, () => request()), tracker, at(...Array(11).fill(0)));
  assert.deepEqual(new Set(missing), new Set(['ALLOW']));
  assert.deepEqual(rateRun(statement, [request({ headers: [['X-Forwarded-For', 'bogus']] })], tracker, at(0)), ['BLOCK']);
  const forwarded = Array.from({ length: 11 }, () => request({ headers: [['X-Forwarded-For', '203.0.113.5, 10.0.0.1']] }));
  assert.equal(rateRun(statement, forwarded, tracker, at(...Array(11).fill(1)))[10], 'BLOCK');
});

test('RateBased CUSTOM_KEYS combine header, method and query argument', () => {
  const statement = {
    Limit: 10,
    AggregateKeyType: 'CUSTOM_KEYS',
    EvaluationWindowSec: 60,
    CustomKeys: [
      { Header: { Name: 'X-Api-Key', TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }] } },
      { HTTPMethod: {} },
      { QueryArgument: { Name: 'tenant', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } },
    ],
  };
  const tracker = new RateTracker();
  const same = (key: string) => request({ headers: [['X-Api-Key', key]], queryString: 'tenant=a' });
  const first = rateRun(statement, Array.from({ length: 11 }, (_, i) => same(i % 2 ? 'KEY1' : 'key1')), tracker, at(...Array(11).fill(0)));
  assert.equal(first[10], 'BLOCK');
  assert.deepEqual(rateRun(statement, [request({ headers: [['X-Api-Key', 'key1']], queryString: 'tenant=b' })], tracker, at(0)), ['ALLOW']);
  assert.deepEqual(rateRun(statement, [request({ method: 'POST', headers: [['X-Api-Key', 'key1']], queryString: 'tenant=a' })], tracker, at(0)), ['ALLOW']);
  const withoutKey = rateRun(statement, Array.from({ length: 12 }, () => request({ queryString: 'tenant=a' })), tracker, at(...Array(12).fill(0)));
  assert.deepEqual(new Set(withoutKey), new Set(['ALLOW']));
});

test('RateBased CUSTOM_KEYS cookie, query string, URI path and IP', () => {
  const statement = {
    Limit: 10,
    AggregateKeyType: 'CUSTOM_KEYS',
    EvaluationWindowSec: 60,
    CustomKeys: [
      { Cookie: { Name: 'session', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } },
      { QueryString: { TextTransformations: [{ Priority: 0, Type: 'NONE' }] } },
      { UriPath: { TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }] } },
      { IP: {} },
    ],
  };
  const tracker = new RateTracker();
  const make = (path: string) => request({ uriPath: path, queryString: 'q=1', headers: [['Cookie', 'session=s1']] });
  const actions = rateRun(statement, Array.from({ length: 11 }, (_, i) => make(i % 2 ? '/A' : '/a')), tracker, at(...Array(11).fill(0)));
  assert.equal(actions[10], 'BLOCK');
  assert.deepEqual(rateRun(statement, [request({ uriPath: '/a', queryString: 'q=1', headers: [['Cookie', 'session=s2']] })], tracker, at(0)), ['ALLOW']);
});

test('RateBased CUSTOM_KEYS LabelNamespace uses earlier labels', () => {
  const web = acl([
    rule('tag', 0, byteMatch('/Dev/', 'STARTS_WITH', { UriPath: {} }), { Count: {} }, ['tier:free']),
    rule('rate', 1, { RateBasedStatement: { Limit: 10, AggregateKeyType: 'CUSTOM_KEYS', EvaluationWindowSec: 60, CustomKeys: [{ LabelNamespace: { Namespace: 'awswaf:111122223333:webacl:acl:tier:' } }] } }, { Block: {} }),
  ]);
  const tracker = new RateTracker();
  const actions = Array.from({ length: 11 }, () => evaluateRules(web, inspectRequest(request()), { rateTracker: tracker, now: T0 }).action);
  assert.equal(actions[9], 'ALLOW');
  assert.equal(actions[10], 'BLOCK');
  const unlabelled = Array.from({ length: 11 }, () => evaluateRules(web, inspectRequest(request({ uriPath: '/Prod/x' })), { rateTracker: tracker, now: T0 }).action);
  assert.deepEqual(new Set(unlabelled), new Set(['ALLOW']));
});
