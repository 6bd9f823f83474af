/**
 * The JSONPath subset mapping templates use in `$input.path(x)` and
 * `$input.json(x)`: `$`, `.name`, `['name']`, `[index]` and `[*]`. Anything
 * else raises, so an unsupported expression never yields a silent empty value.
 */
export class JsonPathError extends Error {}

type Step = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

function parsePath(expression: string): Step[] {
  const text = expression.trim();
  if (!text.startsWith('$')) throw new JsonPathError(`JSONPath expression must start with $: ${expression}`);
  const steps: Step[] = [];
  let rest = text.slice(1);
  while (rest.length) {
    const match =
      /^\.([A-Za-z_$][\w$-]*)/.exec(rest) ??
      /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest) ??
      /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest) ??
      /^\[\s*(-?\d+)\s*\]/.exec(rest) ??
      /^(\[\s*\*\s*\]|\.\*)/.exec(rest);
    if (!match) throw new JsonPathError(`unsupported JSONPath expression: ${expression}`);
    if (match[0].includes('*')) steps.push({ kind: 'wildcard' });
    else if (/^\[\s*-?\d/.test(match[0])) steps.push({ kind: 'index', index: Number(match[1]) });
    else steps.push({ kind: 'name', name: match[1] });
    rest = rest.slice(match[0].length);
  }
  return steps;
}

/** Evaluate a JSONPath against a parsed document; undefined when the path selects nothing. */
export function evaluateJsonPath(document: unknown, expression: string): unknown {
  let current: unknown = document;
  let spread = false;
  for (const step of parsePath(expression)) {
    const select = (value: unknown): unknown => {
      if (value === null || typeof value !== 'object') return undefined;
      if (step.kind === 'wildcard') return Array.isArray(value) ? value : Object.values(value);
      if (step.kind === 'index') {
        if (!Array.isArray(value)) return undefined;
        return value[step.index < 0 ? value.length + step.index : step.index];
      }
      return Object.prototype.hasOwnProperty.call(value, step.name) ? (value as Record<string, unknown>)[step.name] : undefined;
    };
    if (spread && Array.isArray(current)) {
      current = current.map(select).filter((value) => value !== undefined);
    } else {
      current = select(current);
    }
    if (step.kind === 'wildcard') spread = true;
  }
  return current;
}
