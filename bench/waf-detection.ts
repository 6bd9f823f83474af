/**
 * Detection benchmark: palisade's SQL-injection and XSS detectors against ModSecurity 2
 * with the OWASP CRS at paranoia levels 1 and 2, on the same labelled inputs.
 *
 *   node --import tsx bench/waf-detection.ts [--no-modsecurity] [--modsecurity-cache=<file>]
 *     [--misses=<source>] [--false-positives=<source>]
 *
 * `--modsecurity-cache` stores ModSecurity's verdicts in <file> and reuses them on the
 * next run with the same cases, so detector tuning does not rerun Apache.
 *
 * `--misses` and `--false-positives` list the development-split cases a palisade detector
 * gets wrong, for tuning; held-out cases are never listed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { detectSqlInjection } from '../src/services/wafv2/detectors/sqli.ts';
import { detectXss } from '../src/services/wafv2/detectors/xss.ts';
import { applyTransformations } from '../src/services/wafv2/engine/transformations.ts';
import { CORPORA, loadCrsRegression, loadLibinjection, type Case, type Split } from './corpora.ts';
import { modSecurityMissing, startModSecurity, type ModSecurityInstance } from './modsecurity.ts';

type Detector = { name: string; flags(values: string[]): boolean };

/**
 * Each value is judged as a web ACL rule pair would judge it, once as received and once
 * after HTML_ENTITY_DECODE, as AWS's managed SQLi and XSS rules inspect with both
 * URL_DECODE and HTML_ENTITY_DECODE (the URL decoding is done when the value is read).
 */
function inspected(values: string[]): string[] {
  return values.flatMap((value) => {
    const decoded = applyTransformations(value, [{ Priority: 0, Type: 'HTML_ENTITY_DECODE' }]);
    return decoded === value ? [value] : [value, decoded];
  });
}

const DETECTORS: Detector[] = [
  { name: 'SQLi LOW', flags: (values) => inspected(values).some((value) => detectSqlInjection(value, 'LOW').matched) },
  { name: 'SQLi HIGH', flags: (values) => inspected(values).some((value) => detectSqlInjection(value, 'HIGH').matched) },
  { name: 'XSS', flags: (values) => inspected(values).some((value) => detectXss(value).matched) },
];
const PARANOIA_LEVELS = [1, 2];
/** Upper bounds on the ModSecurity request loop for one paranoia level. */
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 40_000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 300);
const CONCURRENCY = 4;

/** Verdicts per case: one column per palisade detector and per CRS paranoia level (undefined when not measured). */
type Verdicts = Map<string, (boolean | undefined)[]>;

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

async function scoreModSecurity(instance: ModSecurityInstance, cases: Case[]): Promise<(boolean | undefined)[]> {
  const verdicts: (boolean | undefined)[] = new Array(cases.length).fill(undefined);
  const deadline = Date.now() + MAX_SECONDS * 1000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length && next < MAX_REQUESTS && Date.now() < deadline) {
      const index = next++;
      const status = await instance.send(cases[index].request);
      if (status !== 0) verdicts[index] = status === 403;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return verdicts;
}

interface Column {
  name: string;
  verdicts: (boolean | undefined)[];
}

function rate(cases: Case[], verdicts: (boolean | undefined)[], pick: (item: Case) => boolean): { flagged: number; measured: number } {
  let flagged = 0;
  let measured = 0;
  cases.forEach((item, i) => {
    if (!pick(item) || verdicts[i] === undefined) return;
    measured++;
    if (verdicts[i]) flagged++;
  });
  return { flagged, measured };
}

function percent({ flagged, measured }: { flagged: number; measured: number }): string {
  return measured === 0 ? 'n/a' : `${((100 * flagged) / measured).toFixed(1)}%`;
}

