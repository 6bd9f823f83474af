import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { WebRequest } from '../../src/core/seams.ts';
import { evaluateRules } from '../../src/services/wafv2/engine/evaluate.ts';
import { inspectRequest } from '../../src/services/wafv2/engine/request.ts';
import { matchesStatement } from '../../src/services/wafv2/engine/statements.ts';
import { applyTransformations } from '../../src/services/wafv2/engine/transformations.ts';
import type { Rule, Statement, WebAclDefinition } from '../../src/services/wafv2/engine/types.ts';

function request(overrides: Partial<WebRequest> = {}): WebRequest {
  return { method: 'GET', uriPath: '/Dev/items', queryString: '', headers: [['Host', 'example.com']], body: Buffer.alloc(0), clientIp: '127.0.0.1', ...overrides };
}

const NONE = [{ Priority: 0, Type: 'NONE' }];

function byteMatch(search: string, constraint: string, fieldToMatch: Statement, transformations = NONE): Statement {
  return { ByteMatchStatement: { SearchString: Buffer.from(search).toString('base64'), FieldToMatch: fieldToMatch, PositionalConstraint: constraint, TextTransformations: transformations } };
}

function matches(statement: Statement, req: WebRequest, labels: string[] = []): boolean {
  return matchesStatement(statement, { request: inspectRequest(req), scope: 'REGIONAL', labels, labelNamespace: 'awswaf:111122223333:webacl:acl:' });
}

const HEADER = { SingleHeader: { Name: 'X-Origin-Verify' } };
const withHeader = (value: string) => request({ headers: [['x-origin-verify', value]] });

const BYTE_MATCH_CASES: [string, string, WebRequest, boolean][] = [
  ['secret', 'EXACTLY', withHeader('secret'), true],
  ['secret', 'EXACTLY', withHeader('Secret'), false],
  ['secret', 'EXACTLY', withHeader('secret '), false],
  ['secret', 'EXACTLY', request(), false],
  ['sec', 'STARTS_WITH', withHeader('secret'), true],
  ['ret', 'STARTS_WITH', withHeader('secret'), false],
  ['ret', 'ENDS_WITH', withHeader('secret'), true],
  ['sec', 'ENDS_WITH', withHeader('secret'), false],
  ['cre', 'CONTAINS', withHeader('secret'), true],
  ['xyz', 'CONTAINS', withHeader('secret'), false],
  ['admin', 'CONTAINS_WORD', withHeader('user admin;x'), true],
  ['admin', 'CONTAINS_WORD', withHeader('admin'), true],
  ['admin', 'CONTAINS_WORD', withHeader('administrator'), false],
  ['admin', 'CONTAINS_WORD', withHeader('sys_admin'), false],
];

for (const [search, constraint, req, expected] of BYTE_MATCH_CASES) {
  test(`ByteMatch ${constraint} ${search} on ${JSON.stringify(req.headers)}`, () => {
    assert.equal(matches(byteMatch(search, constraint, HEADER), req), expected);
  });
}

