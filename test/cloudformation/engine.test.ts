import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, NO_VALUE, type EvaluationContext } from '../../src/services/cloudformation/template/intrinsics.ts';
import { evaluateConditions } from '../../src/services/cloudformation/template/conditions.ts';
import { dependencyOrder } from '../../src/services/cloudformation/template/graph.ts';
import { parseTemplate } from '../../src/services/cloudformation/template/parse.ts';
import { resolveParameters } from '../../src/services/cloudformation/template/parameters.ts';
import { resolveDynamicReferences } from '../../src/services/cloudformation/template/dynamic-references.ts';
import { expandTransforms } from '../../src/services/cloudformation/template/sam.ts';
import { checkProperties } from '../../src/services/cloudformation/provisioners/types.ts';
import { provisionerFor } from '../../src/services/cloudformation/provisioners/index.ts';
import { crc32 } from '../../src/services/cloudformation/zip.ts';

function context(overrides: Partial<EvaluationContext> = {}): EvaluationContext {
  return {
    pseudoParameters: { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::StackName': 'walab-api', 'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/walab-api/1', 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' },
    parameters: { Env: 'prod', Subnets: ['subnet-a', 'subnet-b'] },
    conditions: { IsProd: true },
    mappings: { Sizes: { prod: { Memory: '256' } } },
    resourceIds: new Set(['Api', 'Db']),
    ref: (id) => `${id}-physical`,
    getAtt: (id, attribute) => `${id}.${attribute}-value`,
    ...overrides,
  };
}

test('YAML short forms expand to long forms', () => {
  const template = parseTemplate(`
Resources:
  A:
    Type: AWS::EC2::VPC
    Properties:
      One: !Ref Env
      Two: !GetAtt Db.Endpoint.Address
      Three: !GetAtt [Db, Arn]
      Four: !Sub ['\${X}', { X: !Ref Env }]
      Five: !Join [',', [!Select [0, !Split ['|', 'a|b']], !If [IsProd, yes, no]]]
      Six: !Not [!Equals [!Ref Env, dev]]
`);
  const props = template.Resources.A.Properties;
  assert.deepEqual(props.One, { Ref: 'Env' });
  assert.deepEqual(props.Two, { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] });
  assert.deepEqual(props.Three, { 'Fn::GetAtt': ['Db', 'Arn'] });
  assert.deepEqual(props.Four, { 'Fn::Sub': ['${X}', { X: { Ref: 'Env' } }] });
  assert.deepEqual(props.Six, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] }] });
});

test('Sub with pseudo parameters and attributes', () => {
  const value = evaluate({ 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${AWS::StackName}/${Db.Endpoint.Address}/${!Literal}' }, context());
  assert.equal(value, 'https://Api-physical.execute-api.us-east-1.amazonaws.com/walab-api/Db.Endpoint.Address-value/${Literal}');
});

test('Join, Select, Split, If, FindInMap, Base64', () => {
  const ctx = context();
  assert.equal(evaluate({ 'Fn::Join': ['-', ['a', { Ref: 'Env' }, 1]] }, ctx), 'a-prod-1');
  assert.equal(evaluate({ 'Fn::Select': ['1', { Ref: 'Subnets' }] }, ctx), 'subnet-b');
  assert.deepEqual(evaluate({ 'Fn::Split': ['/', 'https://x.example/Dev'] }, ctx), ['https:', '', 'x.example', 'Dev']);
  assert.equal(evaluate({ 'Fn::If': ['IsProd', 'big', 'small'] }, ctx), 'big');
  assert.equal(evaluate({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Memory'] }, ctx), '256');
  assert.equal(evaluate({ 'Fn::Base64': 'hi' }, ctx), 'aGk=');
});

test('AWS::NoValue removes the property', () => {
  const value = evaluate({ Keep: 'x', Drop: { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 'y'] }, List: ['a', { Ref: 'AWS::NoValue' }] }, context());
  assert.deepEqual(value, { Keep: 'x', List: ['a'] });
  assert.equal(evaluate({ Ref: 'AWS::NoValue' }, context()), NO_VALUE);
});

test('unknown intrinsic function fails naming it', () => {
  assert.throws(() => evaluate({ 'Fn::Bogus': 'x' }, context()), { name: 'ValidationError', message: 'Template error: Unrecognized intrinsic function Fn::Bogus' });
  assert.throws(() => evaluate({ 'Fn::ImportValue': 'x' }, context()), { message: /Fn::ImportValue/ });
});

test('conditions with Equals, Not, And, Or, Condition', () => {
  const base = context();
  const results = evaluateConditions({
    IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'a'] }] },
    Either: { 'Fn::Or': [{ Condition: 'IsDev' }, { Condition: 'IsDev' }] },
  }, base);
  assert.deepEqual(results, { IsProd: true, IsDev: false, Both: true, Either: false });
});

