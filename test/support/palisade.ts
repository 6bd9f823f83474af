import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPalisade, type RunningPalisade } from '../../src/palisade.ts';

/** A palisade on an ephemeral loopback port with a fresh state directory, for one test file. */
export interface TestPalisade extends RunningPalisade {
  stateDir: string;
  /** Client configuration for `@aws-sdk/client-*` v3 constructors. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** Environment for the AWS CLI and boto3 (`AWS_ENDPOINT_URL`, keys, region). */
  cliEnv: NodeJS.ProcessEnv;
}

export async function startTestPalisade(options: { stateDir?: string } = {}): Promise<TestPalisade> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'palisade-test-'));
  const running = await startPalisade({ port: 0, host: '127.0.0.1', stateDir, region: 'us-east-1' });
  const { accessKeyId, secretAccessKey } = running.app.credentials;
  const stop = running.stop;
  return {
    ...running,
    stateDir,
    clientConfig: { endpoint: running.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } },
    cliEnv: {
      ...process.env,
      AWS_ENDPOINT_URL: running.url,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    async stop() {
      await stop();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
