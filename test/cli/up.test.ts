import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const BIN = new URL('../../bin/palisade.js', import.meta.url).pathname;
// The state directory sits in a project whose package.json says "type":
// "module", as `.palisade/` does in a clone of palisade itself.
const projectDir = mkdtempSync(join(tmpdir(), 'palisade-cli-'));
writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ type: 'module' }));
const stateDir = join(projectDir, '.palisade');
after(() => rmSync(projectDir, { recursive: true, force: true }));

/** Start `palisade up` on an ephemeral port and wait for its banner; returns the process and the printed text. */
async function up(): Promise<{ child: ChildProcess; banner: string; endpoint: string }> {
  const child = spawn(process.execPath, [BIN, 'up', '--port', '0', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let banner = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.resume();
  // Keep reading after the banner: a closed pipe would fail the child's later writes.
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      banner += chunk;
      if (banner.includes('Serving until Ctrl-C.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`palisade up exited with ${code} before serving:\n${banner}`)));
  });
  const endpoint = /AWS_ENDPOINT_URL=(\S+)/.exec(banner)?.[1];
  assert.ok(endpoint, `no endpoint in:\n${banner}`);
  return { child, banner, endpoint };
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
}

function palisade(args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args, '--state-dir', stateDir], { encoding: 'utf8' });
}

let firstOutputs: Record<string, string>;

test('up prints outputs and exports, then serves health', async () => {
  const { child, banner, endpoint } = await up();
  try {
    for (const key of ['CloudFrontEndpoint', 'APIGatewayURL', 'CognitoUserPoolID', 'CognitoAppClientID', 'CognitoSignupURL', 'OriginVerifyHeaderName', 'OriginVerifyHeader', 'WAFWebACLR', 'WAFWebACLG']) {
      assert.match(banner, new RegExp(`^  ${key} +\\S+`, 'm'));
    }
    assert.match(banner, /^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+ AWS_ACCESS_KEY_ID=AKIA[A-Z2-7]{16} AWS_SECRET_ACCESS_KEY=\S{40} AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1$/m);
    const health = await fetch(`${endpoint}/_palisade/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ready');

    const port = new URL(endpoint).port;
    firstOutputs = JSON.parse(palisade(['outputs', 'walab-api-security', '--json', '--port', port]));
    assert.match(firstOutputs.CloudFrontEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/\?id=1$/);

    const credentials = JSON.parse(palisade(['credentials', '--json', '--port', port]));
    assert.deepEqual(Object.keys(credentials).sort(), ['accessKeyId', 'accountId', 'endpoint', 'region', 'secretAccessKey']);
    assert.equal(credentials.endpoint, endpoint);
    assert.equal(credentials.region, 'us-east-1');
    assert.match(credentials.accountId, /^\d{12}$/);

    assert.deepEqual(JSON.parse(palisade(['mail', '--json'])), []);

    // Without --port, the commands reach the palisade that serves the state directory.
    assert.equal(JSON.parse(palisade(['credentials', '--json'])).endpoint, endpoint);
    assert.deepEqual(JSON.parse(palisade(['outputs', 'walab-api-security', '--json'])), firstOutputs);
    assert.equal(Array.isArray(JSON.parse(palisade(['trace', '--json']))), true);
  } finally {
    await stop(child);
  }
});

test('trace names the endpoint it cannot reach', () => {
  let failure: { status: number; stderr: string } | undefined;
  try {
    palisade(['trace', '--port', '1']);
  } catch (error) {
    failure = error as { status: number; stderr: string };
  }
  assert.equal(failure?.status, 1);
  assert.match(failure?.stderr ?? '', /palisade is not running on http:\/\/127\.0\.0\.1:1: start it with npm start, or pass the --port or --state-dir it was started with/);
});

test('restart with the same state keeps the stack and its outputs', async () => {
  const { child, endpoint } = await up();
  try {
    const outputs = JSON.parse(palisade(['outputs', 'walab-api-security', '--json', '--port', new URL(endpoint).port]));
    for (const key of ['CognitoUserPoolID', 'CognitoAppClientID', 'OriginVerifyHeader', 'WAFWebACLR', 'WAFWebACLG', 'CloudFrontEndpoint']) {
      assert.equal(outputs[key], firstOutputs[key], key);
    }
    assert.equal(outputs.APIGatewayURL.startsWith(endpoint + '/restapis/'), true, outputs.APIGatewayURL);

    // Every layer came back: the edge, both web ACLs and the authorizer answer as before.
    const edge = await fetch(outputs.CloudFrontEndpoint);
    assert.equal(edge.status, 401);
    assert.equal(await edge.text(), '{"message":"Unauthorized"}');
    const direct = await fetch(outputs.APIGatewayURL);
    assert.equal(direct.status, 403);
    assert.equal(await direct.text(), '{"message":"Forbidden"}');
  } finally {
    await stop(child);
  }
});
