import { foldTokens, tokenizeSql, type QuoteContext, type SqlToken } from './sql-tokens.ts';
import { SQLI_RULES } from './sqli-rules.ts';

export type SensitivityLevel = 'LOW' | 'HIGH';

export interface SqliVerdict {
  matched: boolean;
  /** Name of the detection rule that matched. */
  rule?: string;
  reason?: string;
  /** Quote context the input was read in when it matched. */
  context?: QuoteContext;
  /** Token-type string of the folded tokens that matched, e.g. `1&1o1`. */
  fingerprint?: string;
}

/** Tokens beyond this many are not judged: injected SQL does its work near the point where it enters the query. */
const MAX_TOKENS = 40;

/**
 * Judge whether `input` reads as SQL injection. The input is tokenized three
 * times, as libinjection does: as-is (a numeric or bare context), and as the
 * continuation of a single- and of a double-quoted string, because the
 * application may paste it inside either. A quote context is tried only when
 * the input contains that quote, since otherwise the whole input is one string.
 * Contexts are judged in turn, so a match in the first is not tokenized again.
 */
export function detectSqlInjection(input: string, level: SensitivityLevel = 'LOW'): SqliVerdict {
  for (const { context, tokens, present } of judgedTokenSequences(input)) {
    for (const [index, rule] of SQLI_RULES.entries()) {
      if ((rule.level === 'HIGH' && level !== 'HIGH') || (present & REQUIRED[index]) !== REQUIRED[index]) continue;
      const reason = rule.test(tokens, context);
      if (reason) return { matched: true, rule: rule.name, reason, context, fingerprint: tokens.map((t) => t.type).join('') };
    }
  }
  return { matched: false };
}

/**
 * The lowest SensitivityLevel at which `input` reads as SQL injection:
 * `LOW` (so HIGH matches too), `HIGH` (only HIGH matches), or undefined.
 * One tokenization serves both levels, because the SQLi managed group
 * tests each component at both.
 */
export function lowestMatchingLevel(input: string): SensitivityLevel | undefined {
  let high = false;
  for (const { context, tokens, present } of judgedTokenSequences(input)) {
    for (let index = 0; index < SQLI_RULES.length; index++) {
      const rule = SQLI_RULES[index];
      if ((rule.level === 'HIGH' && high) || (present & REQUIRED[index]) !== REQUIRED[index]) continue;
      if (!rule.test(tokens, context)) continue;
      if (rule.level === 'LOW') return 'LOW';
      high = true;
    }
  }
  return high ? 'HIGH' : undefined;
}

/**
 * The folded token sequences the rules judge, each with the set of its
 * token types: the input is tokenized as it is and, when it contains a quote,
 * as the continuation of a string opened with that quote. A sequence of
 * plain words and numbers only is left out, because every rule needs
 * some other token.
 */
function judgedTokenSequences(input: string): JudgedSequence[] {
  const sequences: JudgedSequence[] = [];
  for (const context of quoteContexts(input)) {
    // Folding merges tokens, so twice the judged count is read before folding.
    const tokens = foldTokens(tokenizeSql(input, context, 2 * MAX_TOKENS)).slice(0, MAX_TOKENS);
    let present = 0;
    for (const token of tokens) present |= typeSet(token.type);
    if ((present & ~PLAIN) !== 0) sequences.push({ context, tokens, present });
  }
  return sequences;
}

interface JudgedSequence {
  context: QuoteContext;
  tokens: SqlToken[];
  /** Token types present, as a bit set (typeSet). */
  present: number;
}

function quoteContexts(input: string): QuoteContext[] {
  const contexts: QuoteContext[] = ['none'];
  if (input.includes("'")) contexts.push("'");
  if (input.includes('"')) contexts.push('"');
  return contexts;
}

const TOKEN_TYPES = 's1nkEU&ofvc(),;?';

/** Return a set of token types as bits, so a rule's requirements are checked with one AND. */
function typeSet(types: Iterable<string>): number {
  let bits = 0;
  for (const type of types) bits |= 1 << TOKEN_TYPES.indexOf(type);
  return bits;
}

const PLAIN = typeSet('n1');
const REQUIRED = SQLI_RULES.map((rule) => typeSet(rule.requires ?? ''));
