import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { apiSecurityLab } from '../../labs/api-security/lab.ts';

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const skip = cfnLint.error ? 'cfn-lint is not installed (pip install cfn-lint)' : false;

test('lab template passes cfn-lint', { skip }, () => {
  const result = spawnSync('cfn-lint', [apiSecurityLab.templatePath], { encoding: 'utf8' });
  assert.equal(result.stdout + result.stderr, '');
  assert.equal(result.status, 0);
});
