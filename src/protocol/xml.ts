import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/**
 * XML for the awsQuery and restXml protocols. Lists are written as repeated
 * `<member>` elements (awsQuery) or as the element name the caller chooses;
 * Dates become ISO 8601 strings.
 */
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, processEntities: true });
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true });

export function buildXml(rootName: string, value: unknown, namespace?: string): string {
  const root: Record<string, unknown> = toXmlValue(value) as Record<string, unknown>;
  const withNamespace = namespace && typeof root === 'object' ? { '@_xmlns': namespace, ...root } : root;
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ [rootName]: withNamespace });
}

/** Convert a JS value into the tree fast-xml-parser writes, with awsQuery's `<member>` lists. */
export function toXmlValue(value: unknown, listItemName = 'member'): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return { [listItemName]: value.map((item) => toXmlValue(item, listItemName)) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      out[key] = toXmlValue(child, listItemName);
    }
    return out;
  }
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return value;
}

export function parseXml(text: string): Record<string, unknown> {
  return parser.parse(text) as Record<string, unknown>;
}
