import { isIP } from 'node:net';
import { parseCidr } from '../engine/client-address.ts';
import type { EntityRecord, EntityStore } from '../entity-store.ts';
import { invalidParameter, limitsExceeded, REASON } from '../errors.ts';
import { requireEnum, requireMember, type Input } from '../validate-members.ts';
import type { WebAclStore } from '../web-acl-store.ts';
import { entityOperations, type EntitySpec } from './entity-crud.ts';

/** AWS's quota of addresses per IP set. */
const MAX_ADDRESSES = 10000;

/**
 * Addresses in CIDR notation of the set's IPAddressVersion: IPv4 /1 to /32,
 * IPv6 /1 to /128 (API_IPSet, Addresses). A bare address or the other
 * version is rejected, naming the address.
 */
function validateAddresses(addresses: unknown, version: string): string[] {
  if (!Array.isArray(addresses)) throw invalidParameter('IP_ADDRESS', 'Addresses', REASON.invalidFormat);
  if (addresses.length > MAX_ADDRESSES) throw limitsExceeded();
  for (const address of addresses) {
    const text = String(address);
    const [ip, prefix] = text.split('/');
    const wanted = version === 'IPV4' ? 4 : 6;
    const prefixNumber = Number(prefix);
    if (typeof address !== 'string' || isIP(ip) !== wanted || !/^\d{1,3}$/.test(prefix ?? '') || prefixNumber < 1 || prefixNumber > (wanted === 4 ? 32 : 128) || !parseCidr(text)) {
      throw invalidParameter('IP_ADDRESS', text, REASON.invalidFormat);
    }
  }
  return addresses as string[];
}

const IP_SET: EntitySpec = {
  kind: 'ipset',
  noun: 'IPSet',
  listMember: 'IPSets',
  field: 'IP_SET',
  body(input: Input, _scope, _ctx, existing?: EntityRecord) {
    const version = existing ? existing.Body.IPAddressVersion : requireEnum(input, 'IPAddressVersion', 'IP_ADDRESS_VERSION', ['IPV4', 'IPV6']);
    return { IPAddressVersion: version, Addresses: validateAddresses(requireMember(input, 'Addresses', 'IP_ADDRESS'), version) };
  },
  output(record) {
    return { Name: record.Name, Id: record.Id, ARN: record.ARN, Description: record.Description, IPAddressVersion: record.Body.IPAddressVersion, Addresses: record.Body.Addresses };
  },
};

export function ipSetOperations(entities: EntityStore, webAcls: WebAclStore) {
  return entityOperations(IP_SET, entities, webAcls);
}
