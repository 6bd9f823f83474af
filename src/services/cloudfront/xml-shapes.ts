import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AwsError } from '../../core/errors.ts';
import { SHAPES } from './shapes.ts';

/**
 * CloudFront's restXml wire, driven by the type skeleton of the service
 * model (shapes.ts): every list is written as `<Items><Origin>…</Origin></Items>`
 * with the member element name the model gives, and read back into arrays,
 * so operations see the same API shapes whether the caller sent XML or
 * called in-process with JSON.
 */
export type ShapeEntry =
  | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp'
  | ['structure', Record<string, string>]
  | ['list', string, string];
export type ShapeTable = Record<string, ShapeEntry>;

export const CLOUDFRONT_NAMESPACE = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, processEntities: true });

function shapeOf(name: string): ShapeEntry {
  const shape = SHAPES[name];
  if (!shape) throw new Error(`cloudfront shape ${name} is not in shapes.ts`);
  return shape;
}

/** Parse a request body whose root element is `rootName` into the input member of shape `shapeName`. */
export function parseXmlPayload(body: Buffer, rootName: string, shapeName: string): unknown {
  let tree: Record<string, unknown>;
  try {
    tree = parser.parse(body.toString('utf8'), true) as Record<string, unknown>;
  } catch {
    throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.', 400);
  }
  if (!(rootName in tree)) {
    throw new AwsError('MalformedXML', `The XML you provided was not well-formed or did not validate against our published schema: expected the root element ${rootName}.`, 400);
  }
  return readShape(tree[rootName], shapeName, rootName, true);
}

/**
 * Read a value into the API shape: numbers and booleans from their text,
 * lists as arrays (from `<Items><Member/>…</Items>` when `fromXml`), and an
 * unknown member rejected by name so nothing the caller set is silently lost.
 */
export function readShape(value: unknown, shapeName: string, path: string, fromXml = false): unknown {
  const shape = shapeOf(shapeName);
  if (value === undefined || value === null) return undefined;
  if (typeof shape === 'string') return readScalar(value, shape, path);
  if (shape[0] === 'list') return readList(value, shape, path, fromXml);
  if (typeof value !== 'object' || Array.isArray(value)) {
    if (fromXml && value === '') return {};
    throw new AwsError('InvalidArgument', `${path} must be a structure.`, 400);
  }
  const out: Record<string, unknown> = {};
  for (const [member, child] of Object.entries(value as Record<string, unknown>)) {
    const memberShape = shape[1][member];
    if (!memberShape) throw new AwsError('InvalidArgument', `${path} has no member named ${member}.`, 400);
    const read = readShape(child, memberShape, `${path}.${member}`, fromXml);
    if (read !== undefined) out[member] = read;
  }
  return out;
}

function readList(value: unknown, shape: ['list', string, string], path: string, fromXml: boolean): unknown[] {
  let items: unknown = value;
  if (fromXml) {
    if (value === '') return [];
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new AwsError('MalformedXML', `${path} must contain ${shape[2]} elements.`, 400);
    }
    items = (value as Record<string, unknown>)[shape[2]] ?? [];
  }
  const list = Array.isArray(items) ? items : [items];
  return list.map((item, index) => readShape(item, shape[1], `${path}[${index}]`, fromXml));
}

function readScalar(value: unknown, type: string, path: string): unknown {
  switch (type) {
    case 'integer':
    case 'long': {
      const number = typeof value === 'number' ? value : Number(String(value).trim());
      if (!Number.isInteger(number) || String(value).trim() === '') {
        throw new AwsError('InvalidArgument', `${path} must be an integer, not ${JSON.stringify(value)}.`, 400);
      }
      return number;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const text = String(value).trim().toLowerCase();
      if (text !== 'true' && text !== 'false') throw new AwsError('InvalidArgument', `${path} must be true or false, not ${JSON.stringify(value)}.`, 400);
      return text === 'true';
    }
    case 'timestamp':
      return value instanceof Date ? value : new Date(String(value));
    default:
      if (typeof value === 'object') throw new AwsError('InvalidArgument', `${path} must be a string.`, 400);
      return String(value);
  }
}

/** Serialize an output payload as CloudFront does: `<?xml…?><Root xmlns="…">…</Root>`. */
export function buildXmlPayload(rootName: string, shapeName: string, value: unknown): string {
  const tree = toXmlTree(value, shapeName) as Record<string, unknown>;
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ [rootName]: { '@_xmlns': CLOUDFRONT_NAMESPACE, ...tree } });
}

function toXmlTree(value: unknown, shapeName: string): unknown {
  const shape = shapeOf(shapeName);
  if (typeof shape === 'string') {
    if (value instanceof Date) return value.toISOString();
    if (shape === 'timestamp' && typeof value === 'string') return new Date(value).toISOString();
    return String(value);
  }
  if (shape[0] === 'list') {
    const items = (value as unknown[]).map((item) => toXmlTree(item, shape[1]));
    return { [shape[2]]: items };
  }
  const out: Record<string, unknown> = {};
  // Members in model order, as CloudFront writes them.
  for (const [member, memberShape] of Object.entries(shape[1])) {
    const child = (value as Record<string, unknown>)[member];
    if (child === undefined || child === null) continue;
    if (Array.isArray(child) && child.length === 0) continue;
    out[member] = toXmlTree(child, memberShape);
  }
  return out;
}
