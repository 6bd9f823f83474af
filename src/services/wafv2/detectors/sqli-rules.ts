import type { QuoteContext, SqlToken, TokenType } from './sql-tokens.ts';

/**
 * Judgement rules of the SQL-injection detector. Each rule looks at the
 * folded token sequence of one quote context and names what it found. LOW
 * rules fire on shapes that ordinary text does not take; HIGH adds shapes
 * that are more often attacks than not, at the cost of some false positives,
 * as AWS documents for SensitivityLevel HIGH.
 */
export interface SqliRule {
  name: string;
  /**
   * Token types the rule cannot match without, every one of them. The
   * detector skips the rule when one is absent, so ordinary text meets
   * only the few rules it could match.
   */
  requires?: string;
  level: 'LOW' | 'HIGH';
  /** Returns a reason when the tokens match, else undefined. */
  test(tokens: SqlToken[], context: QuoteContext): string | undefined;
}

/** Functions whose only common use in a request is probing a database (time delays, file reads, error extraction). */
const PROBE_FUNCTIONS = new Set([
  'sleep', 'benchmark', 'pg_sleep', 'load_file', 'extractvalue', 'updatexml', 'xp_cmdshell',
  'dbms_pipe.receive_message', 'utl_inaddr.get_host_name', 'randomblob', 'name_const',
]);

const OPERAND: ReadonlySet<TokenType> = new Set(['1', 's', 'n', 'v']);
const LITERAL: ReadonlySet<TokenType> = new Set(['1', 's']);
/** Word operators that do arithmetic, unlike `LIKE` or `IS`, which also start prose. */
const ARITHMETIC_WORDS = new Set(['div', 'mod', 'xor']);
/** Functions that return facts about the database server: `version()`, `user()`. */
const INFORMATION_FUNCTIONS = new Set(['version', 'database', 'user', 'current_user', 'system_user', 'session_user', 'schema', 'db_name', 'current_database']);
/** Tokens that only SQL puts in a SELECT list: literals, function calls, variables, separators. */
const SQL_VALUE: ReadonlySet<TokenType> = new Set(['1', 's', 'f', 'v', ',', '(']);

function typeAt(tokens: SqlToken[], index: number): TokenType | undefined {
  return tokens[index]?.type;
}

/** `a <cmp> b` at `index`, where both operands are literals or the same name (a tautology or contradiction). */
function literalComparison(tokens: SqlToken[], index: number): boolean {
  const [left, op, right] = [tokens[index], tokens[index + 1], tokens[index + 2]];
  if (!left || !op || !right || op.type !== 'o' || !op.comparison) return false;
  if (LITERAL.has(left.type) && LITERAL.has(right.type)) return true;
  return left.type === 'n' && right.type === 'n' && left.value === right.value;
}

/** End index of a run of literals, arithmetic operators and parentheses starting at `index` (`(1+2)`), or `index` when there is none. */
function constantExpressionEnd(tokens: SqlToken[], index: number): number {
  let i = index;
  let depth = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token.type === '(') depth++;
    else if (token.type === ')') {
      if (depth === 0) break;
      depth--;
    } else if (!(LITERAL.has(token.type) || (token.type === 'o' && !token.comparison && /^[-+*/%^|&~]$/.test(token.value)))) break;
    i++;
  }
  return depth === 0 ? i : index;
}

/** `1+2=3+4`, `(8)=3` at `index`: two constant expressions compared. */
function constantExpressionComparison(tokens: SqlToken[], index: number): boolean {
  const leftEnd = constantExpressionEnd(tokens, index);
  const op = tokens[leftEnd];
  if (leftEnd === index || !op || op.type !== 'o' || !op.comparison) return false;
  return constantExpressionEnd(tokens, leftEnd + 1) > leftEnd + 1;
}

function anyComparison(tokens: SqlToken[], index: number): boolean {
  const [left, op, right] = [tokens[index], tokens[index + 1], tokens[index + 2]];
  if (!left || !op || !right || op.type !== 'o' || !op.comparison) return false;
  return (OPERAND.has(left.type) || left.type === 'f' || left.type === ')') && (OPERAND.has(right.type) || right.type === 'f' || right.type === '(');
}

/** True when a SQL function call comes within `span` tokens of `index`, with only literals, operators and `(` before it. */
function functionWithin(tokens: SqlToken[], index: number, span: number): boolean {
  for (let i = index; i < index + span && i < tokens.length; i++) {
    const type = tokens[i].type;
    if (type === 'f') return true;
    if (!(type === '(' || type === 'o' || LITERAL.has(type))) return false;
  }
  return false;
}

/** True for a quoted constant short enough to be the reopened end of an injection (`'z`, `'ab`), not a quoted phrase. */
function isShortString(token: SqlToken): boolean {
  return token.type === 's' && token.value.length <= 3;
}

/** Counts of what an operator expression is made of. */
interface ExpressionShape {
  operators: number;
  names: number;
  /** True when the expression contains a number, a logic operator, NULL, TRUE or FALSE. */
  sqlValue: boolean;
  /** True when the expression opens a parenthesis or contains a variable or a function call (`nvl(col)` too). */
  structure: boolean;
}

/** PostgreSQL type names that a `::` cast names. */
const SQL_TYPES = new Set([
  'int', 'integer', 'bigint', 'smallint', 'text', 'varchar', 'bool', 'boolean', 'json', 'jsonb', 'numeric', 'float', 'real',
  'double', 'date', 'timestamp', 'bytea', 'regclass', 'oid', 'inet', 'uuid', 'xml',
]);

/** Constants SQL writes as keywords: `NULL`, `TRUE`, `FALSE`, `UNKNOWN`. */
const KEYWORD_CONSTANTS = new Set(['null', 'true', 'false', 'unknown']);

