import { AwsError } from '../../../core/errors.ts';

/** A template parameter declaration ("Parameters", CloudFormation User Guide). */
export interface ParameterDeclaration {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinLength?: number | string;
  MaxLength?: number | string;
  MinValue?: number | string;
  MaxValue?: number | string;
  NoEcho?: boolean | string;
  Description?: string;
  ConstraintDescription?: string;
}

/** A stack parameter as CreateStack and UpdateStack take it. */
export interface ParameterInput {
  ParameterKey?: string;
  ParameterValue?: string;
  UsePreviousValue?: boolean | string;
}

/** AWS-specific parameter types whose values are ids: palisade checks only that they are strings. */
const ID_TYPE = /^AWS::EC2::(AvailabilityZone::Name|Image::Id|Instance::Id|KeyPair::KeyName|SecurityGroup::GroupName|SecurityGroup::Id|Subnet::Id|Volume::Id|VPC::Id)$|^AWS::Route53::HostedZone::Id$/;

export function isNoEcho(declaration: ParameterDeclaration): boolean {
  return declaration.NoEcho === true || String(declaration.NoEcho).toLowerCase() === 'true';
}

/**
 * Resolve each declared parameter's value from the request, the previous
 * values (UpdateStack's UsePreviousValue) and the Default, then check the
 * declared constraints. Values stay strings; list types become arrays when
 * evaluated (see `parameterValues`).
 */
export function resolveParameters(
  declarations: Record<string, ParameterDeclaration> | undefined,
  inputs: ParameterInput[],
  previous: Record<string, string> = {},
): Record<string, string> {
  const declared = declarations ?? {};
  const unknown = inputs.map((p) => String(p.ParameterKey)).filter((key) => !(key in declared));
  if (unknown.length > 0) throw new AwsError('ValidationError', `Parameters: [${unknown.join(', ')}] do not exist in the template`);

  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, declaration] of Object.entries(declared)) {
    checkType(name, declaration.Type);
    const input = inputs.find((p) => p.ParameterKey === name);
    let value: string | undefined;
    if (input && String(input.UsePreviousValue) === 'true') {
      if (!(name in previous)) throw new AwsError('ValidationError', `Invalid input for parameter key ${name}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      value = previous[name];
    } else if (input) {
      value = input.ParameterValue ?? '';
    } else if (declaration.Default !== undefined) {
      value = Array.isArray(declaration.Default) ? declaration.Default.join(',') : String(declaration.Default);
    }
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    checkConstraints(name, declaration, value);
    values[name] = value;
  }
  if (missing.length > 0) throw new AwsError('ValidationError', `Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

function checkType(name: string, type: string): void {
  if (['String', 'Number', 'List<Number>', 'CommaDelimitedList'].includes(type)) return;
  if (ID_TYPE.test(type)) return;
  const list = /^List<(.+)>$/.exec(type);
  if (list && ID_TYPE.test(list[1])) return;
  if (type.startsWith('AWS::SSM::Parameter')) {
    throw new AwsError('ValidationError', `Parameter '${name}' has type ${type}: palisade does not support SSM parameter types (there is no Systems Manager Parameter Store)`);
  }
  throw new AwsError('ValidationError', `Template format error: Unrecognized parameter type: ${type}`);
}

function checkConstraints(name: string, declaration: ParameterDeclaration, value: string): void {
  const items = isListType(declaration.Type) ? value.split(',').map((item) => item.trim()) : [value];
  for (const item of items) {
    if (declaration.AllowedValues && !declaration.AllowedValues.map(String).includes(item)) {
      throw new AwsError('ValidationError', `Parameter '${name}' must be one of AllowedValues`);
    }
    if (declaration.AllowedPattern !== undefined && !new RegExp(`^(?:${declaration.AllowedPattern})$`).test(item)) {
      throw new AwsError('ValidationError', `Parameter '${name}' must match pattern ${declaration.AllowedPattern}`);
    }
    if (declaration.Type === 'Number' || declaration.Type === 'List<Number>') checkNumber(name, declaration, item);
  }
  if (declaration.MinLength !== undefined && value.length < Number(declaration.MinLength)) {
    throw new AwsError('ValidationError', `Parameter '${name}' must contain at least ${declaration.MinLength} characters`);
  }
  if (declaration.MaxLength !== undefined && value.length > Number(declaration.MaxLength)) {
    throw new AwsError('ValidationError', `Parameter '${name}' must contain at most ${declaration.MaxLength} characters`);
  }
}

function checkNumber(name: string, declaration: ParameterDeclaration, item: string): void {
  const number = Number(item);
  if (item.trim() === '' || Number.isNaN(number)) throw new AwsError('ValidationError', `Parameter '${name}' must be a number`);
  if (declaration.MinValue !== undefined && number < Number(declaration.MinValue)) {
    throw new AwsError('ValidationError', `Parameter '${name}' must be a number not less than ${declaration.MinValue}`);
  }
  if (declaration.MaxValue !== undefined && number > Number(declaration.MaxValue)) {
    throw new AwsError('ValidationError', `Parameter '${name}' must be a number not greater than ${declaration.MaxValue}`);
  }
}

function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

/** Parameter values as Ref returns them: list types as arrays of strings. */
export function parameterValues(declarations: Record<string, ParameterDeclaration> | undefined, values: Record<string, string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = isListType(declarations?.[name]?.Type ?? 'String') ? value.split(',').map((item) => item.trim()) : value;
  }
  return out;
}
