/**
 * SQL tokenizer for the SQL-injection detector, in the spirit of
 * libinjection: the input is tokenized as SQL would read it if it were
 * pasted into a query, and each token is reduced to a one-character type.
 * The detector then judges the sequence of types, never the raw text.
 *
 * Token types:
 *   s string literal      1 number            n name (identifier, unknown word)
 *   k keyword             E statement keyword U set operator (UNION)
 *   & logic operator      o operator          f function call name
 *   v variable (@x)       c comment           ( ) , ; . punctuation
 *   ? anything else
 */
export type TokenType = 's' | '1' | 'n' | 'k' | 'E' | 'U' | '&' | 'o' | 'f' | 'v' | 'c' | '(' | ')' | ',' | ';' | '?';

export interface SqlToken {
  type: TokenType;
  /** Lower-cased text of the token (strings without their quotes). */
  value: string;
  /** True for comparison operators (`=`, `<>`, `LIKE`, `IS` ...). */
  comparison?: boolean;
}

/** Starting context of tokenizing: as-is, or as if the input sat inside a quoted SQL string. */
export type QuoteContext = 'none' | "'" | '"';

const STATEMENT_KEYWORDS = new Set([
  'select', 'insert', 'update', 'delete', 'drop', 'create', 'alter', 'truncate', 'replace', 'exec', 'execute',
  'declare', 'shutdown', 'grant', 'revoke', 'merge', 'call', 'rename',
]);
const SET_OPERATORS = new Set(['union', 'intersect', 'except']);
const LOGIC_WORDS = new Set(['and', 'or', 'xor']);
const COMPARISON_WORDS = new Set(['like', 'rlike', 'regexp', 'is', 'in', 'between', 'sounds']);
const OPERATOR_WORDS = new Set(['not', 'div', 'mod', 'collate', 'escape']);
const KEYWORDS = new Set([
  'from', 'where', 'having', 'group', 'order', 'by', 'limit', 'offset', 'into', 'values', 'table', 'set', 'join',
  'on', 'as', 'case', 'when', 'then', 'else', 'end', 'all', 'distinct', 'top', 'null', 'true', 'false', 'waitfor',
  'delay', 'exists', 'procedure', 'outfile', 'dumpfile', 'database', 'schema', 'information_schema', 'dual', 'asc', 'desc',
  'binary',
]);
/** Function names that are SQL only when called: `sleep(5)` is a function, `sleep` alone a name. */
export const FUNCTIONS = new Set([
  'sleep', 'benchmark', 'pg_sleep', 'load_file', 'extractvalue', 'updatexml', 'char', 'chr', 'nchar', 'concat',
  'concat_ws', 'version', 'database', 'user', 'current_user', 'system_user', 'session_user', 'schema', 'substring',
  'substr', 'mid', 'ascii', 'ord', 'hex', 'unhex', 'count', 'cast', 'convert', 'if', 'ifnull', 'iif', 'coalesce',
  'group_concat', 'md5', 'sha1', 'xp_cmdshell', 'dbms_pipe.receive_message', 'utl_inaddr.get_host_name',
  'randomblob', 'length', 'len', 'exp', 'floor', 'rand', 'row', 'name_const', 'make_set', 'elt', 'instr', 'locate',
  'db_name', 'current_database', 'lower', 'upper', 'conv', 'pi', 'sin', 'cos', 'min', 'max', 'sum', 'avg', 'lcase', 'ucase',
  'trim', 'left', 'right', 'reverse', 'space', 'repeat', 'string_agg', 'listagg', 'xmltype', 'to_char', 'exec', 'execute',
  'any', 'some', 'exists', 'sys_context', 'char_length', 'bin', 'oct', 'soundex', 'field', 'find_in_set', 'compress', 'uncompress',
  'abs', 'now', 'round', 'pow', 'power', 'log', 'ln', 'sqrt', 'ltrim', 'rtrim', 'strcmp', 'replace', 'insert',
]);

/** SQL functions called without parentheses: `1=system_user`, `' or current_user!='`. */
const NILADIC_FUNCTIONS = new Set(['current_user', 'system_user', 'session_user', 'current_date', 'current_time', 'current_timestamp', 'localtimestamp']);

const OPERATOR_CHARS = '=<>!+-*/%^|&~';
const TWO_CHAR_OPERATORS = new Set(['<=', '>=', '<>', '!=', '==', '||', '&&', '<<', '>>', ':=']);
const COMPARISON_SYMBOLS = new Set(['=', '==', '<', '>', '<=', '>=', '<>', '!=', '<=>']);

function isWordChar(ch: string): boolean {
  return isWordCode(ch.charCodeAt(0));
}

function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36 || code === 46 || code >= 0x80;
}

/**
 * First index at or after `from` that is not a word character. Most words
 * are short and end in the loop. A longer one is scanned natively, because
 * a body can be kilobytes of one word.
 */
