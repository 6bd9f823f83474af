import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWalkthrough } from '../../labs/api-security/walkthrough.ts';

test('walkthrough matches every lab outcome', async () => {
  const lines: string[] = [];
  const passed = await runWalkthrough((line) => lines.push(line));
  const transcript = lines.join('\n');
  assert.equal(passed, true, transcript);
  assert.doesNotMatch(transcript, /\[FAIL\]/);
  // One line per lab outcome the walkthrough promises to check.
  for (const title of [
    '[PASS] Query the API stage directly',
    '[PASS] Query through CloudFront',
    '[PASS] Inject SQL through CloudFront',
    '[PASS] Query through CloudFront without a token',
    '[PASS] Query through CloudFront with the ID token',
  ]) {
    assert.ok(transcript.includes(title), `missing ${title}`);
  }
});
