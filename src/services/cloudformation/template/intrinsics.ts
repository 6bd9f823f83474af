import { AwsError } from '../../../core/errors.ts';

/** `Ref: AWS::NoValue`: the property or list item that evaluates to it is removed. */
export const NO_VALUE = Symbol('AWS::NoValue');

/** What an intrinsic function may read while a template is evaluated. */
export interface EvaluationContext {
  /** AWS::Region, AWS::AccountId, AWS::StackName, AWS::StackId, AWS::Partition, AWS::URLSuffix. */
  pseudoParameters: Record<string, string>;
  parameters: Record<string, string | string[]>;
  conditions: Record<string, boolean>;
  mappings: Record<string, any>;
  /** Logical ids of the template's resources. */
  resourceIds: ReadonlySet<string>;
  /** Ref of a resource: its physical id (or what the type documents as its Ref value). */
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
}

/** Functions that CloudFormation documents but palisade does not evaluate; each fails naming itself. */
const UNSUPPORTED: Record<string, string> = {
  'Fn::ImportValue': 'palisade does not support Fn::ImportValue: stack exports are not implemented',
  'Fn::Cidr': 'palisade does not support Fn::Cidr',
  'Fn::Transform': 'palisade does not support Fn::Transform (macros are not implemented)',
  'Fn::Length': 'palisade does not support Fn::Length (AWS::LanguageExtensions is not implemented)',
  'Fn::ToJsonString': 'palisade does not support Fn::ToJsonString (AWS::LanguageExtensions is not implemented)',
  'Fn::ForEach': 'palisade does not support Fn::ForEach (AWS::LanguageExtensions is not implemented)',
};

export function templateError(message: string): AwsError {
  return new AwsError('ValidationError', `Template error: ${message}`);
}

/** The name of the intrinsic function a value is, or undefined when it is plain data. */
export function intrinsicName(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

/** Evaluate every intrinsic function in a value ("Intrinsic function reference", CloudFormation User Guide). */
export function evaluate(value: unknown, ctx: EvaluationContext): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => evaluate(item, ctx)).filter((item) => item !== NO_VALUE);
  }
  if (value && typeof value === 'object') {
    const name = intrinsicName(value);
    if (name) return evaluateFunction(name, (value as Record<string, unknown>)[name], ctx);
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const evaluated = evaluate(child, ctx);
      if (evaluated !== NO_VALUE) out[key] = evaluated;
    }
    return out;
  }
  return value;
}

function evaluateFunction(name: string, args: unknown, ctx: EvaluationContext): unknown {
  switch (name) {
    case 'Ref':
      return evaluateRef(String(evaluate(args, ctx)), ctx);
    case 'Fn::GetAtt':
      return evaluateGetAtt(args, ctx);
    case 'Fn::Sub':
      return evaluateSub(args, ctx);
    case 'Fn::Join': {
      const [delimiter, list] = expectArgs(name, args, 2);
      const items = evaluate(list, ctx);
      if (!Array.isArray(items)) throw templateError('Fn::Join requires a list of values as its second argument');
      return items.map((item) => scalarString(name, item)).join(String(delimiter));
    }
    case 'Fn::Select': {
      const [index, list] = expectArgs(name, args, 2);
      const items = evaluate(list, ctx);
      const position = Number(evaluate(index, ctx));
      if (!Array.isArray(items) || !Number.isInteger(position) || position < 0 || position >= items.length) {
        throw templateError(`Fn::Select cannot select nonexistent value at index ${String(index)}`);
      }
      return items[position];
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArgs(name, args, 2);
      return scalarString(name, evaluate(source, ctx)).split(String(delimiter));
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = expectArgs(name, args, 3);
      return evaluate(conditionValue(String(condition), ctx) ? whenTrue : whenFalse, ctx);
    }
    case 'Fn::Equals': {
      const [left, right] = expectArgs(name, args, 2);
      return String(evaluate(left, ctx)) === String(evaluate(right, ctx));
    }
    case 'Fn::Not': {
      const [operand] = expectArgs(name, args, 1);
      return !booleanOperand(operand, ctx);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(args) || args.length < 2 || args.length > 10) throw templateError(`${name} requires between 2 and 10 conditions`);
      const values = args.map((operand) => booleanOperand(operand, ctx));
      return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Fn::Base64':
      return Buffer.from(scalarString(name, evaluate(args, ctx))).toString('base64');
    case 'Fn::GetAZs':
      return availabilityZones(String(evaluate(args, ctx) || ctx.pseudoParameters['AWS::Region']));
    case 'Fn::FindInMap': {
      const [mapName, topKey, secondKey] = expectArgs(name, args, 3).map((arg) => String(evaluate(arg, ctx)));
      const found = ctx.mappings?.[mapName]?.[topKey]?.[secondKey];
      if (found === undefined) throw templateError(`Unable to get mapping for ${mapName}::${topKey}::${secondKey}`);
      return found;
    }
  }
  if (UNSUPPORTED[name]) throw templateError(UNSUPPORTED[name]);
  throw templateError(`Unrecognized intrinsic function ${name}`);
}

