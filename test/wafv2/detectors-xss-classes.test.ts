import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectXss } from '../../src/services/wafv2/detectors/xss.ts';

/** Made-up samples per attack class, each with the rule that must name it. */
const ATTACKS: [string, string][] = [
  // Event handlers after a closed value: a real event name, or an empty value probing for `on...=`.
  ['" onerror=handle', 'event-handler'],
  ["' onpointerdown= ", 'event-handler'],
  ['  onanythingatall= ', 'event-handler'],
  // CSS `url()` whose script scheme ends the value.
  ['k=v;x:url(vbscript', 'style-script'],
  // A tag's style attribute that fetches a resource.
  ['<p style="background:url(//img.test/x.svg)">', 'style-script'],
  // A CSS comment opener inside a string hides nothing, but a comment after it does.
  [`<a style='a:b("/*");c:ex/**/pression(f())'>`, 'style-script'],
  // Calls of code globals without markup.
  ['setTimeout(f, 9)', 'script-call'],
  ['eval (x)', 'script-call'],
  ['";confirm()//', 'script-call'],
  ["new Function('x')()", 'script-call'],
  ['alert`9`', 'script-call'],
  // Calls through a tagged template, which need no parentheses.
  ['[].map.call`${f}`', 'script-call'],
  ['x . y . call ` z `', 'script-call'],
  // A global indexed by a quoted name.
  ["top['x']", 'dom-access'],
  ['(window /* c */)["y"]', 'dom-access'],
  // JSFuck.
  ['+!![]', 'script-call'],
  ['[][[]]', 'script-call'],
  // Template expressions that call or reach the Function constructor.
  ['{{ a.constructor }}', 'script-call'],
  ['{{x()}}', 'script-call'],
  // An active tag with an empty namespace prefix.
  ['<:vmlframe src=x>', 'active-tag'],
];

for (const [input, rule] of ATTACKS) {
  test(`xss class ${rule} flags ${input}`, () => {
    const verdict = detectXss(input);
    assert.equal(verdict.matched, true);
    assert.equal(verdict.rule, rule);
  });
}

/** Made-up near misses: each shares a shape with a class above and must stay clean. */
const NEAR_MISSES = [
  'status online=yes',
  'a/b/ontest=',
  'x onwordlongerthananyeventnamethatabrowserdefines= ',
  'see url(javascript-guide.html)',
  'style=background:url(/x.png)',
  '<p style="color:red">',
  `<p style='content:"ex/**/pression("'>`,
  'Red alert (level 2)',
  'please confirm(ed)',
  'Confirm(yes)',
  'obj.eval(x)',
  'evaluation(x)',
  'use `a.b` here',
  '`a.b` and `c.d`',
  'laptop["x"]',
  '!!!',
  '[ ]',
  '(+)',
  '{{ name }}',
  '{{user.first}}',
  '<:D see you',
];

for (const input of NEAR_MISSES) {
  test(`xss class near miss stays clean: ${input}`, () => {
    assert.deepEqual(detectXss(input), { matched: false });
  });
}

test('code global calls scan linearly', () => {
  const long = 'x alert('.repeat(20_000);
  assert.deepEqual(detectXss(long), { matched: false });
});
