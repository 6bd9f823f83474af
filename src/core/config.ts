import { resolve } from 'node:path';

/** Settings that decide where palisade listens and keeps its state. */
export interface PalisadeConfig {
  /** Port of the AWS endpoint (`--port`, `PALISADE_PORT`; default 4566). */
  port: number;
  /** Loopback address every palisade server binds to. */
  host: string;
  /** State directory (`--state-dir`, `PALISADE_STATE_DIR`; default `.palisade` under the current directory). */
  stateDir: string;
  region: string;
}

export const DEFAULT_PORT = 4566;
export const DEFAULT_REGION = 'us-east-1';

export function resolveConfig(options: { port?: string | number; stateDir?: string } = {}, env = process.env): PalisadeConfig {
  const portText = String(options.port ?? env.PALISADE_PORT ?? DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port ${JSON.stringify(portText)}: expected an integer from 0 to 65535`);
  }
  return {
    port,
    host: '127.0.0.1',
    stateDir: resolve(options.stateDir ?? env.PALISADE_STATE_DIR ?? '.palisade'),
    region: DEFAULT_REGION,
  };
}

/** Base URL of the AWS endpoint for a config. */
export function endpointUrl(config: PalisadeConfig): string {
  return `http://${config.host}:${config.port}`;
}
