import { AwsError } from '../../core/errors.ts';

/**
 * The subset of CloudWatch Logs filter pattern syntax palisade evaluates:
 * terms separated by spaces, bare (`ERROR`) or double-quoted
 * (`"Task timed out"`), all of which must occur in the message, case-sensitive
 * ("Filter pattern syntax for metric filters, subscription filters, and
 * filter log events", CloudWatch Logs User Guide).
 *
 * TODO: OR terms (`?term`), exclusions (`-term`), wildcards, regular
 * expressions (`%...%`), JSON (`{ $.x = ... }`) and space-delimited (`[...]`)
 * patterns are rejected instead of evaluated.
 */
export function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
  const terms = parseTerms(pattern ?? '');
  return (message) => terms.every((term) => message.includes(term));
}

function parseTerms(pattern: string): string[] {
  const terms: string[] = [];
  let rest = pattern.trim();
  while (rest) {
    if (rest.startsWith('"')) {
      const end = rest.indexOf('"', 1);
      if (end === -1) throw unsupported(pattern, 'it has an unterminated double quote');
      terms.push(rest.slice(1, end));
      rest = rest.slice(end + 1).trimStart();
      continue;
    }
    const match = /^\S+/.exec(rest)!;
    const term = match[0];
    if (!/^[A-Za-z0-9_.:/@=,;+'<>()!#&|\\^$~`]+$/.test(term) || term.includes('*')) {
      throw unsupported(pattern, `the term ${JSON.stringify(term)} uses syntax palisade does not evaluate`);
    }
    terms.push(term);
    rest = rest.slice(term.length).trimStart();
  }
  return terms;
}

function unsupported(pattern: string, reason: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `palisade cannot evaluate the filter pattern ${JSON.stringify(pattern)} because ${reason}; it supports only terms and double-quoted phrases that must all occur in the message.`,
    400,
  );
}
