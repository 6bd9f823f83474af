import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { resolveConfig } from '../core/config.ts';
import type { WebRequest } from '../core/seams.ts';
import { parseDocument } from '../services/cloudformation/template/parse.ts';
import { evaluateRules, type Evaluation } from '../services/wafv2/engine/evaluate.ts';
import { RateTracker } from '../services/wafv2/engine/rate-based.ts';
import { inspectRequest } from '../services/wafv2/engine/request.ts';
import { pastedWebAcl } from '../services/wafv2/pasted-web-acl.ts';
import { stringFlag, UsageError, type ParsedArgs } from './args.ts';

/** The account a pasted web ACL's labels are named in when the state directory has none: AWS's documentation example. */
const EXAMPLE_ACCOUNT_ID = '123456789012';

const EVALUATE_FLAGS = new Set(['request', 'requests', 'resource', 'scope', 'json', 'state-dir']);
const REQUEST_MEMBERS = new Set(['method', 'path', 'headers', 'body', 'clientIp']);

/** One request of a `--requests` file. */
interface RequestSpec {
  method?: string;
  /** Path with an optional query string, percent-encoded as sent: `/items?id=1`. */
  path?: string;
  headers?: Record<string, string> | [string, string][];
  body?: string;
  clientIp?: string;
}

/**
 * `palisade waf evaluate <file>`: evaluate a pasted web ACL (get-web-acl
 * output, a WebACL object or a CloudFormation AWS::WAFv2::WebACL) against
 * requests, in process, and print what it allows, blocks, counts and
 * labels. Rate-based rules count across the requests given.
 */
export async function runWaf(args: ParsedArgs): Promise<number> {
  const [subcommand, file] = args.positional;
  if (subcommand !== 'evaluate') throw new UsageError(`unknown waf command ${JSON.stringify(subcommand ?? '')}: expected waf evaluate <file>`);
  if (!file) throw new UsageError('missing file: waf evaluate needs the file that contains the web ACL');
  const unknown = Object.keys(args.flags).filter((flag) => !EVALUATE_FLAGS.has(flag));
  if (unknown.length) throw new UsageError(`unknown option --${unknown[0]} for waf evaluate`);
  const acl = pastedWebAcl(parseDocument(readFileSync(file, 'utf8')), { logicalId: stringFlag(args, 'resource'), accountId: accountIdOf(args), scope: stringFlag(args, 'scope') });
  const requests = requestsOf(args);
  const rateTracker = new RateTracker();
  const results = requests.map((request) => ({ request, evaluation: evaluateRules(acl, inspectRequest(request), { rateTracker }) }));
  if (args.flags.json) {
    process.stdout.write(JSON.stringify(results.map(({ request, evaluation }) => ({ request: requestJson(request), ...evaluation })), null, 2) + '\n');
  } else {
    for (const { request, evaluation } of results) process.stdout.write(formatEvaluation(request, evaluation));
  }
  return 0;
}

/** Return the account of the state directory, when there is one, so labels read as they would in the running palisade. */
function accountIdOf(args: ParsedArgs): string {
  const { stateDir } = resolveConfig({ stateDir: stringFlag(args, 'state-dir') });
  const path = join(stateDir, 'credentials.json');
  if (!existsSync(path)) return EXAMPLE_ACCOUNT_ID;
  return (JSON.parse(readFileSync(path, 'utf8')) as { accountId?: string }).accountId ?? EXAMPLE_ACCOUNT_ID;
}

function requestsOf(args: ParsedArgs): WebRequest[] {
  const single = stringFlag(args, 'request');
  const file = stringFlag(args, 'requests');
  if ((single === undefined) === (file === undefined)) throw new UsageError('waf evaluate needs exactly one of --request "METHOD /path?query" and --requests FILE');
  if (single !== undefined) {
    const [method, path] = single.trim().split(/\s+/);
    if (!method || !path) throw new UsageError(`--request expects "METHOD /path?query", got ${JSON.stringify(single)}`);
    return [webRequest({ method, path, headers: (args.lists.header ?? []).map(headerOf) })];
  }
  if (args.lists.header) throw new UsageError('--header goes with --request; in a --requests file, give each request its headers');
  return requestFile(file!).map(webRequest);
}

