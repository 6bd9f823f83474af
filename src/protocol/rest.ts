import type { HttpRequest } from '../core/http.ts';
import type { RestRoute } from '../core/service.ts';
import { AwsError } from '../core/errors.ts';

/** A REST route compiled to a path matcher. */
export interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  labels: string[];
}

export function compileRoutes(routes: RestRoute[]): CompiledRoute[] {
  return routes.map((route) => {
    const labels: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) =>
        segment.replace(/\{([A-Za-z0-9_]+)(\+?)\}|[^{}]+/g, (token, label: string | undefined, greedy: string) => {
          if (!label) return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          labels.push(label);
          return greedy ? '(.+)' : '([^/]+)';
        }),
      )
      .join('/');
    return { route, pattern: new RegExp(`^${source}/?$`), labels };
  });
}

/** Find the route for a request and bind path labels, query, headers and body to input members. */
export function bindRestRequest(routes: CompiledRoute[], req: HttpRequest): { route: RestRoute; input: Record<string, unknown> } | undefined {
  for (const compiled of routes) {
    if (compiled.route.method !== req.method) continue;
    const match = compiled.pattern.exec(req.rawPath);
    if (!match) continue;
    return { route: compiled.route, input: bindInput(compiled, match, req) };
  }
  return undefined;
}

function bindInput(compiled: CompiledRoute, match: RegExpExecArray, req: HttpRequest): Record<string, unknown> {
  const { route } = compiled;
  let input: Record<string, unknown> = {};
  if (route.rawBody) {
    input[route.rawBody] = req.body;
  } else if (route.parseBody) {
    input = req.body.length ? route.parseBody(req.body) : {};
  } else if (req.body.length) {
    try {
      input = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new AwsError('SerializationException', 'The request body is not valid JSON.', 400);
    }
  }
  compiled.labels.forEach((label, index) => {
    input[label] = decodeURIComponent(match[index + 1]);
  });
  for (const [param, member] of Object.entries(route.query ?? {})) {
    const values = req.query.getAll(param);
    if (values.length === 1) input[member] = values[0];
    else if (values.length > 1) input[member] = values;
  }
  for (const [name, member] of Object.entries(route.headers ?? {})) {
    const value = req.headers[name.toLowerCase()];
    if (value !== undefined) input[member] = value;
  }
  return input;
}
