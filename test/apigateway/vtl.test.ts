import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate, type TemplateInput } from '../../src/services/apigateway/execution/vtl.ts';
import { base64Decode, escapeJavaScript, urlDecode, urlEncode } from '../../src/services/apigateway/execution/util.ts';

function input(body: string, overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    body,
    params: { path: { player: 'messi' }, querystring: { id: '1', player: 'ronaldo' }, header: { 'x-team': 'blue' } },
    context: { stage: 'Dev', requestId: 'req-1', authorizer: { claims: { sub: 'user-1' } } },
    stageVariables: { table: 'players' },
    ...overrides,
  };
}

const text = (template: string, body = '', overrides: Partial<TemplateInput> = {}) => renderTemplate(template, input(body, overrides)).text;

describe('mapping template $input', () => {
  test('params by name looks up path, query, header', () => {
    assert.equal(text("$input.params('player')"), 'messi');
    assert.equal(text("$input.params('id')"), '1');
    assert.equal(text("$input.params('X-Team')"), 'blue');
    assert.equal(text("[$input.params('missing')]"), '[]');
  });

  test('params without a name prints the Java map form', () => {
    assert.equal(text('$input.params()'), '{path={player=messi}, querystring={id=1, player=ronaldo}, header={x-team=blue}}');
    assert.equal(text("$input.params().querystring.get('id')"), '1');
  });

  test('lab request template renders the event', () => {
    assert.equal(text('{\n "id": "$input.params(\'id\')"  \n}'), '{\n "id": "1"  \n}');
  });

  test('path over a JSON array prints JSON', () => {
    assert.equal(text("$input.path('$')", '["My favorite player is Lionel Messi"]'), '["My favorite player is Lionel Messi"]');
  });

  test('path selects members, items and sizes', () => {
    const body = '{"players":[{"name":"Messi","goals":800},{"name":"Son"}],"team":{"city":"Miami"}}';
    assert.equal(text("$input.path('$.players[0].name')", body), 'Messi');
    assert.equal(text("$input.path('$.players').size()", body), '2');
    assert.equal(text("$input.path('$.team')", body), '{"city":"Miami"}');
    assert.equal(text("#foreach($p in $input.path('$.players'))$p.name;#end", body), 'Messi;Son;');
    assert.equal(text("[$input.path('$.nothing')]", body), '[]');
  });

  test('json returns JSON text', () => {
    const body = '{"name":"Messi","tags":["a","b"]}';
    assert.equal(text("$input.json('$.name')", body), '"Messi"');
    assert.equal(text("$input.json('$.tags')", body), '["a","b"]');
    assert.equal(text('$input.body', body), body);
  });

  test('invalid JSON body raises when read as JSON', () => {
    assert.throws(() => text("$input.path('$')", 'not json'), /Could not parse request body into json/);
  });

  test('context and stage variables', () => {
    assert.equal(text('$context.stage $context.requestId $context.authorizer.claims.sub $stageVariables.table'), 'Dev req-1 user-1 players');
  });

  test('responseOverride status is returned', () => {
    const rendered = renderTemplate('#set($context.responseOverride.status = 418)teapot', input(''));
    assert.equal(rendered.text, 'teapot');
    assert.equal(rendered.responseOverride.status, 418);
  });
});

describe('mapping template $util', () => {
  test('escapeJavaScript follows the Java escaping', () => {
    assert.equal(escapeJavaScript(`it's "x"\n/\\`), `it\\'s \\"x\\"\\n\\/\\\\`);
    assert.equal(escapeJavaScript('é'), '\\u00E9');
    assert.equal(text("$util.escapeJavaScript($input.params('id'))"), '1');
  });

  test('urlEncode and urlDecode as Java URLEncoder', () => {
    assert.equal(urlEncode("a b&c=d!'()~*"), "a+b%26c%3Dd%21%27%28%29%7E*");
    assert.equal(urlDecode('a+b%26c'), 'a b&c');
    assert.equal(text("$util.urlEncode('1 or 1=1')"), '1+or+1%3D1');
  });

  test('base64 round trip', () => {
    assert.equal(text("$util.base64Encode('Lionel Messi')"), 'TGlvbmVsIE1lc3Np');
    assert.equal(base64Decode('TGlvbmVsIE1lc3Np'), 'Lionel Messi');
    assert.equal(text("$util.base64Decode('TGlvbmVsIE1lc3Np')"), 'Lionel Messi');
  });

  test('parseJson gives a usable object', () => {
    assert.equal(text("#set($o = $util.parseJson('{\"a\":{\"b\":2}}'))$o.a.b"), '2');
  });
});