function wordEnd(input: string, from: number): number {
  const loopEnd = Math.min(input.length, from + 32);
  for (let i = from; i < loopEnd; i++) if (!isWordCode(input.charCodeAt(i))) return i;
  if (loopEnd === input.length) return loopEnd;
  WORD_END.lastIndex = loopEnd;
  const match = WORD_END.exec(input);
  return match ? match.index : input.length;
}
const WORD_END = /[^A-Za-z0-9_$.\u0080-\uffff]/g;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\u00a0';
}

/** Split `input` into SQL tokens, starting inside a string literal when `context` is a quote. */
export function tokenizeSql(input: string, context: QuoteContext, maxTokens = Infinity): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  if (context !== 'none') {
    // The input continues a string the query already opened: its first token
    // is the rest of that string, up to the quote that closes it.
    const end = findStringEnd(input, 0, context);
    tokens.push({ type: 's', value: input.slice(0, end).toLowerCase() });
    i = end + 1;
  }
  while (i < input.length && tokens.length < maxTokens) {
    const next = readToken(input, i);
    if (next.token) tokens.push(next.token);
    i = next.end;
  }
  return tokens;
}

/** Index of the quote closing a string whose body starts at `start`, or the input length when unterminated. */
function findStringEnd(input: string, start: number, quote: string): number {
  let i = start;
  while (i < input.length) {
    const ch = input[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (input[i + 1] === quote) {
        i += 2; // SQL doubles a quote to escape it: 'O''Brien'.
        continue;
      }
      return i;
    }
    i++;
  }
  return input.length;
}

function readToken(input: string, start: number): { token?: SqlToken; end: number } {
  const ch = input[start];
  if (isSpace(ch) || ch === '\0') return { end: start + 1 };
  if (ch === "'" || ch === '"') {
    const end = findStringEnd(input, start + 1, ch);
    return { token: { type: 's', value: input.slice(start + 1, end).toLowerCase() }, end: end + 1 };
  }
  if (ch === '`') {
    const close = input.indexOf('`', start + 1);
    const end = close < 0 ? input.length : close;
    return { token: { type: 'n', value: input.slice(start + 1, end).toLowerCase() }, end: end + 1 };
  }
  if (ch === '/' && input[start + 1] === '*') return readBlockComment(input, start);
  // The `*/` closing a MySQL versioned comment (`/*!union*/`) is not an operator.
  if (ch === '*' && input[start + 1] === '/') return { end: start + 2 };
  if ((ch === '-' && input[start + 1] === '-') || ch === '#') {
    const newline = input.indexOf('\n', start);
    return { token: { type: 'c', value: input.slice(start, newline < 0 ? undefined : newline) }, end: newline < 0 ? input.length : newline + 1 };
  }
  // MySQL reads `\N` as NULL: `x'is\N or 'y`.
  if (ch === '\\' && input[start + 1] === 'N' && !isWordChar(input[start + 2] ?? ' ')) return { token: { type: 'k', value: 'null' }, end: start + 2 };
  if (ch === '@') return readVariable(input, start);
  if (isDigit(ch) || (ch === '.' && isDigit(input[start + 1]))) return readNumber(input, start);
  if (ch === '(' || ch === ')' || ch === ',' || ch === ';') return { token: { type: ch as TokenType, value: ch }, end: start + 1 };
  // `&#39;` is an HTML character reference that was not decoded, not an operator followed by a `#` comment.
  if (ch === '&' && input[start + 1] === '#' && /[0-9xX]/.test(input[start + 2] ?? '')) return { token: { type: '?', value: '&#' }, end: start + 2 };
  // PostgreSQL's cast operator: `'7'::int`.
  if (ch === ':' && input[start + 1] === ':') return { token: { type: 'o', value: '::' }, end: start + 2 };
  if (OPERATOR_CHARS.includes(ch)) return readOperator(input, start);
  if (isWordChar(ch)) return readWord(input, start);
  return { token: { type: '?', value: ch }, end: start + 1 };
}

function readBlockComment(input: string, start: number): { token?: SqlToken; end: number } {
  // MySQL runs the body of a versioned comment `/*!50000 select */`: read it as SQL.
  if (input[start + 2] === '!') {
    let i = start + 3;
    while (/[0-9]/.test(input[i] ?? '')) i++;
    return { end: i };
  }
  const close = input.indexOf('*/', start + 2);
  const end = close < 0 ? input.length : close + 2;
  return { token: { type: 'c', value: input.slice(start, end) }, end };
}

function readVariable(input: string, start: number): { token: SqlToken; end: number } {
  let i = start + 1;
  if (input[i] === '@') i++;
  while (i < input.length && isWordChar(input[i])) i++;
  return { token: { type: 'v', value: input.slice(start, i).toLowerCase() }, end: i };
}

