import { readFileSync } from 'node:fs';
import { addressToBigInt, parseCidr, rangeContains, type AddressRange } from './client-address.ts';

/** Country (ISO 3166-1 alpha-2) and optional region (ISO 3166-2 subdivision suffix) of an address. */
export interface GeoLocation {
  country: string;
  region?: string;
}

/**
 * Country of an address that no configured range covers, loopback included.
 * `ZZ` is an ISO 3166 user-assigned code and is not a CountryCode the WAFv2
 * API accepts, so no GeoMatchStatement can match an unmapped address.
 */
export const UNKNOWN_COUNTRY = 'ZZ';

/** Environment variable with the address-range-to-country map: inline JSON or the path of a JSON file. */
export const GEO_MAP_VARIABLE = 'PALISADE_WAF_GEO_MAP';

export interface GeoSource {
  locate(address: string): GeoLocation;
}

/**
 * Build a geo source from `{ "<CIDR>": "<CC>" | "<CC>-<REGION>" }`. The
 * most specific range that contains the address wins. There is no real
 * geography on loopback, so this map is the only source of countries.
 */
export function createGeoSource(map: Record<string, string>): GeoSource {
  const ranges: { range: AddressRange; location: GeoLocation }[] = [];
  for (const [cidr, code] of Object.entries(map)) {
    const range = parseCidr(cidr);
    const match = /^([A-Z]{2})(?:-([A-Z0-9]{1,3}))?$/.exec(code);
    if (!range) throw new Error(`${GEO_MAP_VARIABLE}: invalid CIDR range ${JSON.stringify(cidr)}; expected e.g. 192.0.2.0/24`);
    if (!match) throw new Error(`${GEO_MAP_VARIABLE}: invalid location ${JSON.stringify(code)} for ${cidr}; expected e.g. US or US-WA`);
    ranges.push({ range, location: { country: match[1], region: match[2] } });
  }
  ranges.sort((a, b) => b.range.prefixLength - a.range.prefixLength);
  return {
    locate(address) {
      const value = addressToBigInt(address);
      if (value === undefined) return { country: UNKNOWN_COUNTRY };
      return ranges.find(({ range }) => rangeContains(range, value))?.location ?? { country: UNKNOWN_COUNTRY };
    },
  };
}

let cached: { setting: string | undefined; source: GeoSource } | undefined;

/** The geo source configured by PALISADE_WAF_GEO_MAP, re-read when the variable changes. */
export function configuredGeoSource(): GeoSource {
  const setting = process.env[GEO_MAP_VARIABLE];
  if (cached && cached.setting === setting) return cached.source;
  cached = { setting, source: createGeoSource(readGeoMap(setting)) };
  return cached.source;
}

function readGeoMap(setting: string | undefined): Record<string, string> {
  if (!setting) return {};
  const text = setting.trimStart().startsWith('{') ? setting : readFileSync(setting, 'utf8');
  const map = JSON.parse(text) as unknown;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new Error(`${GEO_MAP_VARIABLE}: expected a JSON object of CIDR range to country code`);
  return map as Record<string, string>;
}

/** AWS's geo labels: `awswaf:clientip:geo:...` for the origin address, `awswaf:forwardedip:geo:...` with ForwardedIPConfig. */
export function geoLabels(location: GeoLocation, forwarded: boolean): string[] {
  const prefix = forwarded ? 'awswaf:forwardedip:geo:' : 'awswaf:clientip:geo:';
  const labels = [`${prefix}country:${location.country}`];
  if (location.region) labels.push(`${prefix}region:${location.country}-${location.region}`);
  return labels;
}
