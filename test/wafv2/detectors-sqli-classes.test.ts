import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSqlInjection, lowestMatchingLevel } from '../../src/services/wafv2/detectors/sqli.ts';

/** Made-up attacks of each class the LOW rules take, with the rule that must name them. */
const LOW_CLASSES: [string, string][] = [
  ["7' - 2 or 'x", 'quote-operator-expression'],
  ["bob'^1+1-1=(1)-- -", 'quote-operator-expression'],
  ["pat'|col&&'z", 'quote-operator-expression'],
  ["ann'=total--", 'quote-operator-expression'],
  ["ORD-5' is \\N or '1", 'quote-operator-expression'],
  ['SELECT LOWER(', 'open-function-call'],
  ['if(42=', 'open-function-call'],
  ['sum(3,floor(rand()', 'open-function-call'],
  ['round(', 'open-function-call'],
  ['or 7=(', 'leading-logic-comparison'],
  ['and qty != "', 'leading-logic-comparison'],
  ['=&&(k=3)', 'leading-logic-comparison'],
  ["select 'a','b',null", 'select-constant-list'],
  ['-5 union 4,5,6--', 'select-constant-list'],
  ['CASE WHEN 3=4 THEN 5 ELSE 6 END', 'case-expression'],
  [';while 2=2 drop t', 'stacked-condition'],
  ['x; if 4>3 then', 'stacked-condition'],
  ['declare @n int(4)', 'declare-variable'],
  ['declare @row', 'declare-variable'],
  [') AS qty FROM', 'column-alias-from'],
  ['count(id) as n from', 'column-alias-from'],
  ['from information_schema.columns', 'from-catalog'],
  ['IN (4,5,6)', 'condition-fragment'],
  ['is null', 'condition-fragment'],
  ['2=2', 'constant-tautology'],
  ['7 like 7', 'constant-tautology'],
  ['5 <> 6', 'constant-tautology'],
  ['DELETE FROM orders;--', 'statement-structure'],
  ['update stock set qty = 0', 'statement-structure'],
  ['insert into log values (1)', 'statement-structure'],
  ['DROP TABLE t', 'statement-structure'],
  ['drop t;--', 'statement-structure'],
  ['lower(x)::text', 'postgres-cast'],
  ["'7'::int", 'postgres-cast'],
  ['(5)::bool', 'postgres-cast'],
];

for (const [input, rule] of LOW_CLASSES) {
  test(`sqli LOW class ${rule} takes ${input}`, () => {
    const verdict = detectSqlInjection(input, 'LOW');
    assert.equal(verdict.matched, true);
    assert.equal(verdict.rule, rule);
    assert.equal(detectSqlInjection(input, 'HIGH').matched, true);
    assert.equal(lowestMatchingLevel(input), 'LOW');
  });
}

/** Made-up text close to the classes above, which neither level flags. */
const NEAR_MISSES = [
  // Quotes as inch and foot marks, apostrophes and quoted words followed by operators and words.
  'size 12" or 14"', 'shoes 9"&page=3', 'board 4\'+x+4\'', 'gear 2 3/4" - brass', "Rockin' - new album", '"LIKE" BUTTON',
  '"NOT FOR SALE"', "Dancin' like nobody", '"*"', 'pack (8.5x11"-300 DPI) -- 10 papers', "it's you' or them",
  // Function names and parentheses in text.
  'max(3)', 'user(s)', 'call me (if', 'lpad(',
  // Logic words, lists and CASE in prose.
  'and so on', 'or more = better', 'select 1, 2 or 3', 'in case when it rains then we stay home',
  // Semicolons, DECLARE and aliases in prose.
  'meet at 5; if 4 people come', 'declare @total varchar', 'I declare @bob the winner', '(see above) as well from',
  'from information to action', 'in (spring, summer)',
  // Numbers compared falsely or in arithmetic, and statement verbs in sentences.
  '2=3', '3 - 2 = 1', 'drop table tennis for a week', 'drop me a line', 'please delete from list', 'update: set for monday',
  'create it; then', 'made by Foo::bar', 'fe80::1',
  // Code and markup with quotes and parentheses.
  'if (ready &&', 'key: "<user_id>",', "import x from 'is-set';",
];

for (const input of NEAR_MISSES) {
  test(`sqli leaves near-miss text ${input}`, () => {
    assert.deepEqual(detectSqlInjection(input, 'LOW'), { matched: false });
    assert.deepEqual(detectSqlInjection(input, 'HIGH'), { matched: false });
    assert.equal(lowestMatchingLevel(input), undefined);
  });
}

/** A quote closed and followed by an operator and a column: SQL-shaped, but too close to text for LOW. */
const HIGH_ONLY = ["x' = col", "o' - j", "x' or y"];

for (const input of HIGH_ONLY) {
  test(`sqli HIGH only takes ${input}`, () => {
    assert.equal(detectSqlInjection(input, 'LOW').matched, false);
    const verdict = detectSqlInjection(input, 'HIGH');
    assert.equal(verdict.matched, true);
    assert.equal(verdict.rule, 'quote-operator');
    assert.equal(lowestMatchingLevel(input), 'HIGH');
  });
}

test('sqli reads \\N as NULL and &# as a character reference', () => {
  assert.equal(detectSqlInjection("1'*\\N or 'b", 'LOW').fingerprint, 'sok&s');
  // Read as `&` and a `#` comment, this would be a closed quote, an operator and a comment.
  assert.equal(detectSqlInjection('x"&#8; --', 'LOW').matched, false);
});

test('sqli open-function-call ignores a long value cut at the token limit', () => {
  const long = `count(${'1, '.repeat(30)}`;
  assert.equal(detectSqlInjection(long, 'LOW').matched, false);
});