function printTable(cases: Case[], columns: Column[]): void {
  const sources = [...new Set(cases.map((item) => item.source))];
  const header = ['source', 'split', 'n', ...columns.map((column) => column.name)];
  const rows: string[][] = [];
  for (const source of sources) {
    for (const split of ['dev', 'holdout', undefined] as (Split | undefined)[]) {
      const pick = (item: Case) => item.source === source && (split === undefined || item.split === split);
      const n = cases.filter(pick).length;
      rows.push([source, split ?? 'all', String(n), ...columns.map((column) => percent(rate(cases, column.verdicts, pick)))]);
    }
  }
  const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** Detection and false-positive targets against CRS PL1, over all cases of a group (both splits). */
function checkTargets(cases: Case[], columns: Column[]): boolean {
  const column = (name: string) => columns.find((candidate) => candidate.name === name);
  const crs = column('CRS PL1');
  if (!crs || crs.verdicts.every((verdict) => verdict === undefined)) {
    console.log('TARGET detection/false positives vs CRS PL1: NOT MEASURED (ModSecurity unavailable)');
    return true;
  }
  const groups: { label: string; detector: string; pick: (item: Case) => boolean; higherIsBetter: boolean }[] = [];
  for (const detector of ['SQLi LOW', 'SQLi HIGH']) groups.push({ label: `${detector} detection on SQLi attacks`, detector, pick: (item) => item.attack && item.family === 'sqli', higherIsBetter: true });
  groups.push({ label: 'XSS detection on XSS attacks', detector: 'XSS', pick: (item) => item.attack && item.family === 'xss', higherIsBetter: true });
  for (const detector of ['palisade LOW', 'palisade HIGH']) groups.push({ label: `${detector} false positives on benign inputs`, detector, pick: (item) => !item.attack, higherIsBetter: false });
  let ok = true;
  for (const group of groups) {
    const ours = rate(cases, column(group.detector)!.verdicts, group.pick);
    // Compare on the cases ModSecurity answered, so a time-bounded run stays like for like.
    const answered = (item: Case, i: number) => group.pick(item) && crs.verdicts[i] !== undefined;
    const oursOnAnswered = rate(cases, column(group.detector)!.verdicts.map((v, i) => (answered(cases[i], i) ? v : undefined)), () => true);
    const theirs = rate(cases, crs.verdicts, group.pick);
    const [a, b] = [oursOnAnswered.flagged / Math.max(1, oursOnAnswered.measured), theirs.flagged / Math.max(1, theirs.measured)];
    const pass = group.higherIsBetter ? a >= b : a <= b;
    ok &&= pass;
    console.log(`TARGET ${group.label}: palisade ${percent(oursOnAnswered)} (all ${percent(ours)}) ${group.higherIsBetter ? '>=' : '<='} CRS PL1 ${percent(theirs)}: ${pass ? 'PASS' : 'FAIL'}`);
  }
  // SensitivityLevel HIGH trades false positives for detection, as paranoia level 2 does: compared there for information.
  const pl2 = column('CRS PL2');
  if (pl2 && pl2.verdicts.some((verdict) => verdict !== undefined)) {
    const info = (label: string, detector: string, pick: (item: Case) => boolean) =>
      console.log(`INFO ${label}: palisade ${detector} ${percent(rate(cases, column(detector)!.verdicts, pick))}, CRS PL2 ${percent(rate(cases, pl2.verdicts, pick))}`);
    info('SQLi detection, HIGH vs PL2', 'SQLi HIGH', (item) => item.attack && item.family === 'sqli');
    info('false positives, HIGH vs PL2', 'palisade HIGH', (item) => !item.attack);
  }
  return ok;
}

function listWrong(cases: Case[], columns: Column[], source: string, wantFlagged: boolean): void {
  for (const column of columns.filter((candidate) => !candidate.name.startsWith('CRS'))) {
    console.log(`\n# ${wantFlagged ? 'missed' : 'falsely flagged'} by ${column.name} in ${source} (dev split)`);
    cases.forEach((item, i) => {
      if (item.source === source && item.split === 'dev' && column.verdicts[i] !== wantFlagged) console.log(JSON.stringify(item.values.length === 1 ? item.values[0] : item.values));
    });
  }
}

export async function runDetectionBenchmark(): Promise<boolean> {
  const cases = [...loadLibinjection(), ...loadCrsRegression()];
  if (cases.length === 0) {
    console.log(`detection benchmark: no corpora under ${CORPORA}: NOT MEASURED`);
    return true;
  }
  const columns: Column[] = DETECTORS.map((detector) => ({ name: detector.name, verdicts: cases.map((item) => detector.flags(item.values)) }));
  const [low, high, xss] = columns;
  columns.push({ name: 'palisade LOW', verdicts: cases.map((_, i) => Boolean(low.verdicts[i] || xss.verdicts[i])) });
  columns.push({ name: 'palisade HIGH', verdicts: cases.map((_, i) => Boolean(high.verdicts[i] || xss.verdicts[i])) });
  const missing = process.argv.includes('--no-modsecurity') ? 'skipped by --no-modsecurity' : modSecurityMissing();
  const cacheFile = option('modsecurity-cache');
  const cache: Record<string, (boolean | null)[]> = cacheFile && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
  for (const level of PARANOIA_LEVELS) {
    const name = `CRS PL${level}`;
    if (cache[name]?.length === cases.length) {
      console.log(`${name}: verdicts read from ${cacheFile}`);
      columns.push({ name, verdicts: cache[name].map((verdict) => verdict ?? undefined) });
      continue;
    }
    if (missing) {
      columns.push({ name, verdicts: cases.map(() => undefined) });
      continue;
    }
    const instance = await startModSecurity(level);
    try {
      const started = Date.now();
      const verdicts = await scoreModSecurity(instance, cases);
      const unanswered = verdicts.filter((verdict) => verdict === undefined).length;
      console.log(`${name}: ${cases.length - unanswered} requests answered in ${((Date.now() - started) / 1000).toFixed(1)} s${unanswered ? `, ${unanswered} not measured (time or count bound, or no response)` : ''}`);
      columns.push({ name, verdicts });
      cache[name] = verdicts.map((verdict) => verdict ?? null);
    } finally {
      instance.stop();
    }
  }
  if (cacheFile) writeFileSync(cacheFile, JSON.stringify(cache));
  if (missing) console.log(`ModSecurity not measured: ${missing}`);
  console.log(`\nShare of inputs flagged (attack rows: detection rate; false_positives and negative rows: false-positive rate). Corpora: ${CORPORA}\n`);
  printTable(cases, columns);
  console.log('');
  const misses = option('misses');
  if (misses) listWrong(cases, columns, misses, true);
  const falsePositives = option('false-positives');
  if (falsePositives) listWrong(cases, columns, falsePositives, false);
  return checkTargets(cases, columns);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ok = await runDetectionBenchmark();
  process.exitCode = ok ? 0 : 1;
}