const FIELD_CASES: [string, Statement, WebRequest, boolean][] = [
  ['UriPath', { UriPath: {} }, request({ uriPath: '/Dev/admin' }), true],
  ['QueryString raw', { QueryString: {} }, request({ queryString: 'a=admin%20x' }), true],
  ['SingleQueryArgument decoded, name case-insensitive', { SingleQueryArgument: { Name: 'USER' } }, request({ queryString: 'user=admin+x' }), true],
  ['SingleQueryArgument other name', { SingleQueryArgument: { Name: 'other' } }, request({ queryString: 'user=admin' }), false],
  ['AllQueryArguments', { AllQueryArguments: {} }, request({ queryString: 'a=1&b=%61dmin' }), true],
  ['Method', { Method: {} }, request({ method: 'admin' }), true],
  ['Headers VALUE', { Headers: { MatchPattern: { All: {} }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, request({ headers: [['x-a', 'admin']] }), true],
  ['Headers KEY', { Headers: { MatchPattern: { IncludedHeaders: ['admin'] }, MatchScope: 'KEY', OversizeHandling: 'CONTINUE' } }, request({ headers: [['Admin', 'x']] }), true],
  ['Headers excluded', { Headers: { MatchPattern: { ExcludedHeaders: ['x-a'] }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, request({ headers: [['x-a', 'admin']] }), false],
  ['Cookies VALUE', { Cookies: { MatchPattern: { All: {} }, MatchScope: 'VALUE', OversizeHandling: 'CONTINUE' } }, request({ headers: [['Cookie', 'a=1; role=admin']] }), true],
  ['Body', { Body: {} }, request({ body: Buffer.from('x=admin') }), true],
  ['Body past the 8 KB limit, CONTINUE', { Body: { OversizeHandling: 'CONTINUE' } }, request({ body: Buffer.from('x'.repeat(8192) + 'admin') }), false],
  ['Body past the 8 KB limit, MATCH', { Body: { OversizeHandling: 'MATCH' } }, request({ body: Buffer.from('x'.repeat(8193)) }), true],
  ['Body past the 8 KB limit, NO_MATCH', { Body: { OversizeHandling: 'NO_MATCH' } }, request({ body: Buffer.from('admin' + 'x'.repeat(8192)) }), false],
];

for (const [name, fieldToMatch, req, expected] of FIELD_CASES) {
  test(`FieldToMatch ${name}`, () => {
    assert.equal(matches(byteMatch('admin', 'CONTAINS', fieldToMatch), req), expected);
  });
}

const TRANSFORMATION_CASES: [string, string, string][] = [
  ['NONE', 'AbC', 'AbC'],
  ['LOWERCASE', 'AbC', 'abc'],
  ['COMPRESS_WHITE_SPACE', 'a \t\n b', 'a b'],
  ['URL_DECODE', 'a%20b+c%zz', 'a b c%zz'],
  ['URL_DECODE_UNI', '%u0041%42', 'AB'],
  ['HTML_ENTITY_DECODE', '&lt;a&gt;&#65;&#x42;&quot;', '<a>AB"'],
  ['CMD_LINE', 'C:\\Win"dows ^/x, y;  Z', 'c:windows/x y z'],
  ['BASE64_DECODE', 'aGVsbG8=', 'hello'],
  ['BASE64_DECODE_EXT', 'aGV*sbG8', 'hello'],
  ['HEX_DECODE', '414243', 'ABC'],
  ['SQL_HEX_DECODE', 'select 0x414243', 'select ABC'],
  ['JS_DECODE', '\\x41\\u0042\\n', 'AB\n'],
  ['CSS_DECODE', '\\41 \\42', 'AB'],
  ['ESCAPE_SEQ_DECODE', '\\x41\\101\\t', 'AA\t'],
  ['REMOVE_NULLS', 'a\0b', 'ab'],
  ['REPLACE_NULLS', 'a\0b', 'a b'],
  ['NORMALIZE_PATH', '/a/./b/../c//d', '/a/c/d'],
  ['NORMALIZE_PATH_WIN', '\\a\\..\\b', '/b'],
  ['REPLACE_COMMENTS', 'un/**/ion/* x', 'un ion '],
  ['UTF8_TO_UNICODE', Buffer.from('aé').toString('latin1'), 'a%u00e9'],
  ['MD5', 'abc', createHash('md5').update('abc').digest().toString('latin1')],
];

for (const [type, input, expected] of TRANSFORMATION_CASES) {
  test(`TextTransformation ${type}`, () => {
    assert.equal(applyTransformations(input, [{ Priority: 0, Type: type }]), expected);
  });
}

test('TextTransformations apply in Priority order', () => {
  const transformations = [{ Priority: 2, Type: 'LOWERCASE' }, { Priority: 1, Type: 'BASE64_DECODE' }];
  assert.equal(applyTransformations('SGVMTE8=', transformations), 'hello');
});

test('ByteMatch after URL_DECODE and LOWERCASE', () => {
  const statement = byteMatch('<script', 'CONTAINS', { QueryString: {} }, [{ Priority: 0, Type: 'URL_DECODE' }, { Priority: 1, Type: 'LOWERCASE' }]);
  assert.equal(matches(statement, request({ queryString: 'q=%3CSCRIPT%3E' })), true);
});

const sqli = (level?: string): Statement => ({ SqliMatchStatement: { FieldToMatch: { AllQueryArguments: {} }, TextTransformations: NONE, ...(level ? { SensitivityLevel: level } : {}) } });
const size = (operator: string, limit: number): Statement => ({ SizeConstraintStatement: { FieldToMatch: { QueryString: {} }, ComparisonOperator: operator, Size: limit, TextTransformations: NONE } });

const STATEMENT_CASES: [string, Statement, WebRequest, boolean][] = [
  ['SqliMatch LOW tautology', sqli(), request({ queryString: 'id=1%20or%201=1' }), true],
  ['SqliMatch LOW number', sqli(), request({ queryString: 'id=2' }), false],
  ['SqliMatch LOW misses HIGH-only', sqli('LOW'), request({ queryString: 'id=1%20order%20by%203' }), false],
  ['SqliMatch HIGH', sqli('HIGH'), request({ queryString: 'id=1%20order%20by%203' }), true],
  ['XssMatch', { XssMatchStatement: { FieldToMatch: { AllQueryArguments: {} }, TextTransformations: NONE } }, request({ queryString: 'q=%3Cscript%3E' }), true],
  ['XssMatch benign', { XssMatchStatement: { FieldToMatch: { AllQueryArguments: {} }, TextTransformations: NONE } }, request({ queryString: 'q=a%3Cb' }), false],
  ['SizeConstraint EQ', size('EQ', 3), request({ queryString: 'a=b' }), true],
  ['SizeConstraint NE', size('NE', 3), request({ queryString: 'a=b' }), false],
  ['SizeConstraint LT', size('LT', 3), request({ queryString: 'a=b' }), false],
  ['SizeConstraint LE', size('LE', 3), request({ queryString: 'a=b' }), true],
  ['SizeConstraint GT', size('GT', 2), request({ queryString: 'a=b' }), true],
  ['SizeConstraint GE', size('GE', 4), request({ queryString: 'a=b' }), false],
  ['AndStatement', { AndStatement: { Statements: [size('EQ', 3), byteMatch('a', 'STARTS_WITH', { QueryString: {} })] } }, request({ queryString: 'a=b' }), true],
  ['AndStatement one false', { AndStatement: { Statements: [size('EQ', 3), byteMatch('x', 'STARTS_WITH', { QueryString: {} })] } }, request({ queryString: 'a=b' }), false],
  ['OrStatement', { OrStatement: { Statements: [size('EQ', 9), byteMatch('a', 'STARTS_WITH', { QueryString: {} })] } }, request({ queryString: 'a=b' }), true],
  ['NotStatement', { NotStatement: { Statement: size('EQ', 3) } }, request({ queryString: 'a=b' }), false],
];

for (const [name, statement, req, expected] of STATEMENT_CASES) {
  test(`statement ${name}`, () => {
    assert.equal(matches(statement, req), expected);
  });
}

test('LabelMatch LABEL and NAMESPACE scopes', () => {
  const labels = ['awswaf:111122223333:webacl:acl:team:blue', 'awswaf:managed:aws:sql-database:SQLi_QueryArguments'];
  assert.equal(matches({ LabelMatchStatement: { Scope: 'LABEL', Key: 'team:blue' } }, request(), labels), true);
  assert.equal(matches({ LabelMatchStatement: { Scope: 'LABEL', Key: 'team' } }, request(), labels), false);
  assert.equal(matches({ LabelMatchStatement: { Scope: 'NAMESPACE', Key: 'team:' } }, request(), labels), true);
  assert.equal(matches({ LabelMatchStatement: { Scope: 'NAMESPACE', Key: 'awswaf:managed:aws:sql-database:' } }, request(), labels), true);
  assert.equal(matches({ LabelMatchStatement: { Scope: 'LABEL', Key: 'awswaf:managed:aws:sql-database:SQLi_Body' } }, request(), labels), false);
});

function acl(rules: Rule[], defaultAction: WebAclDefinition['DefaultAction'] = { Allow: {} }): WebAclDefinition {
  return {
    Name: 'acl',
    ARN: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/acl/00000000-0000-4000-8000-000000000000',
    Scope: 'REGIONAL',
    DefaultAction: defaultAction,
    Rules: rules,
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'acl' },
    LabelNamespace: 'awswaf:111122223333:webacl:acl:',
    CustomResponseBodies: { denied: { ContentType: 'APPLICATION_JSON', Content: '{"denied":true}' } },
  };
}

function rule(name: string, priority: number, statement: Statement, action: Rule['Action'], labels: string[] = []): Rule {
  return { Name: name, Priority: priority, Statement: statement, Action: action, RuleLabels: labels.map((Name) => ({ Name })), VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name } };
}

const isGet = byteMatch('GET', 'EXACTLY', { Method: {} });

test('rules run in Priority order, first terminating action wins', () => {
  const result = evaluateRules(acl([rule('allow', 2, isGet, { Allow: {} }), rule('block', 1, isGet, { Block: {} })]), inspectRequest(request()));
  assert.equal(result.action, 'BLOCK');
  assert.equal(result.terminatingRuleId, 'block');
});

test('Count continues, adds labels seen by later LabelMatch', () => {
  const rules = [
    rule('count', 0, isGet, { Count: {} }, ['seen:get']),
    rule('block-labelled', 1, { LabelMatchStatement: { Scope: 'LABEL', Key: 'seen:get' } }, { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'denied', ResponseHeaders: [{ Name: 'x-why', Value: 'label' }] } } }),
  ];
  const result = evaluateRules(acl(rules), inspectRequest(request()));
  assert.equal(result.action, 'BLOCK');
  assert.equal(result.terminatingRuleId, 'block-labelled');
  assert.deepEqual(result.labels, ['awswaf:111122223333:webacl:acl:seen:get']);
  assert.deepEqual(result.matches.map((m) => [m.ruleName, m.action]), [['count', 'COUNT'], ['block-labelled', 'BLOCK']]);
  assert.deepEqual(result.customResponse, { statusCode: 429, headers: [['x-why', 'label']], body: '{"denied":true}', contentType: 'application/json' });
});

