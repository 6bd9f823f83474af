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

function anyComparison(tokens: SqlToken[], index: number): boolean {
  const [left, op, right] = [tokens[index], tokens[index + 1], tokens[index + 2]];
  if (!left || !op || !right || op.type !== 'o' || !op.comparison) return false;
  return (OPERAND.has(left.type) || left.type === 'f' || left.type === ')') && (OPERAND.has(right.type) || right.type === 'f' || right.type === '(');
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
    // `1 or 1=1`, `' or '1'='1`, `x' and 'a'='a`: a logic operator joining a
    // value to a comparison whose outcome is fixed.
    name: 'tautology',
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) =>
        token.type === '&' && i > 0 && (OPERAND.has(tokens[i - 1].type) || tokens[i - 1].type === ')') && literalComparison(tokens, i + 1));
      return at < 0 ? undefined : `logic operator '${tokens[at].value}' followed by a constant comparison`;
    },
  },
  {
    // `1 union select null,null`, `-1 UNION ALL SELECT password FROM users`
    name: 'union-select',
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
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === ';' && typeAt(tokens, i + 1) === 'E');
      return at < 0 ? undefined : `statement separator followed by '${tokens[at + 1].value}'`;
    },
  },
  {
    // `admin'--`, `admin')#`, `x"/*`: a string closed early and the rest of the query commented out.
    name: 'comment-truncation',
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context)) return undefined;
      let i = 1;
      while (typeAt(tokens, i) === ')') i++;
      return typeAt(tokens, i) === 'c' && i === tokens.length - 1 ? 'quoted value closed and the rest of the query commented out' : undefined;
    },
  },
  {
    // `1 and sleep(5)`, `benchmark(10000000,md5(1))`, `' or pg_sleep(10)--`, `extractvalue(1,concat(0x7e,version()))`
    name: 'probe-function',
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
    level: 'LOW',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context) || typeAt(tokens, 1) !== '&') return undefined;
      const value = tokens[2];
      if (!value || !(LITERAL.has(value.type) || value.value === 'true' || value.value === 'null')) return undefined;
      const after = typeAt(tokens, 3);
      return after === undefined || after === 'c' || after === ';' ? 'quoted value closed, then a logic operator and a constant' : undefined;
    },
  },
  {
    // `select * from users`, `select @@version`, `SELECT count(*) FROM t`
    name: 'select-expression',
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
    level: 'LOW',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => {
        const before = typeAt(tokens, i - 1);
        return token.type === '(' && typeAt(tokens, i + 1) === 'E' && (before === '&' || before === 'o' || before === 'U' || before === ',');
      });
      return at < 0 ? undefined : `subquery '${tokens[at + 1].value}' inside an expression`;
    },
  },
  {
    // `1 or a=b`, `x or name like 'a%'`: any comparison joined by a logic operator.
    name: 'logic-comparison',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) =>
        token.type === '&' && i > 0 && (OPERAND.has(tokens[i - 1].type) || tokens[i - 1].type === ')') && anyComparison(tokens, i + 1));
      return at < 0 ? undefined : `logic operator '${tokens[at].value}' followed by a comparison`;
    },
  },
  {
    // `' and x`, `' || 'a`, `" + 1`: a quoted value closed and followed by SQL operators.
    name: 'quote-operator',
    level: 'HIGH',
    test(tokens, context) {
      if (!isQuoteBreakout(tokens, context)) return undefined;
      const next = typeAt(tokens, 1);
      return (next === '&' || next === 'o') && tokens.length > 2 ? 'quoted value closed and followed by an operator' : undefined;
    },
  },
  {
    // `1--`, `5)#`: a number closing the query and commenting out the rest.
    name: 'number-comment',
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
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => token.type === 'f' && (typeAt(tokens, i - 1) === '&' || typeAt(tokens, i - 1) === 'o'));
      return at < 0 ? undefined : `function '${tokens[at].value}' inside an expression`;
    },
  },
  {
    // `1 order by 3`, `1 group by 2--`: column-count probing.
    name: 'order-by-number',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => (token.value === 'order' || token.value === 'group') && tokens[i + 1]?.value === 'by' && typeAt(tokens, i + 2) === '1');
      return at < 0 ? undefined : `${tokens[at].value} by a column number`;
    },
  },
  {
    // `@@version`, `1 and @@datadir`
    name: 'system-variable',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token) => token.type === 'v' && token.value.startsWith('@@'));
      return at < 0 ? undefined : `system variable '${tokens[at].value}'`;
    },
  },
  {
    // `having 1=1`, `where 'a'='a'`
    name: 'clause-tautology',
    level: 'HIGH',
    test(tokens) {
      const at = findIndex(tokens, (token, i) => (token.value === 'where' || token.value === 'having') && literalComparison(tokens, i + 1));
      return at < 0 ? undefined : `${tokens[at].value} with a constant comparison`;
    },
  },
];
