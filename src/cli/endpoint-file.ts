import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `endpoint.json` in the state directory names the URL a running `palisade
 * up` serves, so `outputs`, `credentials` and `trace` find a palisade
 * started with another port from its state directory alone.
 */
const FILE = 'endpoint.json';

export function writeEndpointFile(stateDir: string, url: string): void {
  writeFileSync(join(stateDir, FILE), JSON.stringify({ url, pid: process.pid }) + '\n');
}

export function removeEndpointFile(stateDir: string): void {
  rmSync(join(stateDir, FILE), { force: true });
}

/** Read the URL a palisade serving this state directory wrote, or undefined when none is recorded. */
export function readEndpointFile(stateDir: string): string | undefined {
  const path = join(stateDir, FILE);
  if (!existsSync(path)) return undefined;
  try {
    const { url } = JSON.parse(readFileSync(path, 'utf8')) as { url?: unknown };
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}