test('DefaultAction applies when nothing terminates', () => {
  const result = evaluateRules(acl([rule('count', 0, isGet, { Count: {} })], { Block: {} }), inspectRequest(request()));
  assert.equal(result.action, 'BLOCK');
  assert.equal(result.terminatingRuleId, 'Default_Action');
});

test('Allow inserts x-amzn-waf- headers', () => {
  const result = evaluateRules(acl([rule('allow', 0, isGet, { Allow: { CustomRequestHandling: { InsertHeaders: [{ Name: 'verified', Value: 'yes' }] } } })]), inspectRequest(request()));
  assert.deepEqual(result.insertHeaders, [['x-amzn-waf-verified', 'yes']]);
});

test('Captcha and Challenge terminate with 405 and 202', () => {
  const captcha = evaluateRules(acl([rule('captcha', 0, isGet, { Captcha: {} })]), inspectRequest(request()));
  assert.equal(captcha.action, 'CAPTCHA');
  assert.equal(captcha.customResponse?.statusCode, 405);
  const challenge = evaluateRules(acl([rule('challenge', 0, isGet, { Challenge: {} })]), inspectRequest(request()));
  assert.equal(challenge.action, 'CHALLENGE');
  assert.equal(challenge.customResponse?.statusCode, 202);
});