test('dependency order follows Ref, GetAtt, Sub and DependsOn', () => {
  const { order } = dependencyOrder({
    Api: { Type: 'T', Properties: { Uri: { 'Fn::Sub': '${Fn.Arn}' } } },
    Fn: { Type: 'T', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
    Role: { Type: 'T' },
    Deployment: { Type: 'T', DependsOn: 'Api', Properties: { RestApiId: { Ref: 'Api' } } },
    Custom: { Type: 'T', DependsOn: ['Deployment', 'Role'] },
  });
  assert.deepEqual(order, ['Role', 'Fn', 'Api', 'Deployment', 'Custom']);
});

test('cycle is Circular dependency error', () => {
  assert.throws(
    () => dependencyOrder({ A: { Type: 'T', Properties: { X: { Ref: 'B' } } }, B: { Type: 'T', DependsOn: 'A' }, C: { Type: 'T', DependsOn: 'B' } }),
    { name: 'ValidationError', message: 'Circular dependency between resources: [A, B]' },
  );
});

test('DependsOn unknown resource is rejected', () => {
  assert.throws(() => dependencyOrder({ A: { Type: 'T', DependsOn: 'Nope' } }), {
    message: 'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template',
  });
});

test('parameters: defaults, AllowedValues, missing, unknown', () => {
  const declarations = { Env: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'dev' }, Size: { Type: 'Number' } };
  assert.deepEqual(resolveParameters(declarations, [{ ParameterKey: 'Size', ParameterValue: '3' }]), { Env: 'dev', Size: '3' });
  assert.throws(() => resolveParameters(declarations, [{ ParameterKey: 'Env', ParameterValue: 'qa' }, { ParameterKey: 'Size', ParameterValue: '1' }]), { message: "Parameter 'Env' must be one of AllowedValues" });
  assert.throws(() => resolveParameters(declarations, []), { message: 'Parameters: [Size] must have values' });
  assert.throws(() => resolveParameters(declarations, [{ ParameterKey: 'Other', ParameterValue: 'x' }]), { message: 'Parameters: [Other] do not exist in the template' });
});

test('dynamic references resolve through the reader', async () => {
  const seen: unknown[] = [];
  const value = await resolveDynamicReferences({ Password: 'pw={{resolve:secretsmanager:MySecret:SecretString:password}}' }, async (input) => {
    seen.push(input);
    return { SecretString: '{"password":"s3cret"}' };
  });
  assert.deepEqual(value, { Password: 'pw=s3cret' });
  assert.deepEqual(seen, [{ SecretId: 'MySecret' }]);
  await assert.rejects(resolveDynamicReferences('{{resolve:ssm:/x}}', async () => ({})), { message: /ssm/ });
});

test('a resolved password keeps its dollar signs literally', async () => {
  // Generated passwords may hold `$&`, `$'` or `` $` ``, which String.replace would expand.
  const password = "a$&b$'c$`d$$e";
  const value = await resolveDynamicReferences('x{{resolve:secretsmanager:S:SecretString:password}}y', async () => ({ SecretString: JSON.stringify({ password }) }));
  assert.equal(value, `x${password}y`);
});

test('SAM function expands; Events is rejected', () => {
  const template = { Transform: 'AWS::Serverless-2016-10-31', Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { CodeUri: 'fn/', Handler: 'index.handler', Runtime: 'nodejs20.x', Role: 'arn:aws:iam::1:role/r' } } } };
  const expanded = expandTransforms(template, '/base');
  assert.equal(expanded.Resources.Fn.Type, 'AWS::Lambda::Function');
  assert.deepEqual(expanded.Resources.Fn.Properties.Code, { 'Palisade::LocalDirectory': '/base/fn' });
  const withEvents = structuredClone(template) as any;
  withEvents.Resources.Fn.Properties.Events = { Get: { Type: 'Api' } };
  assert.throws(() => expandTransforms(withEvents, '/base'), { message: /Events property of AWS::Serverless::Function Fn/ });
});

test('unsupported type and property fail naming them', () => {
  assert.throws(() => provisionerFor('AWS::S3::Bucket'), { message: 'palisade does not support the resource type AWS::S3::Bucket' });
  const lambda = provisionerFor('AWS::Lambda::Function');
  assert.throws(() => checkProperties('AWS::Lambda::Function', lambda, { Code: {}, Role: 'r', Layers: [] }), { message: 'palisade does not support property Layers of AWS::Lambda::Function' });
  assert.throws(() => checkProperties('AWS::Lambda::Function', lambda, { Code: {}, Role: 'r', Colour: 'red' }), { message: 'Encountered unsupported property Colour' });
});

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});
