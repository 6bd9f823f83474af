import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSqlInjection } from '../../src/services/wafv2/detectors/sqli.ts';
import { detectXss } from '../../src/services/wafv2/detectors/xss.ts';

const LOW_ATTACKS: [string, string][] = [
  ['1 or 1=1', 'tautology'],
  ["' or '1'='1", 'tautology'],
  ["1' OR 'a'='a", 'tautology'],
  ['" or ""="', 'tautology'],
  ['1/**/or/**/1=1', 'tautology'],
  ['1 union select null,null', 'union-select'],
  ['-1 UNION ALL SELECT password FROM users', 'union-select'],
  ['1; drop table users', 'stacked-query'],
  ["admin'--", 'comment-truncation'],
  ["admin')#", 'comment-truncation'],
  ['1 and sleep(5)', 'probe-function'],
  ['benchmark(10000000,md5(1))', 'probe-function'],
  ["1; waitfor delay '0:0:5'--", 'waitfor-delay'],
  ["' or 1--", 'quote-logic-terminated'],
  ['select * from users', 'select-expression'],
  ['select @@version', 'select-expression'],
  ['1 and (select 1 from dual)', 'subquery'],
  ['1--', 'value-comment'],
  ['1 and ascii(substring(user(),1,1))>64', 'logic-function'],
  ['2 group by 7 -- ', 'value-order-by-number'],
];

const HIGH_ONLY_ATTACKS = ['1 or a=b', "' and x", 'select name from users', '1 order by 3', '@@version', 'having 1=1'];

const BENIGN = [
  '123', '2', '1', '-5', '3.14', 'hello', 'John Smith', "O'Brien", "it's a nice day", "Don't stop me now", "It's 5 o'clock",
  'john.doe@example.com', 'https://example.com/path?a=1&b=2', 'The quick brown fox', "rock 'n' roll", 'I like cats or dogs',
  'choose 1 or 2', "D'Angelo or Smith", 'get some sleep (8 hours)', "Tom's and Jerry's", 'C# and F#', 'Order by phone', 'union station',
];

for (const [input, rule] of LOW_ATTACKS) {
  test(`sqli LOW flags ${input}`, () => {
    const verdict = detectSqlInjection(input, 'LOW');
    assert.equal(verdict.matched, true);
    assert.equal(verdict.rule, rule);
    assert.ok(verdict.reason);
  });
}

for (const input of HIGH_ONLY_ATTACKS) {
  test(`sqli HIGH only flags ${input}`, () => {
    assert.equal(detectSqlInjection(input, 'LOW').matched, false);
    assert.equal(detectSqlInjection(input, 'HIGH').matched, true);
  });
}

for (const input of BENIGN) {
  test(`sqli ignores benign ${input}`, () => {
    assert.deepEqual(detectSqlInjection(input, 'LOW'), { matched: false });
    assert.deepEqual(detectSqlInjection(input, 'HIGH'), { matched: false });
  });
}

test('sqli verdict records context and fingerprint', () => {
  const verdict = detectSqlInjection("' or '1'='1");
  assert.equal(verdict.context, "'");
  assert.equal(verdict.fingerprint, 's&sos');
});

const XSS_ATTACKS: [string, string][] = [
  ['<script>alert(1)</script>', 'active-tag'],
  ['<img src=x onerror=alert(1)>', 'event-handler'],
  ['<svg/onload=alert(1)>', 'active-tag'],
  ['<img/src=x onerror=alert(1)>', 'event-handler'],
  ['javascript:alert(1)', 'script-url'],
  ['<a href=" java\tscript:alert(1)">x</a>', 'script-url'],
  ['<IFRAME SRC=//x>', 'active-tag'],
];

for (const [input, rule] of XSS_ATTACKS) {
  test(`xss flags ${input}`, () => {
    const verdict = detectXss(input);
    assert.equal(verdict.matched, true);
    assert.equal(verdict.rule, rule);
  });
}

for (const input of ['a < b and c > d', '<b>bold</b>', 'I <3 you', '<a href="https://example.com">ok</a>', 'online shopping']) {
  test(`xss ignores benign ${input}`, () => {
    assert.deepEqual(detectXss(input), { matched: false });
  });
}
