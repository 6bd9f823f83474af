import { render } from 'velocityjs';
import { evaluateJsonPath } from './jsonpath.ts';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from './util.ts';

/** The method request's parameters as `$input.params()` returns them. */
export interface RequestParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export interface TemplateInput {
  /** The payload `$input` reads: the method request body, or the integration response body in a response template. */
  body: string;
  params: RequestParams;
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

/** `$context.responseOverride` as a response template may set it. */
export interface ResponseOverride {
  status?: unknown;
  header: Record<string, unknown>;
}

/** The payload is not JSON but the template reads it as JSON. */
export class TemplateBodyError extends Error {}

/**
 * Wrap a JSON value so that printing it writes JSON text. API Gateway's
 * `$input.path` returns JSON objects whose string form is JSON: the lab's
 * `$input.path('$')` over `["My favorite player is Lionel Messi"]` prints
 * exactly that array. velocityjs would print a plain array or object in Java
 * `toString` form (`[a, b]`, `{k=v}`), so lists and maps become objects with
 * a JSON `toString` that still support `.size()`, `[i]`, `.key` and `#foreach`.
 */
export function jsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const wrapped: Record<string, unknown> = {};
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
  for (const [key, item] of entries) wrapped[key] = jsonValue(item);
  Object.defineProperty(wrapped, 'toString', { value: () => JSON.stringify(value), enumerable: false });
  if (Array.isArray(value)) Object.defineProperty(wrapped, 'length', { value: value.length, enumerable: false });
  return wrapped;
}

function parseBody(body: string): unknown {
  // An empty body reads as an empty object, so templates over GET requests still render.
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new TemplateBodyError(`Could not parse request body into json: ${(error as Error).message}`);
  }
}

/** `$input.params(x)`: the named parameter from the path, then the query string, then the headers. */
function lookupParam(params: RequestParams, name: string): string {
  return params.path[name] ?? params.querystring[name] ?? params.header[name.toLowerCase()] ?? '';
}

function inputVariable(input: TemplateInput) {
  let parsed: { value: unknown } | undefined;
  const document = () => (parsed ??= { value: parseBody(input.body) }).value;
  return {
    body: input.body,
    json: (path: string) => {
      const value = evaluateJsonPath(document(), String(path));
      return value === undefined ? '' : JSON.stringify(value);
    },
    path: (path: string) => {
      const value = evaluateJsonPath(document(), String(path));
      return value === undefined ? '' : jsonValue(value);
    },
    params: (name?: string) => (name === undefined ? structuredClone(input.params) : lookupParam(input.params, String(name))),
  };
}

const utilVariable = {
  escapeJavaScript,
  urlEncode,
  urlDecode,
  base64Encode,
  base64Decode,
  parseJson: (text: string) => JSON.parse(String(text)),
};

/**
 * Render a mapping template with the variables API Gateway defines: `$input`,
 * `$context`, `$stageVariables` and `$util`. A template can set
 * `$context.responseOverride.status` and `.header.<name>`, which is returned.
 */
export function renderTemplate(template: string, input: TemplateInput): { text: string; responseOverride: ResponseOverride } {
  const responseOverride: ResponseOverride = { header: {} };
  const context = { ...structuredClone(input.context), responseOverride };
  const text = render(template, {
    input: inputVariable(input),
    context,
    stageVariables: { ...input.stageVariables },
    util: utilVariable,
  });
  return { text, responseOverride: context.responseOverride };
}
