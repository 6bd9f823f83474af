import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebRequest } from '../../src/core/seams.ts';
import { evaluateRules } from '../../src/services/wafv2/engine/evaluate.ts';
import { inspectRequest } from '../../src/services/wafv2/engine/request.ts';
import { matchesStatement } from '../../src/services/wafv2/engine/statements.ts';
import type { Statement } from '../../src/services/wafv2/engine/types.ts';
import { acl, byteMatch, request, rule } from './engine-fixtures.ts';

function matches(statement: Statement, req: WebRequest): boolean {
  return matchesStatement(statement, { request: inspectRequest(req), scope: 'REGIONAL', labels: [], labelNamespace: 'awswaf:1:webacl:acl:' });
}

const json = (body: string) => request({ method: 'POST', body: Buffer.from(body) });
const jsonBody = (spec: Statement) => ({ JsonBody: { MatchPattern: { All: {} }, MatchScope: 'VALUE', ...spec } });
const DOC = '{"user":{"name":"admin","roles":["reader","admin"]},"admin":false}';

const JSON_CASES: [string, Statement, string, boolean][] = [
  ['All VALUE finds nested value', jsonBody({}), DOC, true],
  ['All VALUE ignores keys', jsonBody({}), '{"admin":1}', false],
  ['All KEY finds a member name', jsonBody({ MatchScope: 'KEY' }), '{"admin":1}', true],
  ['All KEY ignores values', jsonBody({ MatchScope: 'KEY' }), '{"x":"admin"}', false],
  ['All ALL keys and values', jsonBody({ MatchScope: 'ALL' }), '{"admin":1}', true],
  ['IncludedPaths selects a subtree', jsonBody({ MatchPattern: { IncludedPaths: ['/user/roles'] } }), DOC, true],
  ['IncludedPaths array index', jsonBody({ MatchPattern: { IncludedPaths: ['/user/roles/0'] } }), DOC, false],
  ['IncludedPaths leaves other members out', jsonBody({ MatchPattern: { IncludedPaths: ['/other'] } }), DOC, false],
  ['IncludedPaths pointer escapes', jsonBody({ MatchPattern: { IncludedPaths: ['/a~1b'] } }), '{"a/b":"admin"}', true],
  ['string escapes decoded', jsonBody({}), '{"x":"\\u0061dmin"}', true],
  ['invalid, no fallback: evaluates up to the error', jsonBody({}), '{"x":"admin", oops', true],
  ['invalid, no fallback: nothing after the error', jsonBody({}), '{"x":1, oops "admin"', false],
  ['invalid, MATCH', jsonBody({ InvalidFallbackBehavior: 'MATCH' }), 'not json', true],
  ['invalid, NO_MATCH', jsonBody({ InvalidFallbackBehavior: 'NO_MATCH' }), '{"x":"admin" oops', false],
  ['invalid, EVALUATE_AS_STRING', jsonBody({ InvalidFallbackBehavior: 'EVALUATE_AS_STRING' }), 'admin', true],
  ['invalid, no fallback: bare word', jsonBody({}), 'admin', false],
  ['valid body ignores fallback', jsonBody({ InvalidFallbackBehavior: 'MATCH' }), '{"x":"user"}', false],
  ['oversize MATCH', jsonBody({ OversizeHandling: 'MATCH' }), `{"x":"${'a'.repeat(9000)}"}`, true],
  ['oversize NO_MATCH', jsonBody({ OversizeHandling: 'NO_MATCH' }), `{"x":"admin","y":"${'a'.repeat(9000)}"}`, false],
];

for (const [name, fieldToMatch, body, expected] of JSON_CASES) {
  test(`JsonBody ${name}`, () => {
    assert.equal(matches(byteMatch('admin', 'EXACTLY', fieldToMatch), json(body)), expected);
  });
}

test('JsonBody number and literal values', () => {
  assert.equal(matches(byteMatch('42', 'EXACTLY', jsonBody({})), json('{"n":42}')), true);
  assert.equal(matches(byteMatch('true', 'EXACTLY', jsonBody({})), json('[1,true]')), true);
});

test('HeaderOrder joins lower-case names with colons', () => {
  const order = { HeaderOrder: { OversizeHandling: 'CONTINUE' } };
  const req = request({ headers: [['Host', 'x'], ['User-Agent', 'y'], ['Accept', '*/*']] });
  assert.equal(matches(byteMatch('host:user-agent:accept', 'EXACTLY', order), req), true);
  assert.equal(matches(byteMatch('user-agent:host', 'CONTAINS', order), req), false);
});

test('HeaderOrder oversize past 200 headers', () => {
  const headers = Array.from({ length: 201 }, (_, i): [string, string] => [`h${i}`, 'v']);
  assert.equal(matches(byteMatch('zzz', 'EXACTLY', { HeaderOrder: { OversizeHandling: 'MATCH' } }), request({ headers })), true);
  assert.equal(matches(byteMatch('h0', 'STARTS_WITH', { HeaderOrder: { OversizeHandling: 'NO_MATCH' } }), request({ headers })), false);
});