/** Count the parts of `tokens[from..to)` when it is an operator expression only, else return undefined. */
function expressionShape(tokens: SqlToken[], from: number, to: number): ExpressionShape | undefined {
  const shape: ExpressionShape = { operators: 0, names: 0, structure: false, sqlValue: false };
  for (let i = from; i < to; i++) {
    const token = tokens[i];
    const called = token.type === 'n' && typeAt(tokens, i + 1) === '(';
    if (token.type === '1' || token.type === '&' || token.type === 'k') shape.sqlValue = true;
    if (token.type === 'o' || token.type === '&') {
      shape.operators++;
    } else if (token.type === 'n' && !called) {
      shape.names++;
    } else if (called || token.type === 'v' || token.type === 'f' || token.type === '(') {
      shape.structure = true;
    } else if (token.type === '1' && typeAt(tokens, i + 1) === 'n') {
      // A number followed by a word is a quantity in text (`40 pages`), not an operand.
      return undefined;
    } else if (!(token.type === '1' || token.type === ')' || token.type === ',' || isShortString(token) || (token.type === 'k' && KEYWORD_CONSTANTS.has(token.value)))) {
      return undefined;
    }
  }
  return shape;
}

/** Index after the `)` that closes the parenthesis at `open`, or `open` when there is none. */
function callEnd(tokens: SqlToken[], open: number): number {
  if (typeAt(tokens, open) !== '(') return open;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].type === '(') depth++;
    else if (tokens[i].type === ')' && --depth === 0) return i + 1;
  }
  return tokens.length;
}

/** Tokens that may come before a SQL function call in a bare SQL fragment: `SELECT`, `7,`, `=(`. */
const CALL_PREFIX: ReadonlySet<TokenType> = new Set(['(', ',', 'o', '&', '1', 'E']);
/** Most tokens the open-function-call rule reads before the call. */
const CALL_PREFIX_MAX_TOKENS = 8;

/** Index of the first SQL function call `f(` when only a short SQL prefix comes before it, else -1. */
function firstCallAfterSqlPrefix(tokens: SqlToken[]): number {
  for (let i = 0; i < tokens.length && i <= CALL_PREFIX_MAX_TOKENS; i++) {
    const token = tokens[i];
    if (token.type === 'f') return typeAt(tokens, i + 1) === '(' ? i : -1;
    if (!CALL_PREFIX.has(token.type) || (token.type === 'E' && token.value !== 'select')) return -1;
  }
  return -1;
}
/** Maximum length, in tokens, of a value the open-function-call rule judges: below the detector's token limit. */
const OPEN_CALL_MAX_TOKENS = 24;

/**
 * True when the tokens after a closing quote read as text rather than SQL. A quote after a number is an inch
 * or foot mark (`size 12" or 14"`), and two words in a row are prose (`Rockin' like mad`). A long quoted
 * phrase or punctuation at the end (`"NEW" SHOES`, `key: "<id>",`), a value that is one quoted symbol (`"+"`),
 * and `&name=` after the quote (`9"&page=3`, a query string) are text too.
 */
function isTextAfterQuote(tokens: SqlToken[]): boolean {
  const last = tokens[tokens.length - 1];
  if (/[0-9]$/.test(tokens[0].value) || (last.type === 's' && (last.value.length > 3 || /^[^\w\s]+$/.test(last.value)))) return true;
  if (tokens.length === 3 && tokens[0].value === '' && last.type === 's' && last.value === '') return true;
  for (let i = 1; i < tokens.length - 1; i++) {
    const [token, next] = [tokens[i], tokens[i + 1]];
    if ((token.type === 'n' || token.type === 'k' || isWordOperator(token)) && (next.type === 'n' || next.type === 'k')) return true;
    if (token.value === '&' && next.type === 'n' && tokens[i + 2]?.value === '=') return true;
  }
  return false;
}

/** Evaluate `left op right` for the comparisons an injected tautology uses, and return false for any other operator. */
function isTrueComparison(left: number, op: string, right: number): boolean {
  if (Number.isNaN(left) || Number.isNaN(right)) return false;
  if (op === '=' || op === '==' || op === '<=>' || op === 'like' || op === 'is') return left === right;
  if (op === '!=' || op === '<>' || op === 'not like' || op === 'is not') return left !== right;
  if (op === '<') return left < right;
  if (op === '>') return left > right;
  if (op === '<=') return left <= right;
  return op === '>=' && left >= right;
}

/** Database objects whose kind a DROP, CREATE, ALTER or TRUNCATE names before the object's name. */
const SCHEMA_OBJECTS = new Set(['table', 'database', 'schema', 'procedure']);

/** True when the statement ends at `index`: end of input, `;`, WHERE, or a comment SQL reads as one (`-- `, `#`, `/*`). */
function isStatementEnd(tokens: SqlToken[], index: number): boolean {
  const token = tokens[index];
  return !token || token.type === ';' || token.value === 'where' || (token.type === 'c' && !/^--[a-z0-9]/i.test(token.value));
}

/**
 * True when the statement keyword at `index` has its clause structure: UPDATE t SET c =, INSERT INTO t and
 * `(` or VALUES or SELECT, DELETE FROM t and `;` or WHERE or a comment, DROP TABLE t and an end, or DROP t and
 * a comment that ends the value.
 */
