import { evaluate, templateError, type EvaluationContext } from './intrinsics.ts';

/**
 * Evaluate the template's Conditions section. A condition may name another
 * condition (`Condition: Other`), so each is evaluated on first use and a
 * loop between conditions is an error.
 */
export function evaluateConditions(definitions: Record<string, unknown> | undefined, base: Omit<EvaluationContext, 'conditions'>): Record<string, boolean> {
  const results: Record<string, boolean> = {};
  const visiting = new Set<string>();
  const names = Object.keys(definitions ?? {});

  const resolve = (name: string): boolean => {
    if (name in results) return results[name];
    if (!definitions || !(name in definitions)) throw templateError(`Unresolved condition dependency ${name}`);
    if (visiting.has(name)) throw templateError(`Circular condition dependency involving ${name}`);
    visiting.add(name);
    const value = evaluateCondition(definitions[name], resolve, base);
    visiting.delete(name);
    results[name] = value;
    return value;
  };

  for (const name of names) resolve(name);
  return results;
}

function evaluateCondition(expression: unknown, resolve: (name: string) => boolean, base: Omit<EvaluationContext, 'conditions'>): boolean {
  if (expression && typeof expression === 'object' && !Array.isArray(expression)) {
    const entries = Object.entries(expression);
    if (entries.length === 1) {
      const [key, args] = entries[0];
      if (key === 'Condition') return resolve(String(args));
      if (key === 'Fn::Not' || key === 'Fn::And' || key === 'Fn::Or') {
        if (!Array.isArray(args)) throw templateError(`${key} requires a list of conditions`);
        const values = args.map((operand) => evaluateCondition(operand, resolve, base));
        if (key === 'Fn::Not') return !values[0];
        return key === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
      if (key === 'Fn::Equals') {
        const value = evaluate(expression, { ...base, conditions: {} });
        return value === true;
      }
    }
  }
  throw templateError('a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition');
}
