import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSqlInjection } from '../../src/services/wafv2/detectors/sqli.ts';
import { detectXss } from '../../src/services/wafv2/detectors/xss.ts';
import { decodeHtmlEntities } from '../../src/services/wafv2/detectors/html-entities.ts';

/** One sample per SQL-injection class the LOW rules cover, with the rule that must name it. */
const SQLI_CLASSES: [string, string][] = [
  ['1 or 1=system_user', 'logic-function'],
  ['select 1,sin(2),3 from bar', 'select-list-from'],
  ['(select id from users limit 1,1)', 'leading-subquery'],
  ["c' order by 99", 'value-order-by-number'],
  ["1 into outfile '/tmp/x'", 'into-outfile'],
  ['1*1--', 'expression-comment'],
  ["aa'|3!='4", 'quote-comparison'],
  ['1;set @s=0x73', 'stacked-assignment'],
  ["A' | 'B", 'quote-operator-quote'],
  ["A' MOD 'B", 'quote-operator-quote'],
  ['-234 union', 'number-union'],
  ['13 and 5=@@version', 'logic-system-variable'],
  ['1 group by concat(version(),floor(rand(0)*2))', 'group-by-function'],
  ["( COS ( 'a' OR 'b') ) --", 'parenthesized-expression-comment'],
  ["EXEC sp_add_job @job_name = 'x'", 'exec-procedure'],
  ["' OR UserID IS NOT 2", 'quote-logic-expression'],
  ['456 + ASCII(substring(passwd,1,1))-10', 'arithmetic-function'],
  ['LENGTH(version())', 'information-function'],
  ["A' NOT LIKE 'B", 'quote-compare-quote'],
  ['user\'collate nocase--', 'quote-collate'],
  ['@version--', 'value-comment'],
  ['HOPE AND 1+2=3+4', 'tautology'],
  ['1 AND 1 NOT LIKE 0', 'tautology'],
  ["aa'or BINARY 1= '1", 'tautology'],
  ["' and (false)--", 'quote-logic-terminated'],
  ['1.UNION SELECT 2', 'union-select'],
  ['3/*!union*//*!select*/1,2', 'union-select'],
];

for (const [input, rule] of SQLI_CLASSES) {
  test(`sqli LOW names ${rule} for ${input}`, () => {
    const verdict = detectSqlInjection(input, 'LOW');
    assert.equal(verdict.matched, true);
    assert.equal(verdict.rule, rule);
    assert.equal(detectSqlInjection(input, 'HIGH').matched, true);
  });
}

/** Benign inputs close to the classes above: names, prose with quotes and operators, emails, URLs, JSON, numbers. */
const SQLI_BENIGN = [
  "O'Neil and D'Angelo", "Dancin' like a robot", 'BROWNING "LIKE"', '"IS" STAMP', '"*"', '"#2 MOM"', "CUSTOMDRESSES' --INFANT",
  'Apt is gated; call when you get here', '1; exec will create the case 7', '"AND WHEN THE KIDS ARE OLD"', 'necklace length 16" or 18"',
  'select one from the list', '(select all that apply)', 'get some sleep (8 hours)', 'Route 66', 'order 3 by phone',
  'jane.doe+tag@example.co.uk', 'https://example.com/search?q=a%20b&page=2', '{"id":7,"tags":["a","b"],"ok":true}', '-12.5e3',
  '2024-01-31', '3 - 2 = 1', 'union station', 'version 2 (beta)',
];

for (const input of SQLI_BENIGN) {
  test(`sqli LOW stays clean on ${input}`, () => {
    assert.deepEqual(detectSqlInjection(input, 'LOW'), { matched: false });
  });
}

/** One sample per XSS class the detector covers, with the rule that must name it. */
const XSS_CLASSES: [string, string][] = [
  ['<!--<img src="--><img src=x onerror=alert(1)//">', 'event-handler'],
  ['<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>', 'active-tag'],
  ['<style>@import"//x/x.css";</style>', 'active-tag'],
  ['<link rel=stylesheet href=//x/x.css>', 'active-tag'],
  ['" onmouseover="alert(1)', 'event-handler'],
  ['x onerror=alert(1)>', 'event-handler'],
  ['onmouseover=alert(1);', 'event-handler'],
  ['<a href="&#106;avascript&colon;alert(1)">x</a>', 'script-url'],
  ['<IMG SRC=`javascript:alert(1)`>', 'script-url'],
  ['<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', 'script-url'],
  ['<math><a xlink:href="//x/x.js">x</a></math>', 'script-url'],
  ['<div style="x:expr/**/ession(alert(1))">', 'style-script'],
  ['<div style="font-family:foo}color=red;">', 'style-script'],
  ['s" style=x:expression(alert(1))', 'style-script'],
  ['a=k:v;m:url(javascript:alert(1))', 'style-script'],
  ['<set attributeName="onmouseover" to="alert(1)"/>', 'animation-attribute'],
  ['<span datasrc=#x datafld=b dataformatas=html></span>', 'data-binding'],
  ['<!ENTITY x SYSTEM "http://127.0.0.1/x">', 'xml-declaration'],
  ['<?xml-stylesheet href="//x/x.xsl"?>', 'xml-declaration'],
  ['ja&Tab;vascript:alert(1)', 'script-url'],
  ['\uff1cscript\uff1ealert(1)\uff1c/script\uff1e', 'active-tag'],
  ['+ADw-script+AD4-alert(1)+ADw-/script+AD4-', 'active-tag'],
  ['document /*x*/ . cookie', 'dom-access'],
  ['self["document"]["cookie"]', 'dom-access'],
  ['<scr\0ipt>alert(1)</script>', 'active-tag'],
];

for (const [input, rule] of XSS_CLASSES) {
  test(`xss names ${rule} for ${input}`, () => {
    const verdict = detectXss(input);
    assert.equal(verdict.matched, true);
    assert.equal(verdict.rule, rule);
  });
}

const XSS_BENIGN = [
  'BLAH <A HREF="/PATH1/PATH2">FOO</A>', '<SPAN CLASS="SHOW-TEXT">REGARDEZ</SPAN>', '<br />', 'a < b and c > d', 'I <3 you',
  'one=two three=four', 'regular expression (regex)', 'style=color:red;background:white', '<img src="data:image/png;base64,iVBORw0=">',
  'john.doe@example.com', 'https://example.com/a.b?c=d&e=f', '{"html":"<b>bold</b>","n":1}', 'the document. Cookie policy',
  'LAPTOP CASE 14&#39;', '1+1=2',
];

for (const input of XSS_BENIGN) {
  test(`xss stays clean on ${input}`, () => {
    assert.deepEqual(detectXss(input), { matched: false });
  });
}

test('entity decoding for hidden schemes', () => {
  assert.equal(decodeHtmlEntities('&#106&#x61;v&#97;script&colon;alert&lpar;1&rpar;'), 'javascript:alert(1)');
  assert.equal(decodeHtmlEntities('a &unknown; b &amp; c'), 'a &unknown; b & c');
});

test('long inputs are judged in linear time', () => {
  // 200 KB of one word must not take quadratic backtracking (a regex over `\w*\.` would).
  const long = 'x'.repeat(200_000);
  assert.deepEqual(detectXss(`${long}.`), { matched: false });
  assert.deepEqual(detectSqlInjection(long, 'HIGH'), { matched: false });
});
