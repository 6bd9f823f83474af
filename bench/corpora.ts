/**
 * Labelled inputs for the WAF detection benchmark, read at run time from
 * $PALISADE_CORPORA (default: `shared/corpora` beside the repository): the libinjection sample files and
 * the OWASP CRS regression tests for rules 941xxx (XSS) and 942xxx (SQLi).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export type Family = 'sqli' | 'xss';
export type Split = 'dev' | 'holdout';

/** One request of a CRS regression test, as the test file describes it. */
export interface RawRequest {
  method: string;
  uri: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Case {
  /** Corpus group the case is reported under, e.g. `libinjection sqli` or `crs 942 negative`. */
  source: string;
  family: Family;
  /** True when the case is an attack that a detector should flag. */
  attack: boolean;
  split: Split;
  /** Values palisade's detectors judge: a single decoded value, or every value a CRS request carries. */
  values: string[];
  /** The request ModSecurity receives: a query argument for corpus lines, the test's own request for CRS cases. */
  request: RawRequest;
  id: string;
}

export const CORPORA = process.env.PALISADE_CORPORA ?? fileURLToPath(new URL('../../shared/corpora', import.meta.url));

/** FNV-1a 32-bit hash: stable across runs and machines, so the held-out part never changes. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Return `holdout` for about one case in five (hash 0 modulo 5); detectors are tuned on the `dev` rest only. */
export function splitOf(key: string): Split {
  return stableHash(key) % 5 === 0 ? 'holdout' : 'dev';
}

/** Decode a URL-encoded corpus line as a query-string parser would (`+` is a space); undecodable escapes stay as-is. */
export function decodeLine(line: string): string {
  const spaced = line.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

function queryRequest(value: string): RawRequest {
  return { method: 'GET', uri: `/?q=${encodeURIComponent(value)}`, headers: { Host: 'localhost', 'User-Agent': 'palisade-bench', Accept: '*/*' } };
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/** The attack lines of libinjection's sqli-*.txt and xss-*.txt and the benign lines of false_positives.txt. */
export function loadLibinjection(): Case[] {
  const dir = join(CORPORA, 'libinjection');
  if (!existsSync(dir)) return [];
  const cases: Case[] = [];
  for (const file of readdirSync(dir).sort()) {
    const family: Family | undefined = file.startsWith('sqli-') ? 'sqli' : file.startsWith('xss-') ? 'xss' : undefined;
    const benign = file === 'false_positives.txt';
    if (!family && !benign) continue;
    for (const line of readLines(join(dir, file))) {
      const value = decodeLine(line);
      cases.push({
        source: benign ? 'libinjection false_positives' : `libinjection ${family}`,
        family: family ?? 'sqli',
        attack: !benign,
        split: splitOf(line),
        values: [value],
        request: queryRequest(value),
        id: `${file}:${line}`,
      });
    }
  }
  return cases;
}

interface CrsStage {
  input: { method?: string; uri?: string; headers?: Record<string, string>; data?: string | string[] };
  output?: { log?: { expect_ids?: number[]; no_expect_ids?: number[] } };
}

/**
 * The CRS regression tests of rules 941xxx and 942xxx. A test is an attack when its
 * expected log lists a 941xxx/942xxx rule id (`expect_ids`), and benign otherwise
 * (its log must not contain the rule: `no_expect_ids`).
 */
export function loadCrsRegression(): Case[] {
  const root = join(CORPORA, 'crs-regression');
  if (!existsSync(root)) return [];
  const cases: Case[] = [];
  for (const [dirName, family] of [['REQUEST-941-APPLICATION-ATTACK-XSS', 'xss'], ['REQUEST-942-APPLICATION-ATTACK-SQLI', 'sqli']] as const) {
    const dir = join(root, dirName);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort()) {
      const document = YAML.parse(readFileSync(join(dir, file), 'utf8')) as { rule_id?: number; tests?: { test_id: number; stages: CrsStage[] }[] };
      for (const test of document.tests ?? []) {
        const stage = test.stages[test.stages.length - 1];
        const expected = stage.output?.log?.expect_ids ?? [];
        const attack = expected.some((id) => /^94[12]\d{3}$/.test(String(id)));
        const request = crsRequest(stage);
        const id = `${file.replace('.yaml', '')}-${test.test_id}`;
        const prefix = dirName.slice(8, 11);
        cases.push({ source: `crs ${prefix} ${attack ? 'positive' : 'negative'}`, family, attack, split: splitOf(id), values: requestValues(request), request, id });
      }
    }
  }
  return cases;
}

function crsRequest(stage: CrsStage): RawRequest {
  const input = stage.input;
  const body = Array.isArray(input.data) ? input.data.join('\r\n') : input.data;
  const headers: Record<string, string> = { ...(input.headers ?? {}) };
  // A test body without a Content-Type is form data ("var=1234 OR 1=1"). Without the header
  // ModSecurity does not parse it into ARGS, so no CRS rule would see it.
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return { method: input.method ?? 'GET', uri: input.uri ?? '/', headers, body: body === undefined ? undefined : String(body) };
}

function header(request: RawRequest, name: string): string | undefined {
  const key = Object.keys(request.headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : String(request.headers[key]);
}

function formValues(text: string): string[] {
  const values: string[] = [];
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    values.push(decodeLine(eq < 0 ? pair : pair.slice(0, eq)));
    if (eq >= 0) values.push(decodeLine(pair.slice(eq + 1)));
  }
  return values;
}

/**
 * The values of a CRS test request that palisade's detectors judge, as a web ACL with
 * SqliMatch/XssMatch on these fields would: the decoded URI path, query argument names
 * and values, body (form fields, JSON strings and keys, or the raw body), cookie names
 * and values, and the User-Agent and Referer headers, which CRS 941/942 also inspect.
 */
export function requestValues(request: RawRequest): string[] {
  const values: string[] = [];
  const question = request.uri.indexOf('?');
  values.push(decodeLine(question < 0 ? request.uri : request.uri.slice(0, question)));
  if (question >= 0) values.push(...formValues(request.uri.slice(question + 1)));
  const body = request.body;
  if (body !== undefined && body !== '') {
    const type = header(request, 'content-type') ?? 'application/x-www-form-urlencoded';
    if (type.includes('json')) values.push(...jsonValues(body));
    else if (type.includes('x-www-form-urlencoded')) values.push(...formValues(body));
    else values.push(body);
  }
  for (const cookie of (header(request, 'cookie') ?? '').split(';')) {
    const eq = cookie.indexOf('=');
    if (cookie.trim() === '') continue;
    values.push(decodeLine(cookie.slice(0, eq < 0 ? undefined : eq).trim()));
    if (eq >= 0) values.push(decodeLine(cookie.slice(eq + 1).trim()));
  }
  for (const name of ['user-agent', 'referer']) {
    const value = header(request, name);
    if (value !== undefined && value !== 'OWASP CRS test agent') values.push(value);
  }
  return values.filter((value) => value !== '' && value !== '/');
}

function jsonValues(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [body];
  }
  const values: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') values.push(node);
    else if (typeof node === 'number' || typeof node === 'boolean') values.push(String(node));
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') for (const [key, child] of Object.entries(node)) { values.push(key); walk(child); }
  };
  walk(parsed);
  return values;
}