function isStatementStructure(tokens: SqlToken[], index: number): boolean {
  const verb = tokens[index].value;
  const [a, b, c, d] = [tokens[index + 1], tokens[index + 2], tokens[index + 3], tokens[index + 4]];
  if (verb === 'update') return a?.type === 'n' && b?.value === 'set' && c?.type === 'n' && d?.value === '=';
  if (verb === 'insert' || verb === 'replace') return a?.value === 'into' && b?.type === 'n' && (c?.type === '(' || c?.value === 'values' || c?.value === 'select');
  // A sentence can end in `delete from list`, so DELETE needs an explicit end.
  if (verb === 'delete') return a?.value === 'from' && b?.type === 'n' && index + 3 < tokens.length && isStatementEnd(tokens, index + 3);
  if (!(verb === 'drop' || verb === 'create' || verb === 'alter' || verb === 'truncate')) return false;
  if (a && SCHEMA_OBJECTS.has(a.value)) return b?.type === 'n' && isStatementEnd(tokens, index + 3);
  // Without TABLE or DATABASE the verb is SQL only when a comment cuts off the rest: `drop t;--`, not `create it; then`.
  return a?.type === 'n' && (b?.type === 'c' || (b?.type === ';' && c?.type === 'c')) && isStatementEnd(tokens, tokens.length - 1);
}

/** True for an operator spelled as a word (`LIKE`, `IS`, `NOT`), which text uses as a word. */
function isWordOperator(token: SqlToken): boolean {
  return token.type === 'o' && /^[a-z]/.test(token.value);
}

/** True when `token` is the keyword `word`, not a string or name with that text. */
function isKeyword(token: SqlToken | undefined, word: string): boolean {
  return token?.type === 'k' && token.value === word;
}

/** Index of the `(` that the `)` at `close` closes, or 0 when the value does not open it. */
function openingParenthesis(tokens: SqlToken[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (tokens[i].type === ')') depth++;
    else if (tokens[i].type === '(' && --depth === 0) return i;
  }
  return 0;
}

/** True when two plain words follow each other in `tokens[from..to)`, as in text and not in SQL. */
function hasAdjacentWords(tokens: SqlToken[], from: number, to: number): boolean {
  for (let i = from; i < to - 1; i++) if (tokens[i].type === 'n' && tokens[i + 1].type === 'n') return true;
  return false;
}

function isQuoteBreakout(tokens: SqlToken[], context: QuoteContext): boolean {
  return context !== 'none' && tokens[0]?.type === 's';
}

function findIndex(tokens: SqlToken[], predicate: (token: SqlToken, index: number) => boolean): number {
  for (let i = 0; i < tokens.length; i++) if (predicate(tokens[i], i)) return i;
  return -1;
}

