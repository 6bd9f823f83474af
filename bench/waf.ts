/**
 * `npm run bench:waf`: the detection benchmark (palisade vs ModSecurity + OWASP CRS) and
 * the engine timing, in one run. Exits 1 when a target prints FAIL.
 */
import { runDetectionBenchmark } from './waf-detection.ts';
import { runEngineBenchmark } from './waf-engine.ts';

console.log('== WAF detection: palisade detectors vs ModSecurity 2 + OWASP CRS ==\n');
const detection = await runDetectionBenchmark();
console.log('\n== WAF engine timing ==');
const engine = runEngineBenchmark();
process.exitCode = detection && engine ? 0 : 1;
