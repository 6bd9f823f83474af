import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFrontClient, CreateDistributionCommand, GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import { startTestPalisade } from '../support/palisade.ts';
import { labDistributionConfig } from './support.ts';

test('edge URL survives a restart', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'palisade-cloudfront-'));
  try {
    const first = await startTestPalisade({ stateDir });
    const created = await new CloudFrontClient({ ...first.clientConfig, maxAttempts: 1 }).send(new CreateDistributionCommand({
      DistributionConfig: labDistributionConfig({ callerReference: 'restart-1', originDomain: 'unserved-origin.invalid', secret: 'kept-secret' }),
    }));
    const domainName = created.Distribution!.DomainName!;
    const before = first.app.localUrl(`https://${domainName}/`);
    await first.stop();

    const second = await startTestPalisade({ stateDir });
    try {
      assert.equal(second.app.localUrl(`https://${domainName}/`), before);
      const response = await fetch(before!);
      await response.text();
      assert.equal(response.status, 502);
      const got = await new CloudFrontClient({ ...second.clientConfig, maxAttempts: 1 }).send(new GetDistributionCommand({ Id: created.Distribution!.Id }));
      assert.equal(got.Distribution!.DistributionConfig!.Origins!.Items![0].CustomHeaders!.Items![0].HeaderValue, 'kept-secret');
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('origin custom header value is sealed at rest', async () => {
  const palisade = await startTestPalisade();
  try {
    await palisade.app.call('cloudfront', 'CreateDistribution', {
      DistributionConfig: labDistributionConfig({ callerReference: 'sealed-1', originDomain: 'unserved-origin.invalid', secret: 'plain-secret-value' }),
    });
    const rows = palisade.app.store.database.prepare("SELECT data FROM records WHERE service = 'cloudfront'").all() as { data: string }[];
    assert.ok(rows.length > 0);
    for (const row of rows) assert.doesNotMatch(row.data, /plain-secret-value/);
  } finally {
    await palisade.stop();
  }
});
