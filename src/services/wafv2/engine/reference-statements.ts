import { isIP } from 'node:net';
import { addressToBigInt, parseCidr, rangeContains, type AddressRange } from './client-address.ts';
import type { InspectedRequest } from './request.ts';
import type { Statement } from './types.ts';

/**
 * Statements that name another WAFv2 resource. The web ACL handed to the
 * engine carries that resource's current contents inside the statement
 * (see references.ts): Addresses for IP sets, RegularExpressionList for
 * regex pattern sets, Rules for rule groups.
 */

const ranges = new Map<string, AddressRange>();

function cidr(text: string): AddressRange | undefined {
  let range = ranges.get(text);
  if (!range) {
    range = parseCidr(text);
    if (range) ranges.set(text, range);
  }
  return range;
}

/**
 * IPSetReferenceStatement. Without IPSetForwardedIPConfig the request's
 * origin address is inspected. With it, the header's comma-separated list
 * is inspected at Position FIRST, LAST or ANY (up to 10 addresses); a
 * missing header means the statement does not apply, an invalid address
 * falls back to FallbackBehavior (API_IPSetForwardedIPConfig).
 */
export function matchesIpSet(body: Statement, request: InspectedRequest): boolean {
  const addresses = candidateAddresses(body.IPSetForwardedIPConfig, request);
  if (addresses === 'missing') return false;
  if (addresses === 'invalid') return body.IPSetForwardedIPConfig.FallbackBehavior === 'MATCH';
  const sets = (body.Addresses as string[]).map(cidr).filter((range): range is AddressRange => range !== undefined);
  return addresses.some((address) => {
    const value = addressToBigInt(address);
    return value !== undefined && sets.some((range) => rangeContains(range, value));
  });
}

function candidateAddresses(config: Statement | undefined, request: InspectedRequest): string[] | 'missing' | 'invalid' {
  if (!config) return [request.source.clientIp];
  const name = String(config.HeaderName).toLowerCase();
  const header = request.headers.find(([key]) => key === name);
  if (!header) return 'missing';
  const all = header[1].split(',').map((entry) => entry.trim());
  // AWS inspects up to the first 10 addresses for ANY.
  const picked = config.Position === 'FIRST' ? all.slice(0, 1) : config.Position === 'LAST' ? all.slice(-1) : all.slice(0, 10);
  if (picked.some((address) => !isIP(address))) return 'invalid';
  return picked;
}

const compiled = new Map<string, RegExp>();

/**
 * A WAF regular expression compiled once. AWS WAF uses the PCRE syntax
 * subset; palisade compiles with JavaScript RegExp, which agrees on that
 * subset's common constructs.
 * TODO: PCRE-only anchors (\A, \Z, \z, \G) are rejected at validation rather than emulated; JavaScript rejects possessive quantifiers itself.
 */
export function wafRegex(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 's');
    compiled.set(pattern, regex);
  }
  return regex;
}

/** PCRE anchors (`\A`, `\Z`, `\z`, `\G`) that JavaScript would read as plain letters, after an unescaped backslash. */
const PCRE_ONLY_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\[AZzG]/;

/** True when the pattern compiles as a WAF regular expression. */
export function validRegex(pattern: string): boolean {
  if (PCRE_ONLY_ESCAPE.test(pattern)) return false;
  try {
    wafRegex(pattern);
    return true;
  } catch {
    return false;
  }
}

export function matchesAnyRegex(value: string, patterns: string[]): boolean {
  return patterns.some((pattern) => wafRegex(pattern).test(value));
}
