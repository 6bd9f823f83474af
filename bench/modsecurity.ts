/**
 * ModSecurity 2 with the OWASP CRS, run by Apache on loopback for the detection
 * benchmark. Each instance gets its own ServerRoot in a temporary directory, its own
 * port on 127.0.0.1, and a paranoia level. Only the CRS families the benchmark
 * compares are loaded (901 initialization, 941 XSS, 942 SQLi, 949 blocking
 * evaluation), so a 403 means the XSS or SQLi rules pushed the anomaly score to the
 * default threshold of 5.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawRequest } from './corpora.ts';

const MODULES = '/usr/lib/apache2/modules';
const CRS_SETUP = '/etc/modsecurity/crs/crs-setup.conf';
const CRS_RULES = '/usr/share/modsecurity-crs/rules';
const CRS_FILES = ['REQUEST-901-INITIALIZATION.conf', 'REQUEST-941-APPLICATION-ATTACK-XSS.conf', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf', 'REQUEST-949-BLOCKING-EVALUATION.conf'];

export interface ModSecurityInstance {
  paranoiaLevel: number;
  port: number;
  dir: string;
  /** Sends `request` and returns the HTTP status, or 0 when no response came in time. */
  send(request: RawRequest): Promise<number>;
  stop(): void;
}

/** Return why ModSecurity cannot be measured here, or undefined when Apache, mod_security2 and the CRS are installed. */
export function modSecurityMissing(): string | undefined {
  for (const path of ['/usr/sbin/apache2', join(MODULES, 'mod_security2.so'), join(MODULES, 'mod_lua.so'), CRS_SETUP, CRS_RULES]) {
    if (!existsSync(path)) return `${path} is missing (install apache2, libapache2-mod-security2 and modsecurity-crs)`;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function apacheConfig(dir: string, port: number, paranoiaLevel: number): string {
  return `ServerRoot "${dir}"
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile "${dir}/apache.pid"
ErrorLog "${dir}/error.log"
LogLevel warn
User nobody
Group nogroup
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule unique_id_module ${MODULES}/mod_unique_id.so
LoadModule lua_module ${MODULES}/mod_lua.so
LoadModule security2_module ${MODULES}/mod_security2.so
StartServers 1
ServerLimit 2
ThreadsPerChild 8
MaxRequestWorkers 16
KeepAlive On
MaxKeepAliveRequests 0
DocumentRoot "${dir}/www"
<Directory "${dir}/www">
  Require all granted
</Directory>
LuaMapHandler "^/" "${dir}/ok.lua" handle
SecRuleEngine On
SecRequestBodyAccess On
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction ProcessPartial
SecResponseBodyAccess Off
SecPcreMatchLimit 100000
SecPcreMatchLimitRecursion 100000
SecAuditEngine Off
SecDataDir "${dir}/data"
SecTmpDir "${dir}/data"
SecRule REQUEST_HEADERS:Content-Type "@rx (?:application(?:/soap\\+|/)|text/)xml" "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "@rx application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
Include "${CRS_SETUP}"
SecAction "id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=${paranoiaLevel},setvar:tx.blocking_paranoia_level=${paranoiaLevel},setvar:tx.executing_paranoia_level=${paranoiaLevel}"
${CRS_FILES.map((file) => `Include "${CRS_RULES}/${file}"`).join('\n')}
`;
}

/** Starts Apache with ModSecurity and the CRS at `paranoiaLevel` on a free loopback port. */
export async function startModSecurity(paranoiaLevel: number): Promise<ModSecurityInstance> {
  const dir = mkdtempSync(join(tmpdir(), `palisade-modsec-pl${paranoiaLevel}-`));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'www'));
  mkdirSync(join(dir, 'data'));
  chmodSync(join(dir, 'data'), 0o777);
  writeFileSync(join(dir, 'ok.lua'), 'function handle(r)\n  r.content_type = "text/plain"\n  r:puts("ok\\n")\n  return apache2.OK\nend\n');
  const port = await freePort();
  writeFileSync(join(dir, 'apache.conf'), apacheConfig(dir, port, paranoiaLevel));
  const started = spawnSync('/usr/sbin/apache2', ['-f', join(dir, 'apache.conf'), '-k', 'start'], { encoding: 'utf8', timeout: 30_000 });
  if (started.status !== 0) throw new Error(`apache2 did not start: ${started.stderr || started.stdout}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const instance: ModSecurityInstance = {
    paranoiaLevel,
    port,
    dir,
    send: (request) => send(agent, port, request),
    stop() {
      agent.destroy();
      spawnSync('/usr/sbin/apache2', ['-f', join(dir, 'apache.conf'), '-k', 'stop'], { timeout: 30_000 });
      waitForExit(join(dir, 'apache.pid'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitUntilReady(instance);
  return instance;
}

function waitForExit(pidFile: string): void {
  const deadline = Date.now() + 10_000;
  while (existsSync(pidFile) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
}

async function waitUntilReady(instance: ModSecurityInstance): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await instance.send({ method: 'GET', uri: '/?q=hello', headers: { Host: 'localhost', Accept: '*/*' } })) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const log = existsSync(join(instance.dir, 'error.log')) ? readFileSync(join(instance.dir, 'error.log'), 'utf8').slice(-2000) : '';
  instance.stop();
  throw new Error(`ModSecurity at PL${instance.paranoiaLevel} did not return 200 for a benign request: ${log}`);
}

const REQUEST_TIMEOUT_MS = 10_000;

function send(agent: Agent, port: number, request: RawRequest): Promise<number> {
  // Node's HTTP client rejects some raw request targets and header values that CRS
  // tests use on purpose; those go over a plain socket instead.
  if (!/^[\x21-\x7e]*$/.test(request.uri) || Object.values(request.headers).some((value) => /[^\t\x20-\x7e]/.test(String(value)))) {
    return sendRaw(port, request);
  }
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
    if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
    const req = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.uri, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => sendRaw(port, request).then(resolve));
    req.end(request.body);
  });
}

function sendRaw(port: number, request: RawRequest): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const lines = [`${request.method} ${request.uri} HTTP/1.1`];
    for (const [name, value] of Object.entries(request.headers)) if (name.toLowerCase() !== 'connection') lines.push(`${name}: ${value}`);
    lines.push('Connection: close');
    if (request.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(request.body)}`);
    let received = '';
    const timer = setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS);
    socket.on('connect', () => socket.end(`${lines.join('\r\n')}\r\n\r\n${request.body ?? ''}`));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const match = /^HTTP\/1\.\d (\d{3})/.exec(received);
      resolve(match ? Number(match[1]) : 0);
    });
  });
}