export const SQLI_RULES: SqliRule[] = [
  {
    // `1 or 1=1`, `' or '1'='1`, `x' and 'a'='a`, `HOPE AND 1+2=3+4`, `x and (8)=3`: a logic
    // operator joining a value to a comparison whose outcome is fixed.
    name: 'tautology',
    requires: '&o',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) =>
        token.type === '&' && i > 0 && (OPERAND.has(tokens[i - 1].type) || tokens[i - 1].type === ')') &&
        (literalComparison(tokens, i + 1) || constantExpressionComparison(tokens, i + 1)));
      return at < 0 ? undefined : `logic operator '${tokens[at].value}' followed by a constant comparison`;
    },
  },
  {
    // `1 union select null,null`, `-1 UNION ALL SELECT password FROM users`
    name: 'union-select',
    requires: 'UE',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        if (token.type !== 'U') return false;
        let j = i + 1;
        while (tokens[j] && (tokens[j].value === 'all' || tokens[j].value === 'distinct' || tokens[j].type === '(')) j++;
        return tokens[j]?.type === 'E' && tokens[j].value === 'select';
      });
      return at < 0 ? undefined : `set operator '${tokens[at].value}' followed by SELECT`;
    },
  },
  {
    // `1; drop table users`, `'; exec xp_cmdshell 'dir'--`
    name: 'stacked-query',
    requires: ';E',
    level: 'LOW',
    test(tokens) {
      // `; call when you get here` is prose: a statement keyword followed by plain words.
      const prose = (i: number) =>
        (typeAt(tokens, i + 2) === 'n' && (typeAt(tokens, i + 3) === 'n' || typeAt(tokens, i + 3) === 'E')) ||
        (tokens[i + 1].value === 'call' && !(typeAt(tokens, i + 2) === 'n' && typeAt(tokens, i + 3) === '('));
      const at = findIndex(tokens, (token, i) => token.type === ';' && typeAt(tokens, i + 1) === 'E' && !prose(i));
      return at < 0 ? undefined : `statement separator followed by '${tokens[at + 1].value}'`;
    },
  },
  {
    // `admin'--`, `admin')#`, `x"/*`: a string closed early and the rest of the query commented out.
    name: 'comment-truncation',
    requires: 'sc',
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context)) return undefined;
      let i = 1;
      while (typeAt(tokens, i) === ')') i++;
      if (typeAt(tokens, i) !== 'c' || i !== tokens.length - 1) return undefined;
      // MySQL needs whitespace after `--`, and prose writes `--word`; a comment holding the closing quote
      // (`"#2 MOM"`) means the whole value was quoted text.
      const comment = tokens[i].value;
      if (/^--[a-z0-9]/i.test(comment) || (context !== 'none' && comment.includes(context))) return undefined;
      return 'quoted value closed and the rest of the query commented out';
    },
  },
  {
    // `1 and sleep(5)`, `benchmark(10000000,md5(1))`, `' or pg_sleep(10)--`, `extractvalue(1,concat(0x7e,version()))`
    name: 'probe-function',
    requires: 'f(',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        if (token.type !== 'f' || !PROBE_FUNCTIONS.has(token.value) || typeAt(tokens, i + 1) !== '(') return false;
        const before = typeAt(tokens, i - 1);
        const argument = typeAt(tokens, i + 2);
        const afterArgument = typeAt(tokens, i + 3);
        const inExpression = before === '&' || before === 'o' || before === 'E' || before === '(' || before === ',' || before === ';' || before === 'k';
        // `sleep(5)` has a lone literal argument, `sleep (8 hours)` has prose.
        const literalArgument = (argument === '1' || argument === 's') && (afterArgument === ')' || afterArgument === ',');
        const sqlArgument = literalArgument || argument === 'f' || argument === 'E' || argument === 'v';
        return inExpression || sqlArgument;
      });
      return at < 0 ? undefined : `call of database function '${tokens[at].value}'`;
    },
  },
  {
    // `1; waitfor delay '0:0:5'--`, `'waitfor delay '00:00:10'`
    name: 'waitfor-delay',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.value === 'waitfor' && tokens[i + 1]?.value === 'delay');
      return at < 0 ? undefined : 'WAITFOR DELAY time delay';
    },
  },
  {
    // `' or 1--`, `" or 1#`, `' or true;`: a quoted value closed, then a logic operator and a value that ends the query.
    name: 'quote-logic-terminated',
    requires: 's&',
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context) || typeAt(tokens, 1) !== '&') return undefined;
      // `' and (false)--`: parentheses around the constant change nothing.
      let open = 2;
      while (typeAt(tokens, open) === '(') open++;
      const value = tokens[open];
      // A constant is a number, TRUE/FALSE/NULL or a short string (`' or '1`); `" and "disney:` is two quoted phrases.
      if (!value || !(value.type === '1' || (value.type === 's' && value.value.length <= 3) || value.value === 'true' || value.value === 'false' || value.value === 'null')) return undefined;
      let close = open + 1;
      while (typeAt(tokens, close) === ')' && close - open <= open - 2) close++;
      const after = typeAt(tokens, close);
      return after === undefined || after === 'c' || after === ';' ? 'quoted value closed, then a logic operator and a constant' : undefined;
    },
  },
  {
    // `select * from users`, `select @@version`, `SELECT count(*) FROM t`
    name: 'select-expression',
    requires: 'E',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        if (token.type !== 'E' || token.value !== 'select') return false;
        const next = tokens[i + 1];
        if (next?.type === 'v') return true;
        if (next?.value === '*' || next?.type === 'f') return tokens.slice(i + 2, i + 8).some((t) => t.value === 'from');
        return false;
      });
      return at < 0 ? undefined : 'SELECT of a column list, variable or function';
    },
  },
  {
    // `1 and (select 1 from dual)`, `x' or (select count(*) from users)>0--`
    name: 'subquery',
    requires: '(E',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        const before = typeAt(tokens, i - 1);
        return token.type === '(' && typeAt(tokens, i + 1) === 'E' && (before === '&' || before === 'o' || before === 'U' || before === ',' ||
          // `-1 (select id from users limit 1,1)`: a subquery glued to a number.
          (before === '1' && tokens.slice(i + 2, i + 9).some((t) => SQL_VALUE.has(t.type) || t.value === 'from')));
      });
      return at < 0 ? undefined : `subquery '${tokens[at + 1].value}' inside an expression`;
    },
  },
  {
    // `1 and ascii(substring(user(),1,1))>64`, `1 or 1=db_name()`, `1 and (3=pi())`: a logic operator joining a value to a SQL function call.
    name: 'logic-function',
    requires: '&f',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) =>
        token.type === '&' && i > 0 && (OPERAND.has(tokens[i - 1].type) || tokens[i - 1].type === ')') &&
        functionWithin(tokens, i + 1, 4));
      return at < 0 ? undefined : `logic operator '${tokens[at].value}' followed by a SQL function call`;
    },
  },
  {
    // `select 1,sin(2),3 from bar`, `select concat_ws(0x3a,email,password) from users`: a SELECT list of SQL values, then FROM.
    name: 'select-list-from',
    requires: 'E',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        if (token.type !== 'E' || token.value !== 'select') return false;
        const from = tokens.findIndex((t, j) => j > i + 1 && t.value === 'from');
        return from > 0 && tokens.slice(i + 1, from).some((t) => SQL_VALUE.has(t.type) || t.value === '*');
      });
      return at < 0 ? undefined : 'SELECT list of SQL values followed by FROM';
    },
  },
  {
    // `(select id from users limit 1,1)`, `( (SELECT 1 OR 'b') )`: a parenthesized SELECT at the start of the value.
    name: 'leading-subquery',
    requires: '(',
    level: 'LOW',
    test(tokens) {
      let i = 0;
      while (typeAt(tokens, i) === '(') i++;
      if (i === 0 || tokens[i]?.value !== 'select') return undefined;
      return tokens.slice(i + 1, i + 8).some((t) => SQL_VALUE.has(t.type) || t.value === '*' || t.value === 'from') ? 'value starts with a parenthesized SELECT' : undefined;
    },
  },
  {
    // `c' order by 99`, `5) order by 3`, `2 group by 7 --`: column-count probing after a closed quote or parenthesis,
    // or cut off by a comment. A bare `1 order by 3` stays HIGH-only (`order-by-number`).
    name: 'value-order-by-number',
    requires: '1',
    level: 'LOW',
    test(tokens, context) {
      const at = findIndex(tokens, (token, i) =>
        (token.value === 'order' || token.value === 'group') && tokens[i + 1]?.value === 'by' && typeAt(tokens, i + 2) === '1' &&
        i > 0 && (OPERAND.has(tokens[i - 1].type) || tokens[i - 1].type === ')') &&
        (isQuoteBreakout(tokens, context) || tokens[i - 1].type === ')' || typeAt(tokens, tokens.length - 1) === 'c'));
      return at < 0 ? undefined : `value followed by ${tokens[at].value} by a column number`;
    },
  },
  {
    // `1 into outfile '/tmp/x'`, `' union select 1 into dumpfile 'x'`: writing query results to a file.
    name: 'into-outfile',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.value === 'into' && (tokens[i + 1]?.value === 'outfile' || tokens[i + 1]?.value === 'dumpfile'));
      return at < 0 ? undefined : `INTO ${tokens[at + 1].value}`;
    },
  },
  {
    // `1*1--`, `348 and 1/*`, `1 or 2 #`: an expression of values closed by a comment that cuts off the rest of the query.
    name: 'expression-comment',
    requires: 'c1',
    level: 'LOW',
    test(tokens) {
      const last = tokens.length - 1;
      if (typeAt(tokens, last) !== 'c' || last < 3) return undefined;
      let i = last - 1;
      while (typeAt(tokens, i) === ')') i--;
      const [left, op, right] = [tokens[i - 2], tokens[i - 1], tokens[i]];
      return left?.type === '1' && (op?.type === 'o' || op?.type === '&') && right?.type === '1' ? 'numeric expression followed by a comment that ends the query' : undefined;
    },
  },
  {
    // `aa'|3!='4`, `A' <=> 'B`, `' or id= 1 having 1`: a quoted value closed and followed by an operator expression with a comparison.
    name: 'quote-comparison',
    requires: 's',
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context)) return undefined;
      const next = tokens[1];
      if (!next || !(next.type === '&' || next.type === 'o')) return undefined;
      // Word operators (`LIKE`, `IS`) also start prose (`Dancin' like a robot`), so only symbols compare directly.
      const after = typeAt(tokens, 3);
      if (next.comparison && /^[<>=!]/.test(next.value) && LITERAL.has(typeAt(tokens, 2) ?? '?') && (after === undefined || after === 'c' || after === '&' || after === 'o')) {
        return 'quoted value closed and compared';
      }
      for (let i = 2; i < Math.min(tokens.length, 8); i++) {
        if (literalComparison(tokens, i)) return 'quoted value closed, then an operator and a constant comparison';
      }
      return undefined;
    },
  },
  {
    // `1;set @s=0x73656c656374`, `';declare @s varchar(8000)`: a statement separator followed by a variable assignment or declaration.
    name: 'stacked-assignment',
    requires: ';v',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === ';' && (tokens[i + 1]?.value === 'set' || tokens[i + 1]?.value === 'declare') && typeAt(tokens, i + 2) === 'v');
      return at < 0 ? undefined : `statement separator followed by '${tokens[at + 1].value}' of a variable`;
    },
  },
  {
    // `A' | 'B`, `' & '`, `aa'!=~'1`, `A' MOD 'B`: a short value closed by a quote, then operators and another quoted constant.
    name: 'quote-operator-quote',
    requires: 's',
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context) || tokens[0].value.length > 3) return undefined;
      let i = 1;
      // Only symbolic operators: `"IS" STAMP` is prose, and a lone `"*"` is a wildcard search.
      while ((typeAt(tokens, i) === 'o' || typeAt(tokens, i) === '&') && (!/^[a-z]/.test(tokens[i].value) || ARITHMETIC_WORDS.has(tokens[i].value))) i++;
      const operand = tokens[i];
      const last = typeAt(tokens, i + 1);
      if (i === 1 || !operand || !LITERAL.has(operand.type) || operand.value.length > 3 || (last !== undefined && last !== 'c')) return undefined;
      return i === 2 && tokens[1].value === '*' && operand.value === '' ? undefined : 'quoted constant combined by an operator with another quoted constant';
    },
  },
  {
    // `-234 union`, `-1#\nunion #`: a number followed by UNION whose SELECT is cut off or sent in another parameter.
    name: 'number-union',
    requires: 'U1',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === 'U' && i > 0 && tokens[i - 1].type === '1' && (i === tokens.length - 1 || typeAt(tokens, i + 1) === 'c'));
      return at < 0 ? undefined : 'number followed by a trailing UNION';
    },
  },
  {
    // `13 and 5=@@version--`, `1) or 1=@@version`: a logic operator joining a value to a server system variable.
    name: 'logic-system-variable',
    requires: '&v',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === '&' && i > 0 && [1, 2, 3].some((offset) => tokens[i + offset]?.type === 'v' && tokens[i + offset].value.startsWith('@@')));
      return at < 0 ? undefined : `logic operator '${tokens[at].value}' followed by a system variable`;
    },
  },
  {
    // `1 group by concat(version(),floor(rand(0)*2))`: grouping by a function call, the error-based duplicate-key technique.
    name: 'group-by-function',
    requires: 'f',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => (token.value === 'group' || token.value === 'order') && tokens[i + 1]?.value === 'by' && typeAt(tokens, i + 2) === 'f' && i > 0);
      return at < 0 ? undefined : `${tokens[at].value} by a function call`;
    },
  },
  {
    // ` ( BINARY ( 1) )  --`, `( COS ( 'a' OR 'b') ) --`: a parenthesized SQL expression (no plain words) followed by a comment.
    name: 'parenthesized-expression-comment',
    requires: '(c',
    level: 'LOW',
    test(tokens) {
      const last = tokens.length - 1;
      if (typeAt(tokens, 0) !== '(' || typeAt(tokens, last) !== 'c' || typeAt(tokens, last - 1) !== ')') return undefined;
      const body = tokens.slice(1, last - 1);
      return body.length > 0 && body.every((t) => t.type !== 'n' && t.type !== '?' && t.type !== 'k') ? 'parenthesized SQL expression followed by a comment' : undefined;
    },
  },
  {
    // `EXEC sp_add_job @job_name = 'x'`, `'; exec master..xp_cmdshell 'dir'`: running a stored procedure.
    name: 'exec-procedure',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => (token.value === 'exec' || token.value === 'execute') && /^(?:master\.+)?(?:sp|xp)_/.test(tokens[i + 1]?.value ?? ''));
      return at < 0 ? undefined : `EXEC of stored procedure '${tokens[at + 1].value}'`;
    },
  },
  {
    // `' OR UserID IS NOT 2`, `aa'or LOCALTIME!='0`, `asd' or column&&'1`: a quoted value closed, then a logic
    // operator starting an expression that compares or ends on a reopened quoted constant.
    name: 'quote-logic-expression',
    requires: 's&',
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context) || typeAt(tokens, 1) !== '&') return undefined;
      if (anyComparison(tokens, 2)) return 'quoted value closed, then a logic operator and a comparison';
      // `test' or 1=`: the comparison's other side is cut off or sent in another parameter.
      if (tokens.length === 4 && LITERAL.has(typeAt(tokens, 2) ?? '?') && tokens[3].comparison) return 'quoted value closed, then a logic operator and a truncated comparison';
      const last = tokens[tokens.length - 1];
      // The middle is an operator expression (`column&&`, `-1.and`), not words (`" and when the kids "`).
      const middle = tokens.slice(2, -1);
      const expression = middle.some((t) => t.type === 'o' || t.type === '&') && middle.filter((t) => t.type === 'n' || t.type === 'k').length <= 1 && middle.every((t) => t.type !== 's');
      return tokens.length > 3 && last.type === 's' && last.value.length <= 3 && expression ? 'quoted value closed, then a logic operator and an expression ending on a quoted constant' : undefined;
    },
  },
  {
    // `456 + ASCII(substring(passwd,1,1))-10`, `foo'+ ASCII(...)--`, `1+pi()`: arithmetic on a SQL function call.
    name: 'arithmetic-function',
    requires: 'of',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => LITERAL.has(token.type) && typeAt(tokens, i + 1) === 'o' && !tokens[i + 1].comparison &&
        /^[-+*/%^|]$/.test(tokens[i + 1].value) && functionWithin(tokens, i + 2, 3));
      return at < 0 ? undefined : 'arithmetic on a SQL function call';
    },
  },
  {
    // `version()`, `LENGTH(version())`, `CHARSET(CURRENT_USER())`: a call of a function that reports on the database server.
    name: 'information-function',
    requires: 'f(',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === 'f' && INFORMATION_FUNCTIONS.has(token.value) && typeAt(tokens, i + 1) === '(' && typeAt(tokens, i + 2) === ')');
      return at < 0 ? undefined : `call of server information function '${tokens[at].value}()'`;
    },
  },
  {
    // `A' NOT LIKE 'B`, `'NOT LIKE'`, `x' REGEXP '1`: a short quoted value closed and compared with a reopened
    // short quoted constant; prose (`"LIKE" STAMP`, `BROWNING "LIKE"`) has longer text on either side.
    name: 'quote-compare-quote',
    requires: 'so',
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context) || tokens[0].value.length > 3 || tokens.length !== 3 || !tokens[1].comparison) return undefined;
      return tokens[2].type === 's' && tokens[2].value.length <= 3 ? 'quoted value closed and compared with a quoted constant' : undefined;
    },
  },
  {
    // `user'collate nocase--`, "x' COLLATE utf8_bin": a quoted value closed and given a COLLATE clause.
    name: 'quote-collate',
    requires: 's',
    level: 'LOW',
    test(tokens, context) {
      return isQuoteBreakout(tokens, context) && tokens[1]?.value === 'collate' && OPERAND.has(typeAt(tokens, 2) ?? '?') ? 'quoted value closed, then COLLATE' : undefined;
    },
  },
  {
    // `417652--`, `-1#`, `@version--`: a whole value that is one number or variable and a comment cutting off the query.
    name: 'value-comment',
    requires: 'c',
    level: 'LOW',
    test(tokens, context) {
      if (context !== 'none' || tokens.length !== 2 || tokens[1].type !== 'c' || /^--[a-z0-9]/i.test(tokens[1].value)) return undefined;
      return tokens[0].type === '1' || tokens[0].type === 'v' ? 'a single value followed by a comment' : undefined;
    },
  },
  {
    // `7' - 2 or 'x`, `bob'^1+1-1=(1)-- -`, `pat'|col&&'z`: a quoted value closed, then an operator expression that
    // ends on a reopened short quoted constant or on a comment. Text after a quote is words and ends on words or a
    // long quoted phrase, and one operator between two quotes (`"+"`, `size 12" or 14"`) is left to HIGH.
    name: 'quote-operator-expression',
    requires: 's',
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context)) return undefined;
      const last = tokens.length - 1;
      const next = typeAt(tokens, 1);
      if (last < 2 || !(next === 'o' || next === '&')) return undefined;
      const end = tokens[last];
      const comment = end.type === 'c' && !/^--[a-z0-9]/i.test(end.value);
      // A reopened constant is a word or number (`'z`, `'1`), while code closes with punctuation (`'<id>',`). An
      // empty string right after a number is a closing foot or inch mark (`board 4'+x+4'`).
      if (!comment && (!isShortString(end) || !/^\s*\w*\s*$/.test(end.value) || (end.value === '' && tokens[last - 1].type === '1'))) return undefined;
      const shape = expressionShape(tokens, 1, last);
      // Names and symbols alone are code or markup (`"<user_id>"`, `'is-set'`): SQL brings a value, a call or a comment.
      if (!shape || !(shape.sqlValue || shape.structure || comment || /\d/.test(end.value))) return undefined;
      const enough = shape.operators >= 2 || (shape.operators === 1 && (comment || shape.structure));
      // A comment that ends the query marks SQL, so then one column per operator is allowed: `ann'=total--`.
      const names = comment ? shape.names <= shape.operators : shape.names < shape.operators;
      return enough && names ? 'quoted value closed, then an operator expression ending the query' : undefined;
    },
  },
  {
    // `round(`, `SELECT LOWER(`, `if(42=`, `sum(3,floor(rand()`: the value ends inside the parentheses of a SQL
    // function call that only SQL precedes. Text does not break off inside a call of a database function.
    name: 'open-function-call',
    requires: 'f(',
    level: 'LOW',
    test(tokens, context) {
      // A short value only: a long one cut at the token limit also ends inside parentheses.
      if (context !== 'none' || tokens.length > OPEN_CALL_MAX_TOKENS) return undefined;
      const start = firstCallAfterSqlPrefix(tokens);
      if (start < 0) return undefined;
      // Code broken off in a condition (`if (ready &&`) joins names with logic operators, and an injected fragment
      // passes constants and calls.
      let depth = 0;
      let names = 0;
      for (let i = start + 1; i < tokens.length; i++) {
        const type = tokens[i].type;
        if (type === '(') depth++;
        else if (type === ')') depth--;
        else if (type === 'n' && typeAt(tokens, i + 1) !== '(') names++;
        else if (type === '?' || type === ';' || type === 'c' || type === '&') return undefined;
      }
      return depth > 0 && names <= 1 ? `value ends inside a call of SQL function '${tokens[start].value}'` : undefined;
    },
  },
  {
    // `or 7=(`, `and qty != "`, `=&&(k=3)`: a value that starts with a logic operator (or with an operator and a
    // logic operator) and goes on to a comparison. Text does not start with AND or OR followed by a comparison.
    name: 'leading-logic-comparison',
    requires: '&o',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        if (token.type !== '&' || !(i === 0 || (i <= 2 && tokens[i - 1].type === 'o'))) return false;
        const left = typeAt(tokens, i + 1) === '(' ? i + 2 : i + 1;
        const op = tokens[left + 1];
        if (!OPERAND.has(typeAt(tokens, left) ?? '?') || op?.type !== 'o' || !op.comparison || !/^[<>=!]/.test(op.value)) return false;
        // A word on the right is text (`or more = better`), because SQL compares with a constant, a call or a quote.
        const right = typeAt(tokens, left + 2);
        return right === undefined || LITERAL.has(right) || right === 'v' || right === '(' || right === 'f' || right === 'o';
      });
      return at < 0 ? undefined : `value starts with logic operator '${tokens[at].value}' and a comparison`;
    },
  },
  {
    // `select 9,8,7,version()`, `-5 union 4,5,6--`: SELECT or UNION followed by a list of constants and calls, the
    // column-count probe. Text lists numbers after a word, not straight after SELECT.
    name: 'select-constant-list',
    requires: ',',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        if (!((token.type === 'E' && token.value === 'select') || token.type === 'U')) return false;
        let items = 0;
        let j = i + 1;
        while (j < tokens.length && (LITERAL.has(tokens[j].type) || tokens[j].type === 'f' || tokens[j].value === 'null')) {
          items++;
          j = tokens[j].type === 'f' ? callEnd(tokens, j + 1) : j + 1;
          if (typeAt(tokens, j) !== ',') break;
          j++;
        }
        return items >= 3;
      });
      return at < 0 ? undefined : `${tokens[at].value} of a list of constants`;
    },
  },
  {
    // `CASE WHEN 3=4 THEN 5 ELSE 6 END`, `case 'a' when 7 then 8 end`: a CASE expression over constants. Text that
    // writes "in case when" goes on in words, not in constants closed by END.
    name: 'case-expression',
    requires: 'k',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token) => token.type === 'k' && token.value === 'case');
      if (at < 0) return undefined;
      const expected = ['when', 'then'];
      let words = 0;
      for (let i = at + 1; i < tokens.length && i < at + 16; i++) {
        const token = tokens[i];
        if (token.value === expected[0]) expected.shift();
        else if (token.value === 'end' && expected.length === 0) return 'CASE WHEN ... THEN ... END expression';
        else if (token.type === 'n' && ++words > 1) return undefined;
      }
      return undefined;
    },
  },
  {
    // `;while 2=2 drop t`, `x; if 4>3 then`, `5;do (6=6)`: a statement separator, a control word and a constant
    // condition. Text after a semicolon does not compare two constants straight after its first word.
    name: 'stacked-condition',
    requires: ';o',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === ';' && typeAt(tokens, i + 1) === 'n' &&
        literalComparison(tokens, typeAt(tokens, i + 2) === '(' ? i + 3 : i + 2));
      return at < 0 ? undefined : `statement separator followed by '${tokens[at + 1].value}' on a constant condition`;
    },
  },
  {
    // `declare @n int(4)`, `declare @row`: declaring a variable, a T-SQL batch. A handle in text (`I declare
    // @bob the winner`) is followed by more words.
    name: 'declare-variable',
    requires: 'Ev',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === 'E' && token.value === 'declare' && typeAt(tokens, i + 1) === 'v' &&
        (i + 2 === tokens.length || typeAt(tokens, i + 3) === '(' || typeAt(tokens, i + 3) === ';' || typeAt(tokens, i + 3) === 'o'));
      return at < 0 ? undefined : `DECLARE of variable '${tokens[at + 1].value}'`;
    },
  },
  {
    // `) AS qty FROM`, `count(id) as n from`: the end of a computed column in a SELECT list, an alias and FROM.
    // Text that has this shape contains words in its parentheses (`(see above) as well from`).
    name: 'column-alias-from',
    requires: ')k',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === ')' && isKeyword(tokens[i + 1], 'as') && OPERAND.has(typeAt(tokens, i + 2) ?? '?') &&
        isKeyword(tokens[i + 3], 'from') && !hasAdjacentWords(tokens, openingParenthesis(tokens, i), i));
      return at < 0 ? undefined : 'column alias followed by FROM';
    },
  },
  {
    // `from information_schema.columns`: reading the catalog of a MySQL, PostgreSQL or SQL Server database, which a
    // form field does not name.
    name: 'from-catalog',
    requires: 'k',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => isKeyword(token, 'from') && tokens[i + 1]?.value.startsWith('information_schema'));
      return at < 0 ? undefined : 'FROM the information schema';
    },
  },
  {
    // `IN (4,5,6)`, `mod(9,4)`, `is null`: a whole value that is the right-hand side of a SQL condition, a word
    // operator and a list of constants or NULL. Text does not consist of an operator and constants only.
    name: 'condition-fragment',
    requires: 'o',
    level: 'LOW',
    test(tokens, context) {
      const op = tokens[0];
      if (context !== 'none' || op?.type !== 'o' || !/^[a-z]/.test(op.value)) return undefined;
      if (tokens.length === 2 && tokens[1].value === 'null') return `'${op.value} null' fragment`;
      if (typeAt(tokens, 1) !== '(' || typeAt(tokens, tokens.length - 1) !== ')') return undefined;
      const list = tokens.slice(2, -1);
      return list.length >= 3 && list.every((t, i) => (i % 2 === 0 ? t.type === '1' || isShortString(t) : t.type === ',')) ? `'${op.value}' followed by a list of constants` : undefined;
    },
  },
  {
    // `2=2`, `7 like 7`, `5 <> 6`: a whole value that is a true comparison of two numbers, the bare tautology an
    // injection appends. A form value contains one number, and arithmetic in text (`3 - 2 = 1`) has more terms. A
    // false comparison (`2=3`) makes no condition true.
    name: 'constant-tautology',
    requires: '1o',
    level: 'LOW',
    test(tokens, context) {
      if (context !== 'none' || tokens.length !== 3 || tokens[0].type !== '1' || tokens[2].type !== '1') return undefined;
      return isTrueComparison(Number(tokens[0].value), tokens[1].value, Number(tokens[2].value)) ? 'a true comparison of two numbers' : undefined;
    },
  },
  {
    // `DELETE FROM orders;--`, `update stock set qty = 0`, `insert into log values (1)`, `DROP TABLE t`: a
    // data-changing statement with its clause structure (see isStatementStructure). Text uses these verbs with words after them.
    name: 'statement-structure',
    requires: 'E',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === 'E' && isStatementStructure(tokens, i));
      return at < 0 ? undefined : `${tokens[at].value.toUpperCase()} statement`;
    },
  },
  {
    // `lower(x)::text`, `'7'::int`, `(5)::bool`: PostgreSQL's cast of a call result or a quoted constant to a SQL
    // type. Other languages use `::` between names (`Foo::bar`), not after a parenthesis or a quote.
    name: 'postgres-cast',
    requires: 'o',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.value === '::' && token.type === 'o' && i > 0 &&
        (tokens[i - 1].type === ')' || tokens[i - 1].type === 's') && SQL_TYPES.has(tokens[i + 1]?.value ?? ''));
      return at < 0 ? undefined : `cast to SQL type '${tokens[at + 1].value}'`;
    },
  },
  {
    // `1 or a=b`, `x or name like 'a%'`: any comparison joined by a logic operator.
    name: 'logic-comparison',
    requires: '&o',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) =>
        token.type === '&' && i > 0 && (OPERAND.has(tokens[i - 1].type) || tokens[i - 1].type === ')') && anyComparison(tokens, i + 1));
      return at < 0 ? undefined : `logic operator '${tokens[at].value}' followed by a comparison`;
    },
  },
  {
    // `' and x`, `' || 'a`, `x' = col`: a quoted value closed and followed by SQL operators, unless what follows
    // reads as text (see isTextAfterQuote).
    name: 'quote-operator',
    requires: 's',
    level: 'HIGH',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context)) return undefined;
      const next = typeAt(tokens, 1);
      if (!(next === '&' || next === 'o') || tokens.length <= 2 || isTextAfterQuote(tokens)) return undefined;
      return 'quoted value closed and followed by an operator';
    },
  },
  {
    // `1--`, `5)#`: a number closing the query and commenting out the rest.
    name: 'number-comment',
    requires: 'c1',
    level: 'HIGH',
    test(tokens) {
      const last = tokens.length - 1;
      if (typeAt(tokens, last) !== 'c' || last < 1) return undefined;
      let i = last - 1;
      while (typeAt(tokens, i) === ')') i--;
      return typeAt(tokens, i) === '1' ? 'number followed by a comment that ends the query' : undefined;
    },
  },
  {
    // `select name from users`, `SELECT password FROM admin`
    name: 'select-from',
    requires: 'n',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        if (token.value !== 'select') return false;
        const from = tokens.findIndex((t, j) => j > i && j <= i + 6 && t.value === 'from');
        if (from < 0 || typeAt(tokens, from + 1) !== 'n') return false;
        // The table name ends the input or is followed by more SQL, unlike `select one from the list`.
        const after = typeAt(tokens, from + 2);
        return after === undefined || after === 'k' || after === '&' || after === ';' || after === 'c' || after === ')' || after === 'U';
      });
      return at < 0 ? undefined : 'SELECT ... FROM';
    },
  },
  {
    // `1 and ascii(substring(user(),1,1))>64`, `' + char(65)`
    name: 'function-in-expression',
    requires: 'f',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === 'f' && (typeAt(tokens, i - 1) === '&' || typeAt(tokens, i - 1) === 'o'));
      return at < 0 ? undefined : `function '${tokens[at].value}' inside an expression`;
    },
  },
  {
    // `1 order by 3`, `1 group by 2--`: column-count probing.
    name: 'order-by-number',
    requires: '1',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => (token.value === 'order' || token.value === 'group') && tokens[i + 1]?.value === 'by' && typeAt(tokens, i + 2) === '1');
      return at < 0 ? undefined : `${tokens[at].value} by a column number`;
    },
  },
  {
    // `@@version`, `1 and @@datadir`
    name: 'system-variable',
    requires: 'v',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token) => token.type === 'v' && token.value.startsWith('@@'));
      return at < 0 ? undefined : `system variable '${tokens[at].value}'`;
    },
  },
  {
    // `having 1=1`, `where 'a'='a'`
    name: 'clause-tautology',
    requires: 'o',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => (token.value === 'where' || token.value === 'having') && literalComparison(tokens, i + 1));
      return at < 0 ? undefined : `${tokens[at].value} with a constant comparison`;
    },
  },
];