test('Headers oversize handling past 8 KB', () => {
  const headers: [string, string][] = [['x-big', 'a'.repeat(9000)], ['x-a', 'admin']];
  const spec = (handling: string) => ({ Headers: { MatchPattern: { All: {} }, MatchScope: 'VALUE', OversizeHandling: handling } });
  assert.equal(matches(byteMatch('zzz', 'EXACTLY', spec('MATCH')), request({ headers })), true);
  assert.equal(matches(byteMatch('admin', 'EXACTLY', spec('NO_MATCH')), request({ headers })), false);
  assert.equal(matches(byteMatch('admin', 'EXACTLY', spec('CONTINUE')), request({ headers })), true);
});

test('Cookies IncludedCookies and KEY scope', () => {
  const cookies = (pattern: Statement, scope: string) => ({ Cookies: { MatchPattern: pattern, MatchScope: scope, OversizeHandling: 'CONTINUE' } });
  const req = request({ headers: [['Cookie', 'role=admin; admin=1']] });
  assert.equal(matches(byteMatch('admin', 'EXACTLY', cookies({ IncludedCookies: ['role'] }, 'VALUE')), req), true);
  assert.equal(matches(byteMatch('admin', 'EXACTLY', cookies({ ExcludedCookies: ['role'] }, 'VALUE')), req), false);
  assert.equal(matches(byteMatch('admin', 'EXACTLY', cookies({ ExcludedCookies: ['role'] }, 'KEY')), req), true);
});

const isGet = byteMatch('GET', 'EXACTLY', { Method: {} });

const BODY_CASES: [string, string, string][] = [
  ['json', 'application/json', '{"denied":true}'],
  ['text', 'text/plain', 'denied'],
  ['html', 'text/html', '<p>denied</p>'],
];

for (const [key, contentType, body] of BODY_CASES) {
  test(`Block CustomResponseBody ${contentType}`, () => {
    const result = evaluateRules(acl([rule('block', 0, isGet, { Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: key } } })]), inspectRequest(request()));
    assert.deepEqual(result.customResponse, { statusCode: 403, headers: [], body, contentType });
  });
}

test('Block without CustomResponse uses the default 403', () => {
  const result = evaluateRules(acl([rule('block', 0, isGet, { Block: {} })]), inspectRequest(request()));
  assert.equal(result.action, 'BLOCK');
  assert.equal(result.customResponse, undefined);
});

test('Count headers inserted when the request is allowed', () => {
  const rules = [
    rule('count', 0, isGet, { Count: { CustomRequestHandling: { InsertHeaders: [{ Name: 'counted', Value: '1' }] } } }),
    rule('allow', 1, isGet, { Allow: { CustomRequestHandling: { InsertHeaders: [{ Name: 'allowed', Value: '2' }] } } }),
  ];
  const result = evaluateRules(acl(rules), inspectRequest(request()));
  assert.deepEqual(result.insertHeaders, [['x-amzn-waf-counted', '1'], ['x-amzn-waf-allowed', '2']]);
});

test('Count headers dropped when the request is blocked', () => {
  const rules = [rule('count', 0, isGet, { Count: { CustomRequestHandling: { InsertHeaders: [{ Name: 'counted', Value: '1' }] } } }), rule('block', 1, isGet, { Block: {} })];
  assert.deepEqual(evaluateRules(acl(rules), inspectRequest(request())).insertHeaders, []);
});

test('DefaultAction Allow inserts its headers after Count headers', () => {
  const web = acl([rule('count', 0, isGet, { Count: { CustomRequestHandling: { InsertHeaders: [{ Name: 'c', Value: '1' }] } } })], { Allow: { CustomRequestHandling: { InsertHeaders: [{ Name: 'd', Value: '2' }] } } });
  assert.deepEqual(evaluateRules(web, inspectRequest(request())).insertHeaders, [['x-amzn-waf-c', '1'], ['x-amzn-waf-d', '2']]);
});

test('LabelMatch does not see labels of later rules', () => {
  const rules = [
    rule('block-labelled', 0, { LabelMatchStatement: { Scope: 'LABEL', Key: 'late' } }, { Block: {} }),
    rule('label', 1, isGet, { Count: {} }, ['late']),
  ];
  const result = evaluateRules(acl(rules), inspectRequest(request()));
  assert.equal(result.action, 'ALLOW');
  assert.deepEqual(result.labels, ['awswaf:111122223333:webacl:acl:late']);
});

test('LabelMatch NAMESPACE scope on namespaced RuleLabels', () => {
  const rules = [
    rule('label', 0, isGet, { Count: {} }, ['team:red:alpha']),
    rule('ns', 1, { LabelMatchStatement: { Scope: 'NAMESPACE', Key: 'team:red:' } }, { Block: {} }),
  ];
  assert.equal(evaluateRules(acl(rules), inspectRequest(request())).terminatingRuleId, 'ns');
});

test('Captcha and Challenge never see a token locally', () => {
  const captcha = evaluateRules(acl([rule('c', 0, isGet, { Captcha: { CustomRequestHandling: { InsertHeaders: [{ Name: 'x', Value: 'y' }] } } })]), inspectRequest(request()));
  assert.deepEqual([captcha.action, captcha.customResponse?.statusCode, captcha.insertHeaders], ['CAPTCHA', 405, []]);
  const challenge = evaluateRules(acl([rule('c', 0, isGet, { Challenge: {} })]), inspectRequest(request()));
  assert.deepEqual([challenge.action, challenge.customResponse?.statusCode], ['CHALLENGE', 202]);
});