function managedRule(extra: Statement = {}, overrideAction: Rule['OverrideAction'] = { None: {} }): Rule {
  return {
    Name: 'AWS-AWSManagedRulesSQLiRuleSet',
    Priority: 0,
    Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet', ...extra } },
    OverrideAction: overrideAction,
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'sqli' },
  };
}

const SQLI_GROUP_CASES: [string, WebRequest, string, string | undefined, string[]][] = [
  ['query argument', request({ queryString: 'id=1%20or%201=1' }), 'BLOCK', 'SQLi_QUERYARGUMENTS', ['awswaf:managed:aws:sql-database:SQLi_QueryArguments']],
  ['extended query pattern', request({ queryString: 'id=1%20order%20by%203' }), 'BLOCK', 'SQLiExtendedPatterns_QUERYARGUMENTS', ['awswaf:managed:aws:sql-database:SQLiExtendedPatterns_QueryArguments']],
  ['body', request({ method: 'POST', body: Buffer.from("user=admin'--") }), 'BLOCK', 'SQLi_BODY', ['awswaf:managed:aws:sql-database:SQLi_Body']],
  ['cookie', request({ headers: [['Cookie', 'id=1 union select password from users']] }), 'BLOCK', 'SQLi_COOKIE', ['awswaf:managed:aws:sql-database:SQLi_Cookie']],
  ['URI path', request({ uriPath: '/Dev/1%20or%201=1' }), 'BLOCK', 'SQLi_URIPATH', ['awswaf:managed:aws:sql-database:SQLi_URIPath']],
  ['benign', request({ queryString: 'id=2' }), 'ALLOW', undefined, []],
];

for (const [name, req, action, groupRule, labels] of SQLI_GROUP_CASES) {
  test(`AWSManagedRulesSQLiRuleSet ${name}`, () => {
    const result = evaluateRules(acl([managedRule()]), inspectRequest(req));
    assert.equal(result.action, action);
    assert.equal(result.ruleNameWithinRuleGroup, groupRule);
    assert.deepEqual(result.labels, labels);
  });
}

test('managed group ExcludedRules counts instead of blocking', () => {
  const result = evaluateRules(acl([managedRule({ ExcludedRules: [{ Name: 'SQLi_QUERYARGUMENTS' }] })]), inspectRequest(request({ queryString: 'id=1%20or%201=1' })));
  assert.equal(result.action, 'ALLOW');
  assert.equal(result.terminatingRuleId, 'Default_Action');
  assert.deepEqual(result.labels, ['awswaf:managed:aws:sql-database:SQLi_QueryArguments']);
  assert.equal(result.matches[0].action, 'COUNT');
});

test('managed group RuleActionOverrides replaces the action', () => {
  const result = evaluateRules(acl([managedRule({ RuleActionOverrides: [{ Name: 'SQLi_QUERYARGUMENTS', ActionToUse: { Captcha: {} } }] })]), inspectRequest(request({ queryString: 'id=1%20or%201=1' })));
  assert.equal(result.action, 'CAPTCHA');
});

test('managed group OverrideAction Count keeps labels', () => {
  const result = evaluateRules(acl([managedRule({}, { Count: {} })]), inspectRequest(request({ queryString: 'id=1%20or%201=1' })));
  assert.equal(result.action, 'ALLOW');
  assert.deepEqual(result.labels, ['awswaf:managed:aws:sql-database:SQLi_QueryArguments']);
});
