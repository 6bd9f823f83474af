import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CheckCapacityCommand, CreateWebACLCommand, GetWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { validateStatement } from '../../src/services/wafv2/validate-statement.ts';
import type { Statement } from '../../src/services/wafv2/engine/types.ts';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';

const NONE = [{ Priority: 0, Type: 'NONE' }];
const byteMatch = (fieldToMatch: Statement): Statement => ({
  ByteMatchStatement: { SearchString: Buffer.from('x').toString('base64'), FieldToMatch: fieldToMatch, PositionalConstraint: 'EXACTLY', TextTransformations: NONE },
});
const rate = (extra: Statement): Statement => ({ RateBasedStatement: { Limit: 10, AggregateKeyType: 'IP', ...extra } });

function rejectionOf(statement: Statement, topLevel = true): string {
  try {
    validateStatement(statement, topLevel);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

const reason = (text: string, field: string, parameter: string) => `Error reason: ${text}, field: ${field}, parameter: ${parameter}`;
const INVALID_OPTION = 'The value is not one of the allowed options.';
const INVALID_FORMAT = 'The parameter contains formatting that is not valid.';
const MISSING = 'A required field is missing.';

const CASES: [string, Statement, string, boolean?][] = [
  ['GeoMatch valid', { GeoMatchStatement: { CountryCodes: ['US', 'HK'] } }, 'accepted'],
  ['misspelt statement type', { ByteMatchStatment: {} }, reason(INVALID_OPTION, 'STATEMENT', 'ByteMatchStatment')],
  ['AWS statement palisade lacks', { AsnMatchStatement: {} }, reason('palisade does not implement AsnMatchStatement yet, so it cannot evaluate this rule', 'STATEMENT', 'AsnMatchStatement')],
  ['GeoMatch unknown country', { GeoMatchStatement: { CountryCodes: ['ZZ'] } }, reason(INVALID_OPTION, 'GEO_MATCH_STATEMENT', 'ZZ')],
  ['GeoMatch empty CountryCodes', { GeoMatchStatement: { CountryCodes: [] } }, reason(MISSING, 'GEO_MATCH_STATEMENT', 'CountryCodes')],
  ['GeoMatch bad forwarded header name', { GeoMatchStatement: { CountryCodes: ['US'], ForwardedIPConfig: { HeaderName: 'X Forwarded', FallbackBehavior: 'MATCH' } } }, reason(INVALID_FORMAT, 'FORWARDED_IP_CONFIG', 'HeaderName')],
  ['RateBased Limit 10 accepted', rate({}), 'accepted'],
  ['RateBased Limit 9 rejected', rate({ Limit: 9 }), reason(INVALID_FORMAT, 'RATE_BASED_STATEMENT', 'Limit')],
  ['RateBased window 90 rejected', rate({ EvaluationWindowSec: 90 }), reason(INVALID_OPTION, 'RATE_BASED_STATEMENT', '90')],
  ['RateBased window 600 accepted', rate({ EvaluationWindowSec: 600 }), 'accepted'],
  ['RateBased nested rejected', { NotStatement: { Statement: rate({}) } }, reason('You can only use this statement at the top level of a rule.', 'RATE_BASED_STATEMENT', 'RateBasedStatement')],
  ['RateBased FORWARDED_IP needs config', rate({ AggregateKeyType: 'FORWARDED_IP' }), reason(MISSING, 'FORWARDED_IP_CONFIG', 'ForwardedIPConfig')],
  ['RateBased CUSTOM_KEYS needs keys', rate({ AggregateKeyType: 'CUSTOM_KEYS' }), reason(MISSING, 'CUSTOM_KEYS', 'CustomKeys')],
  ['RateBased label namespace needs colon', rate({ AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ LabelNamespace: { Namespace: 'a:b' } }] }), reason(INVALID_FORMAT, 'CUSTOM_KEYS', 'Namespace')],
  ['RateBased JA3 key', rate({ AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ JA3Fingerprint: { FallbackBehavior: 'MATCH' } }] }), reason('palisade serves plain HTTP on loopback and sees no TLS Client Hello, so it cannot evaluate JA3Fingerprint', 'FIELD_TO_MATCH', 'JA3Fingerprint')],
  ['JsonBody valid', byteMatch({ JsonBody: { MatchPattern: { IncludedPaths: ['/a/0', '/b~1c'] }, MatchScope: 'VALUE', InvalidFallbackBehavior: 'EVALUATE_AS_STRING' } }), 'accepted'],
  ['JsonBody bad pointer', byteMatch({ JsonBody: { MatchPattern: { IncludedPaths: ['a'] }, MatchScope: 'VALUE' } }), reason(INVALID_FORMAT, 'JSON_POINTER', 'IncludedPaths')],
  ['JsonBody bad scope', byteMatch({ JsonBody: { MatchPattern: { All: {} }, MatchScope: 'BOTH' } }), reason(INVALID_OPTION, 'JSON_MATCH_SCOPE', 'BOTH')],
  ['JsonBody bad fallback', byteMatch({ JsonBody: { MatchPattern: { All: {} }, MatchScope: 'ALL', InvalidFallbackBehavior: 'SKIP' } }), reason(INVALID_OPTION, 'BODY_PARSING_FALLBACK_BEHAVIOR', 'SKIP')],
  ['HeaderOrder needs OversizeHandling', byteMatch({ HeaderOrder: {} }), reason(MISSING, 'OVERSIZE_HANDLING', 'OversizeHandling')],
  ['JA4Fingerprint field', byteMatch({ JA4Fingerprint: { FallbackBehavior: 'MATCH' } }), reason('palisade serves plain HTTP on loopback and sees no TLS Client Hello, so it cannot evaluate JA4Fingerprint', 'FIELD_TO_MATCH', 'JA4Fingerprint')],
];

