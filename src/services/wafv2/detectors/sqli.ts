import { foldTokens, tokenizeSql, type QuoteContext } from './sql-tokens.ts';
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
 */
export function detectSqlInjection(input: string, level: SensitivityLevel = 'LOW'): SqliVerdict {
  const contexts: QuoteContext[] = ['none'];
  if (input.includes("'")) contexts.push("'");
  if (input.includes('"')) contexts.push('"');
  for (const context of contexts) {
    // Folding merges tokens, so twice the judged count is read before folding.
    const tokens = foldTokens(tokenizeSql(input, context, 2 * MAX_TOKENS)).slice(0, MAX_TOKENS);
    // Every rule needs a token other than a plain word or number, so ordinary text is settled here.
    if (tokens.every((token) => token.type === 'n' || token.type === '1')) continue;
    for (const rule of SQLI_RULES) {
      if (rule.level === 'HIGH' && level !== 'HIGH') continue;
      const reason = rule.test(tokens, context);
      if (reason) return { matched: true, rule: rule.name, reason, context, fingerprint: tokens.map((t) => t.type).join('') };
    }
  }
  return { matched: false };
}