function readNumber(input: string, start: number): { token: SqlToken; end: number } {
  let i = start;
  if (input[i] === '0' && /[xX]/.test(input[i + 1] ?? '')) {
    i += 2;
    while (/[0-9a-fA-F]/.test(input[i] ?? '')) i++;
  } else {
    while (/[0-9.]/.test(input[i] ?? '')) i++;
    if (/[eE]/.test(input[i] ?? '') && /[-+0-9]/.test(input[i + 1] ?? '')) {
      i += 2;
      while (/[0-9]/.test(input[i] ?? '')) i++;
    }
  }
  // `8h` or `2nd` is a word, not a number followed by a name, but MySQL reads `1.UNION` and
  // `182UNION` as a number followed by a keyword.
  if (i < input.length && isWordChar(input[i]) && input[i] !== '.') {
    if (!isGluedKeyword(input, i)) return readWord(input, start);
  }
  return { token: { type: '1', value: input.slice(start, i) }, end: i };
}

function isGluedKeyword(input: string, from: number): boolean {
  let end = from;
  while (end < input.length && /[A-Za-z_]/.test(input[end])) end++;
  const word = input.slice(from, end).toLowerCase();
  return SET_OPERATORS.has(word) || STATEMENT_KEYWORDS.has(word) || LOGIC_WORDS.has(word) || word === 'from' || word === 'order' || word === 'group';
}

function readOperator(input: string, start: number): { token: SqlToken; end: number } {
  const three = input.slice(start, start + 3);
  if (three === '<=>') return { token: { type: 'o', value: three, comparison: true }, end: start + 3 };
  const two = input.slice(start, start + 2);
  const text = TWO_CHAR_OPERATORS.has(two) ? two : input[start];
  const type: TokenType = text === '||' || text === '&&' ? '&' : 'o';
  return { token: { type, value: text, comparison: COMPARISON_SYMBOLS.has(text) }, end: start + text.length };
}

function readWord(input: string, start: number): { token: SqlToken; end: number } {
  const i = wordEnd(input, start);
  const value = input.slice(start, i).toLowerCase();
  return { token: classifyWord(value, input, i), end: i };
}

/** Length of the longest keyword or function name: a longer word is a name without a lookup. */
const LONGEST_KNOWN_WORD = Math.max(
  ...[FUNCTIONS, NILADIC_FUNCTIONS, STATEMENT_KEYWORDS, SET_OPERATORS, LOGIC_WORDS, COMPARISON_WORDS, OPERATOR_WORDS, KEYWORDS].flatMap((words) => [...words].map((word) => word.length)),
);

function classifyWord(value: string, input: string, end: number): SqlToken {
  if (value.length > LONGEST_KNOWN_WORD) return { type: 'n', value };
  if (FUNCTIONS.has(value) && nextNonSpace(input, end) === '(') return { type: 'f', value };
  if (NILADIC_FUNCTIONS.has(value)) return { type: 'f', value };
  if (STATEMENT_KEYWORDS.has(value)) return { type: 'E', value };
  if (SET_OPERATORS.has(value)) return { type: 'U', value };
  if (LOGIC_WORDS.has(value)) return { type: '&', value };
  if (COMPARISON_WORDS.has(value)) return { type: 'o', value, comparison: true };
  if (OPERATOR_WORDS.has(value)) return { type: 'o', value };
  if (KEYWORDS.has(value)) return { type: 'k', value };
  return { type: 'n', value };
}

function nextNonSpace(input: string, from: number): string | undefined {
  let i = from;
  while (i < input.length && isSpace(input[i])) i++;
  return input[i];
}

/**
 * Fold tokens the way SQL would read them: a sign before a number belongs
 * to the number, adjacent strings concatenate, and a comment between two
 * tokens (`UN/**\/ION` style padding) is dropped while a trailing comment,
 * which truncates the rest of the query, is kept.
 */
export function foldTokens(tokens: SqlToken[]): SqlToken[] {
  // Tokens are pushed as they are and a merge builds a new token, so the caller's tokens are never changed.
  const folded: SqlToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const last = folded.length - 1;
    const previous = folded[last];
    if (token.type === 'c' && i < tokens.length - 1) continue;
    // MySQL's BINARY cast operator changes no value's truth: `' or BINARY 1='1` reads as `' or 1='1`.
    if (token.type === 'k' && token.value === 'binary') continue;
    // `NOT LIKE`, `IS NOT`, `NOT IN`, `SOUNDS LIKE` are one comparison: `1 AND 1 NOT LIKE 0`.
    if (token.comparison && previous?.type === 'o' && (previous.value === 'not' || previous.comparison)) {
      folded[last] = { type: 'o', value: `${previous.value} ${token.value}`, comparison: true };
    } else if (token.value === 'not' && previous?.comparison) {
      folded[last] = { ...previous, value: `${previous.value} not` };
    } else if (token.type === 's' && previous?.type === 's') {
      folded[last] = { type: 's', value: previous.value + token.value };
    } else if (token.type === '1' && previous && (previous.value === '-' || previous.value === '+') && isUnaryPosition(last, folded)) {
      folded[last] = { type: '1', value: previous.value + token.value };
    } else {
      folded.push(token);
    }
  }
  return folded;
}

function isUnaryPosition(index: number, tokens: SqlToken[]): boolean {
  if (index === 0) return true;
  const before = tokens[index - 1].type;
  return before === 'o' || before === '&' || before === '(' || before === ',' || before === 'k' || before === 'E';
}
