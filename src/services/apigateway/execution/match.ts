import type { Method, Resource } from '../records.ts';

export interface RouteMatch {
  resource: Resource;
  method: Method;
  /** Values of the resource path's `{name}` and `{name+}` parts, percent-decoded. */
  pathParameters: Record<string, string>;
}

function childrenOf(resources: Resource[], parentId: string): Resource[] {
  return resources.filter((resource) => resource.parentId === parentId);
}

/**
 * Find the resource for a stage-relative path. A literal path part wins over
 * a `{param}` sibling, and a greedy `{proxy+}` takes the rest of the path
 * ("Set up a proxy integration with a proxy resource").
 */
function matchResource(resources: Resource[], current: Resource, segments: string[], parameters: Record<string, string>): Resource | undefined {
  if (segments.length === 0) return current;
  const [segment, ...rest] = segments;
  const children = childrenOf(resources, current.id);
  const literal = children.find((child) => child.pathPart === segment);
  if (literal) {
    const found = matchResource(resources, literal, rest, parameters);
    if (found) return found;
  }
  const variable = children.find((child) => /^\{[^+]+\}$/.test(child.pathPart ?? ''));
  if (variable) {
    const scoped = { ...parameters, [variable.pathPart!.slice(1, -1)]: decode(segment) };
    const found = matchResource(resources, variable, rest, scoped);
    if (found) {
      Object.assign(parameters, scoped);
      return found;
    }
  }
  const greedy = children.find((child) => /^\{.+\+\}$/.test(child.pathPart ?? ''));
  if (greedy) {
    parameters[greedy.pathPart!.slice(1, -2)] = segments.map(decode).join('/');
    return greedy;
  }
  return undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Match a method request against a deployed snapshot's resources; `ANY` serves methods with no method of their own. */
export function matchRoute(resourceMap: Record<string, Resource>, httpMethod: string, rawPath: string): RouteMatch | undefined {
  const resources = Object.values(resourceMap);
  const root = resources.find((resource) => resource.path === '/');
  if (!root) return undefined;
  const segments = rawPath.split('/').filter((segment) => segment !== '');
  const pathParameters: Record<string, string> = {};
  const resource = matchResource(resources, root, segments, pathParameters);
  if (!resource) return undefined;
  const method = resource.resourceMethods?.[httpMethod] ?? resource.resourceMethods?.ANY;
  return method ? { resource, method, pathParameters } : undefined;
}
