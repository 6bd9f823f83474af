import { AwsError } from '../../../core/errors.ts';
import { referencedResources } from './intrinsics.ts';

/**
 * Resources in an order where each comes after everything it depends on:
 * DependsOn (string or list) plus the implicit dependencies of Ref,
 * Fn::GetAtt and Fn::Sub ("DependsOn attribute", CloudFormation User Guide).
 * Dependencies on resources that are not in `resources` (unknown ones) are
 * errors; a cycle is CloudFormation's "Circular dependency" error.
 */
export function dependencyOrder(resources: Record<string, any>): { order: string[]; dependencies: Map<string, Set<string>> } {
  const ids = new Set(Object.keys(resources));
  const dependencies = new Map<string, Set<string>>();
  const unresolved = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const found = referencedResources(resource?.Properties ?? {}, ids);
    const dependsOn = resource?.DependsOn === undefined ? [] : [resource.DependsOn].flat().map(String);
    for (const target of dependsOn) {
      if (ids.has(target)) found.add(target);
      else unresolved.add(target);
    }
    dependencies.set(logicalId, found);
  }
  if (unresolved.size > 0) {
    throw new AwsError('ValidationError', `Template format error: Unresolved resource dependencies [${[...unresolved].join(', ')}] in the Resources block of the template`);
  }
  return { order: topologicalOrder(dependencies), dependencies };
}

function topologicalOrder(dependencies: Map<string, Set<string>>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const remaining = new Set(dependencies.keys());
  while (remaining.size > 0) {
    const ready = [...remaining].filter((id) => [...dependencies.get(id)!].every((dep) => done.has(dep)));
    if (ready.length === 0) {
      throw new AwsError('ValidationError', `Circular dependency between resources: [${cycleMembers(dependencies, remaining).join(', ')}]`);
    }
    for (const id of ready) {
      order.push(id);
      done.add(id);
      remaining.delete(id);
    }
  }
  return order;
}

/** The unordered resources that lie on a cycle, not those merely waiting behind one. */
function cycleMembers(dependencies: Map<string, Set<string>>, remaining: Set<string>): string[] {
  const onCycle = [...remaining].filter((start) => reaches(dependencies, start, start, remaining));
  return (onCycle.length > 0 ? onCycle : [...remaining]).sort();
}

function reaches(dependencies: Map<string, Set<string>>, from: string, target: string, within: Set<string>): boolean {
  const seen = new Set<string>();
  const stack = [...dependencies.get(from)!];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next === target) return true;
    if (seen.has(next) || !within.has(next)) continue;
    seen.add(next);
    stack.push(...dependencies.get(next)!);
  }
  return false;
}
