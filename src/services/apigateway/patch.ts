import { badRequest } from './records.ts';

/**
 * PatchOperation as the Update* operations take it: a JSON Patch (RFC 6902)
 * subset whose values are always strings.
 */
export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

/** One supported path: a literal (`/authorizationType`) or a prefix for map keys (`/requestParameters/`). */
export interface PatchRule {
  path: string;
  /** True when the rule is a map prefix and the rest of the path names the key. */
  isMap?: boolean;
  ops: string[];
  apply(op: string, value: string | undefined, key: string): void;
}

/** Apply each operation in order through the rule that owns its path; an unsupported path or op is a BadRequestException naming it. */
export function applyPatch(operations: unknown, rules: PatchRule[]): void {
  if (operations === undefined) return;
  if (!Array.isArray(operations)) throw badRequest('patchOperations must be a list');
  for (const operation of operations as PatchOperation[]) {
    const op = operation.op ?? '';
    const path = operation.path ?? '';
    const rule = rules.find((candidate) => (candidate.isMap ? path.startsWith(candidate.path) && path.length > candidate.path.length : candidate.path === path));
    if (!rule) {
      throw badRequest(`Invalid patch path '${path}' specified for op '${op}'. Must be one of: [${rules.map((r) => (r.isMap ? `${r.path}*` : r.path)).join(', ')}]`);
    }
    if (!rule.ops.includes(op)) {
      throw badRequest(`Invalid patch operation specified. Must be one of: [${rule.ops.join(', ')}] for path '${path}'`);
    }
    // RFC 6901 §4: `~1` stands for `/` and `~0` for `~` inside a key.
    const key = rule.isMap ? path.slice(rule.path.length).replace(/~1/g, '/').replace(/~0/g, '~') : '';
    rule.apply(op, operation.value, key);
  }
}

/** Parse a Boolean patch value, which API Gateway takes as the strings `true` and `false`. */
export function patchBoolean(path: string, value: string | undefined): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`Invalid value '${value ?? ''}' for ${path}: must be true or false`);
}

export function requirePatchValue(path: string, value: string | undefined): string {
  if (value === undefined) throw badRequest(`Invalid patch operation: a value is required for path '${path}'`);
  return value;
}
