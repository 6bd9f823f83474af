import { isIP } from 'node:net';
import type { InspectedRequest } from './request.ts';

/** ForwardedIPConfig as the WAFv2 API spells it. */
export interface ForwardedIPConfig {
  HeaderName: string;
  FallbackBehavior: 'MATCH' | 'NO_MATCH';
}

/**
 * The address a statement inspects: the request origin, or with a
 * ForwardedIPConfig the first address in that header (AWS WAF Developer
 * Guide, "Forwarded IP address": geo match and rate-based statements use the
 * first IP in the header). `missing` means the header is absent, so AWS does
 * not apply the rule at all; `invalid` means its first entry is not an IP
 * address, so the FallbackBehavior decides (API_ForwardedIPConfig).
 */
export function inspectedAddress(request: InspectedRequest, forwarded: ForwardedIPConfig | undefined): string | 'missing' | 'invalid' {
  if (!forwarded) return request.source.clientIp;
  const name = forwarded.HeaderName.toLowerCase();
  const header = request.headers.find(([key]) => key === name);
  if (!header) return 'missing';
  const first = header[1].split(',')[0].trim();
  return isIP(first) ? first : 'invalid';
}

/** An IPv4 or IPv6 address as a 128-bit integer (IPv4 mapped into ::ffff:0:0/96), or undefined when invalid. */
export function addressToBigInt(address: string): bigint | undefined {
  const version = isIP(address);
  if (version === 4) return 0xffff00000000n + ipv4ToBigInt(address);
  if (version !== 6) return undefined;
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hexadecimal groups.
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail) {
    const value = ipv4ToBigInt(tail[1]);
    text = text.slice(0, -tail[1].length) + `${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...restGroups];
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n);
}

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((sum, octet) => (sum << 8n) + BigInt(Number(octet)), 0n);
}

/** A CIDR range as the 128-bit network value and prefix length on the same scale as addressToBigInt. */
export interface AddressRange {
  network: bigint;
  prefixLength: number;
}

/** Parse `192.0.2.0/24` or `2001:db8::/32`; returns undefined when invalid. */
export function parseCidr(cidr: string): AddressRange | undefined {
  const [address, prefix] = cidr.split('/');
  const value = addressToBigInt(address);
  if (value === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = Number(prefix) + (isIP(address) === 4 ? 96 : 0);
  if (bits > 128 || (isIP(address) === 4 && Number(prefix) > 32)) return undefined;
  return { network: value & rangeMask(bits), prefixLength: bits };
}

export function rangeContains(range: AddressRange, address: bigint): boolean {
  return (address & rangeMask(range.prefixLength)) === range.network;
}

function rangeMask(prefixLength: number): bigint {
  const all = (1n << 128n) - 1n;
  return prefixLength === 0 ? 0n : (all >> BigInt(128 - prefixLength)) << BigInt(128 - prefixLength);
}