for (const [name, statement, expected] of CASES) {
  test(`validate ${name}`, () => {
    assert.equal(rejectionOf(statement), expected);
  });
}

test('validate RateBased WCU with custom keys and scope-down', () => {
  const statement = rate({
    AggregateKeyType: 'CUSTOM_KEYS',
    CustomKeys: [{ HTTPMethod: {} }, { Header: { Name: 'x-key', TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }] } }],
    ScopeDownStatement: byteMatch({ UriPath: {} }),
  });
  assert.equal(validateStatement(statement, true), 2 + 30 + 30 + 10 + 2);
});

let palisade: TestPalisade;
let client: WAFV2Client;

before(async () => {
  palisade = await startTestPalisade();
  client = new WAFV2Client({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

const visibility = (name: string) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name });

test('CreateWebACL stores geo, rate-based and JsonBody rules', async () => {
  const rules = [
    { Name: 'geo', Priority: 0, Statement: { GeoMatchStatement: { CountryCodes: ['US'] as any } }, Action: { Count: {} }, VisibilityConfig: visibility('geo') },
    { Name: 'rate', Priority: 1, Statement: { RateBasedStatement: { Limit: 10, AggregateKeyType: 'IP' as const, EvaluationWindowSec: 60 } }, Action: { Block: {} }, VisibilityConfig: visibility('rate') },
    {
      Name: 'json',
      Priority: 2,
      Statement: { ByteMatchStatement: { SearchString: Buffer.from('x'), FieldToMatch: { JsonBody: { MatchPattern: { All: {} }, MatchScope: 'VALUE' as const } }, PositionalConstraint: 'EXACTLY' as const, TextTransformations: NONE as any } },
      Action: { Block: {} },
      VisibilityConfig: visibility('json'),
    },
  ];
  const { Summary } = await client.send(new CreateWebACLCommand({ Name: 'engine', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, Rules: rules, VisibilityConfig: visibility('engine') }));
  const { WebACL } = await client.send(new GetWebACLCommand({ Name: 'engine', Scope: 'REGIONAL', Id: Summary!.Id }));
  assert.deepEqual(WebACL!.Rules!.map((r) => Object.keys(r.Statement!)[0]), ['GeoMatchStatement', 'RateBasedStatement', 'ByteMatchStatement']);
  assert.equal(WebACL!.Rules![1].Statement!.RateBasedStatement!.Limit, 10);
});

test('CheckCapacity rejects a JA3Fingerprint field over the wire', async () => {
  const rules = [{
    Name: 'ja3',
    Priority: 0,
    Statement: { ByteMatchStatement: { SearchString: Buffer.from('x'), FieldToMatch: { JA3Fingerprint: { FallbackBehavior: 'MATCH' as const } }, PositionalConstraint: 'EXACTLY' as const, TextTransformations: NONE as any } },
    Action: { Block: {} },
    VisibilityConfig: visibility('ja3'),
  }];
  const error = await client.send(new CheckCapacityCommand({ Scope: 'REGIONAL', Rules: rules })).then(() => undefined, (e: any) => e);
  assert.equal(error?.name, 'WAFInvalidParameterException');
  assert.equal(error?.$metadata.httpStatusCode, 400);
  assert.equal(error?.Field, 'FIELD_TO_MATCH');
  assert.equal(error?.Parameter, 'JA3Fingerprint');
});