function headerOf(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`--header expects "Name: value", got ${JSON.stringify(text)}`);
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

/** Read a `--requests` file: a JSON or YAML list of requests, each member checked so a misspelt one is not dropped. */
function requestFile(file: string): RequestSpec[] {
  let specs: unknown;
  try {
    specs = parseDocument(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`invalid requests file ${file}: ${(error as Error).message.replace(/^Template format error: /, '')}`);
  }
  if (!Array.isArray(specs)) throw new Error(`invalid requests file ${file}: expected a list of requests`);
  specs.forEach((spec, index) => {
    const unknown = Object.keys(spec ?? {}).filter((member) => !REQUEST_MEMBERS.has(member));
    if (unknown.length) throw new Error(`invalid request ${index + 1} in ${file}: unknown member ${unknown[0]} (expected ${[...REQUEST_MEMBERS].join(', ')})`);
    if (spec.clientIp !== undefined && isIP(String(spec.clientIp)) === 0) throw new Error(`invalid request ${index + 1} in ${file}: clientIp ${JSON.stringify(spec.clientIp)} is not an IP address`);
  });
  return specs as RequestSpec[];
}

function webRequest(spec: RequestSpec): WebRequest {
  const path = spec.path ?? '/';
  const question = path.indexOf('?');
  const headers = Array.isArray(spec.headers) ? spec.headers : Object.entries(spec.headers ?? {});
  return {
    method: (spec.method ?? 'GET').toUpperCase(),
    uriPath: question < 0 ? path : path.slice(0, question),
    queryString: question < 0 ? '' : path.slice(question + 1),
    headers: headers.map(([name, value]): [string, string] => [String(name), String(value)]),
    body: Buffer.from(spec.body ?? ''),
    clientIp: spec.clientIp ?? '127.0.0.1',
  };
}

function describe(request: WebRequest): string {
  return `${request.method} ${request.uriPath}${request.queryString ? `?${request.queryString}` : ''} from ${request.clientIp}`;
}

function requestJson(request: WebRequest) {
  return {
    method: request.method,
    path: request.uriPath + (request.queryString ? `?${request.queryString}` : ''),
    headers: request.headers,
    bodyBytes: request.body.length,
    clientIp: request.clientIp,
  };
}

function formatEvaluation(request: WebRequest, evaluation: Evaluation): string {
  const rule = evaluation.terminatingRuleId + (evaluation.ruleNameWithinRuleGroup ? ` (${evaluation.ruleNameWithinRuleGroup})` : '');
  const lines = [`${describe(request)}  ${evaluation.action}  by ${rule}`];
  const response = evaluation.customResponse;
  if (response) {
    const headers = response.headers.map(([name, value]) => `${name}: ${value}`).join(', ');
    lines.push(`  response: ${response.statusCode}${response.body ? ` ${JSON.stringify(response.body)}` : ''}${headers ? ` (${headers})` : ''}`);
  }
  const counted = evaluation.matches.filter((match) => match.action === 'COUNT');
  if (counted.length) lines.push(`  counted: ${counted.map((match) => match.ruleName + (match.ruleNameWithinRuleGroup ? ` (${match.ruleNameWithinRuleGroup})` : '')).join(', ')}`);
  if (evaluation.labels.length) lines.push(`  labels: ${evaluation.labels.join(', ')}`);
  if (evaluation.insertHeaders.length) lines.push(`  inserted headers: ${evaluation.insertHeaders.map(([name, value]) => `${name}: ${value}`).join(', ')}`);
  return lines.join('\n') + '\n';
}
