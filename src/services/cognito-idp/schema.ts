import { AwsError } from '../../core/errors.ts';
import type { AttributeType, UserPoolRecord } from './records.ts';

/** The standard attributes every user pool has (OpenID Connect Core 1.0 §5.1 plus Cognito's own), with their data types. */
const STANDARD_ATTRIBUTES: [name: string, type: 'String' | 'Boolean' | 'Number', mutable: boolean][] = [
  ['sub', 'String', false],
  ['name', 'String', true],
  ['given_name', 'String', true],
  ['family_name', 'String', true],
  ['middle_name', 'String', true],
  ['nickname', 'String', true],
  ['preferred_username', 'String', true],
  ['profile', 'String', true],
  ['picture', 'String', true],
  ['website', 'String', true],
  ['email', 'String', true],
  ['email_verified', 'Boolean', true],
  ['gender', 'String', true],
  ['birthdate', 'String', true],
  ['zoneinfo', 'String', true],
  ['locale', 'String', true],
  ['phone_number', 'String', true],
  ['phone_number_verified', 'Boolean', true],
  ['address', 'String', true],
  ['updated_at', 'Number', true],
];

const STANDARD_NAMES = new Set(STANDARD_ATTRIBUTES.map(([name]) => name));

export function isStandardAttribute(name: string): boolean {
  return STANDARD_NAMES.has(name);
}

/** Split CreateUserPool's Schema into the standard attributes it requires and the custom attributes it declares. */
export function parseSchema(schema: unknown): { requiredAttributes: string[]; customAttributes: string[] } {
  const requiredAttributes: string[] = [];
  const customAttributes: string[] = [];
  if (schema === undefined) return { requiredAttributes, customAttributes };
  if (!Array.isArray(schema)) throw new AwsError('InvalidParameterException', 'Schema must be a list of SchemaAttributeType.');
  for (const entry of schema as Record<string, any>[]) {
    const name = entry?.Name;
    if (typeof name !== 'string' || name === '') throw new AwsError('InvalidParameterException', 'Schema attribute name must not be empty.');
    if (isStandardAttribute(name)) {
      if (entry.Required === true) requiredAttributes.push(name);
      continue;
    }
    if (entry.Required === true) throw new AwsError('InvalidParameterException', `Required custom attributes are not supported currently.`);
    if (!['String', 'Number', 'DateTime', 'Boolean'].includes(entry.AttributeDataType ?? 'String')) {
      throw new AwsError('InvalidParameterException', `Invalid AttributeDataType for attribute ${name}.`);
    }
    customAttributes.push(name.replace(/^custom:/, ''));
  }
  return { requiredAttributes, customAttributes };
}

/** SchemaAttributes as DescribeUserPool returns them: the standard attributes, then the custom ones. */
export function describeSchema(pool: UserPoolRecord): Record<string, unknown>[] {
  const standard = STANDARD_ATTRIBUTES.map(([name, type, mutable]) => {
    const entry: Record<string, unknown> = {
      Name: name,
      AttributeDataType: type,
      DeveloperOnlyAttribute: false,
      Mutable: mutable,
      Required: name === 'sub' || pool.requiredAttributes.includes(name),
    };
    if (type === 'String') entry.StringAttributeConstraints = name === 'birthdate' ? { MinLength: '10', MaxLength: '10' } : { MinLength: name === 'sub' ? '1' : '0', MaxLength: '2048' };
    if (type === 'Number') entry.NumberAttributeConstraints = { MinValue: '0' };
    return entry;
  });
  const declared: Record<string, any>[] = pool.settings.Schema ?? [];
  const custom = declared
    .filter((entry) => !isStandardAttribute(entry.Name))
    .map((entry) => ({
      Name: `custom:${String(entry.Name).replace(/^custom:/, '')}`,
      AttributeDataType: entry.AttributeDataType ?? 'String',
      DeveloperOnlyAttribute: entry.DeveloperOnlyAttribute ?? false,
      Mutable: entry.Mutable ?? true,
      Required: false,
      ...(entry.StringAttributeConstraints ? { StringAttributeConstraints: entry.StringAttributeConstraints } : {}),
      ...(entry.NumberAttributeConstraints ? { NumberAttributeConstraints: entry.NumberAttributeConstraints } : {}),
    }));
  return [...standard, ...custom];
}

/**
 * Check user attributes against the pool's schema: names must be standard
 * or declared custom attributes, `sub` is Cognito's to set, and values are
 * strings.
 */
export function checkAttributes(pool: UserPoolRecord, attributes: unknown): AttributeType[] {
  if (attributes === undefined) return [];
  if (!Array.isArray(attributes)) throw new AwsError('InvalidParameterException', 'UserAttributes must be a list of AttributeType.');
  const checked: AttributeType[] = [];
  for (const entry of attributes as Record<string, unknown>[]) {
    const name = entry?.Name;
    const value = entry?.Value ?? '';
    if (typeof name !== 'string' || typeof value !== 'string') throw new AwsError('InvalidParameterException', 'Each attribute needs a string Name and Value.');
    const known = isStandardAttribute(name) || (name.startsWith('custom:') && pool.customAttributes.includes(name.slice(7)));
    if (!known) throw new AwsError('InvalidParameterException', `Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`);
    if (name === 'sub') throw new AwsError('InvalidParameterException', 'Attributes did not conform to the schema: sub: Attribute cannot be updated. (changing an immutable attribute)');
    checked.push({ Name: name, Value: value });
  }
  return checked;
}

/** Fail when a required attribute is missing, as SignUp and AdminCreateUser do. */
export function checkRequiredAttributes(pool: UserPoolRecord, attributes: AttributeType[]): void {
  for (const name of pool.requiredAttributes) {
    if (!attributes.some((entry) => entry.Name === name && entry.Value !== '')) {
      throw new AwsError('InvalidParameterException', `Attributes did not conform to the schema: ${name}: The attribute is required`);
    }
  }
}