function evaluateRef(target: string, ctx: EvaluationContext): unknown {
  if (target === 'AWS::NoValue') return NO_VALUE;
  if (target === 'AWS::NotificationARNs') return [];
  if (target in ctx.pseudoParameters) return ctx.pseudoParameters[target];
  if (target in ctx.parameters) return ctx.parameters[target];
  if (ctx.resourceIds.has(target)) return ctx.ref(target);
  throw templateError(`Unresolved resource dependencies [${target}] in the Resources block of the template`);
}

function evaluateGetAtt(args: unknown, ctx: EvaluationContext): unknown {
  const parts = typeof args === 'string' ? splitAtFirstDot(args) : args;
  if (!Array.isArray(parts) || parts.length !== 2) throw templateError('Fn::GetAtt requires a resource name and an attribute name');
  const logicalId = String(parts[0]);
  const attribute = String(evaluate(parts[1], ctx));
  if (!ctx.resourceIds.has(logicalId)) {
    throw templateError(`Instance ${logicalId} was not found while resolving Fn::GetAtt ${logicalId}.${attribute}`);
  }
  return ctx.getAtt(logicalId, attribute);
}

function splitAtFirstDot(text: string): string[] {
  const dot = text.indexOf('.');
  return dot === -1 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** `Fn::Sub`: `${Param}`, `${Resource}`, `${Resource.Attribute}`, `${!Literal}` → `${Literal}`. */
function evaluateSub(args: unknown, ctx: EvaluationContext): string {
  const [source, variables] = Array.isArray(args) ? args : [args, {}];
  if (typeof source !== 'string') throw templateError('Fn::Sub requires a string as its first argument');
  const values: Record<string, unknown> = {};
  for (const [key, expression] of Object.entries((variables ?? {}) as Record<string, unknown>)) values[key] = evaluate(expression, ctx);
  return source.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return '${' + inner.slice(1) + '}';
    const name = inner.trim();
    if (name in values) return scalarString('Fn::Sub', values[name]);
    if (name.includes('.') && !(name in ctx.pseudoParameters)) {
      const [logicalId, attribute] = splitAtFirstDot(name);
      return scalarString('Fn::Sub', evaluateGetAtt([logicalId, attribute], ctx));
    }
    return scalarString('Fn::Sub', evaluateRef(name, ctx));
  });
}

function booleanOperand(operand: unknown, ctx: EvaluationContext): boolean {
  if (operand && typeof operand === 'object' && 'Condition' in operand && Object.keys(operand).length === 1) {
    return conditionValue(String((operand as { Condition: unknown }).Condition), ctx);
  }
  const value = evaluate(operand, ctx);
  if (typeof value !== 'boolean') throw templateError('condition functions accept only Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition as operands');
  return value;
}

function conditionValue(name: string, ctx: EvaluationContext): boolean {
  if (!(name in ctx.conditions)) throw templateError(`Unresolved condition dependency ${name} in Fn::If`);
  return ctx.conditions[name];
}

function expectArgs(name: string, args: unknown, count: number): unknown[] {
  if (!Array.isArray(args) || args.length !== count) throw templateError(`${name} requires a list of ${count} arguments`);
  return args;
}

function scalarString(name: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw templateError(`${name} accepts only strings, numbers and booleans here, not ${Array.isArray(value) ? 'a list' : 'an object'}`);
}

/**
 * TODO: palisade has no real availability zones; Fn::GetAZs returns the zone
 * names of the region's public naming (us-east-1a … us-east-1f) as a stand-in.
 */
function availabilityZones(region: string): string[] {
  const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
  return [...letters].map((letter) => `${region}${letter}`);
}

/** Logical ids of the resources a value references through Ref, Fn::GetAtt and Fn::Sub. */
export function referencedResources(value: unknown, resourceIds: ReadonlySet<string>, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedResources(item, resourceIds, found);
    return found;
  }
  if (!value || typeof value !== 'object') return found;
  const name = intrinsicName(value);
  const args = name ? (value as Record<string, unknown>)[name] : undefined;
  if (name === 'Ref' && typeof args === 'string' && resourceIds.has(args)) found.add(args);
  if (name === 'Fn::GetAtt') {
    const logicalId = typeof args === 'string' ? splitAtFirstDot(args)[0] : Array.isArray(args) ? String(args[0]) : '';
    if (resourceIds.has(logicalId)) found.add(logicalId);
  }
  if (name === 'Fn::Sub') {
    const [source, variables] = Array.isArray(args) ? args : [args, {}];
    const local = new Set(Object.keys((variables ?? {}) as object));
    for (const match of String(source).matchAll(/\$\{([^!}][^}]*)\}/g)) {
      const logicalId = splitAtFirstDot(match[1].trim())[0];
      if (!local.has(match[1].trim()) && resourceIds.has(logicalId)) found.add(logicalId);
    }
  }
  for (const child of Object.values(value)) referencedResources(child, resourceIds, found);
  return found;
}
