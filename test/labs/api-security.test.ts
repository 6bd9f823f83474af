import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { InvokeCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { fileURLToPath } from 'node:url';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { packageDirectory } from '../../src/services/cloudformation/packaging.ts';
import { ensureStack } from '../../src/cli/stacks.ts';
import { apiSecurityLab } from '../../labs/api-security/lab.ts';

// Asynchronous on purpose: palisade serves from this process, so a blocking
// child would stall the requests the child makes.
const run = promisify(execFile);

/** Run a client program against palisade and return what it printed. */
async function output(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { env: palisade.cliEnv, encoding: 'utf8' });
  return stdout;
}

let palisade: TestPalisade;
let outputs: Record<string, string>;

before(async () => {
  palisade = await startTestPalisade();
  outputs = await ensureStack(palisade.app, { stackName: apiSecurityLab.stackName, templatePath: apiSecurityLab.templatePath });
});
after(async () => {
  await palisade?.stop();
});

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

test('outputs name the lab resources with loopback URLs', () => {
  assert.match(outputs.CloudFrontEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/\?id=1$/);
  assert.match(outputs.APIGatewayURL, /^http:\/\/127\.0\.0\.1:\d+\/restapis\/[a-z0-9]{10}\/Dev\/_user_request_\/\?id=1$/);
  assert.match(outputs.CognitoUserPoolID, /^us-east-1_[A-Za-z0-9]{9}$/);
  assert.match(outputs.CognitoAppClientID, /^[a-z0-9]{26}$/);
  assert.match(outputs.CognitoSignupURL, /\/hosted-ui\/walab-\d{12}-walab-api-security\/login\?client_id=/);
  assert.equal(outputs.OriginVerifyHeaderName, 'X-Origin-Verify');
  assert.match(outputs.OriginVerifyHeader, /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:OriginVerifyHeader-/);
  assert.match(outputs.WAFWebACLR, /^arn:aws:wafv2:us-east-1:\d{12}:regional\/webacl\/walab-api-security-ACLR\//);
  assert.match(outputs.WAFWebACLG, /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/walab-api-security-ACLG\//);
});

test('API stage called directly is blocked by the regional web ACL', async () => {
  const response = await get(outputs.APIGatewayURL);
  assert.equal(response.status, 403);
  assert.equal(response.body, '{"message":"Forbidden"}');
});

test('CloudFront without a token is refused by the authorizer', async () => {
  const response = await get(outputs.CloudFrontEndpoint);
  assert.equal(response.status, 401);
  assert.equal(response.body, '{"message":"Unauthorized"}');
});

test('getIDtoken.py flow with boto3 yields a token the API accepts', async () => {
  const cognito = new CognitoIdentityProviderClient(palisade.clientConfig);
  const poolId = outputs.CognitoUserPoolID;
  const clientId = outputs.CognitoAppClientID;
  const email = 'boto3-learner@example.com';
  const password = 'Correct-Horse-9';
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }] }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: password, Permanent: true }));
  const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  const script = `
import base64, hashlib, hmac, sys, boto3
username, password, pool, client, secret = sys.argv[1:6]
digest = hmac.new(secret.encode(), (username + client).encode(), hashlib.sha256).digest()
idp = boto3.client('cognito-idp')
result = idp.admin_initiate_auth(UserPoolId=pool, ClientId=client, AuthFlow='ADMIN_NO_SRP_AUTH',
    AuthParameters={'USERNAME': username, 'PASSWORD': password, 'SECRET_HASH': base64.b64encode(digest).decode()})
print(result['AuthenticationResult']['IdToken'])
`;
  const idToken = (await output('python3', ['-c', script, email, password, poolId, clientId, UserPoolClient!.ClientSecret!])).trim();
  assert.equal(idToken.split('.').length, 3);

  const allowed = await get(outputs.CloudFrontEndpoint, { Authorization: idToken });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.body, '["My favorite player is Lionel Messi"]');

  const injected = await get(outputs.CloudFrontEndpoint.replace('?id=1', '?id=1%20or%201=1'), { Authorization: idToken });
  assert.equal(injected.status, 403);
  assert.match(injected.body, /Request blocked\./);
  assert.match(injected.headers.get('content-type') ?? '', /^text\/html/);
});

test('wrong SECRET_HASH is refused as Cognito refuses it', async () => {
  const script = `
import boto3, botocore
idp = boto3.client('cognito-idp')
try:
    idp.admin_initiate_auth(UserPoolId='${outputs.CognitoUserPoolID}', ClientId='${outputs.CognitoAppClientID}', AuthFlow='ADMIN_NO_SRP_AUTH',
        AuthParameters={'USERNAME': 'boto3-learner@example.com', 'PASSWORD': 'x', 'SECRET_HASH': 'AAAA'})
except botocore.exceptions.ClientError as e:
    print(e.response['Error']['Code'] + '|' + e.response['Error']['Message'])
`;
  const printed = (await output('python3', ['-c', script])).trim();
  assert.equal(printed, `NotAuthorizedException|Unable to verify secret hash for client ${outputs.CognitoAppClientID}`);
});

test('AWS CLI describes the stack and its resources', async () => {
  const stacks = JSON.parse(await output('aws', ['cloudformation', 'describe-stacks', '--stack-name', apiSecurityLab.stackName]));
  assert.equal(stacks.Stacks[0].StackStatus, 'CREATE_COMPLETE');
  const resources = JSON.parse(
    await output('aws', ['cloudformation', 'describe-stack-resources', '--stack-name', apiSecurityLab.stackName]),
  );
  const types = new Set(resources.StackResources.map((resource: { ResourceType: string }) => resource.ResourceType));
  for (const type of ['AWS::Lambda::Function', 'AWS::WAFv2::WebACL', 'AWS::CloudFront::Distribution', 'AWS::Cognito::UserPool', 'AWS::RDS::DBInstance']) {
    assert.ok(types.has(type), `missing ${type}`);
  }
  for (const resource of resources.StackResources) assert.equal(resource.ResourceStatus, 'CREATE_COMPLETE', resource.LogicalResourceId);
});

test('query function invoked with the AWS CLI returns the player', async () => {
  const resources = JSON.parse(
    await output('aws', ['cloudformation', 'describe-stack-resource', '--stack-name', apiSecurityLab.stackName, '--logical-resource-id', 'LambdaRDSTest']),
  );
  const functionName = resources.StackResourceDetail.PhysicalResourceId;
  const out = `${palisade.stateDir}/invoke-out.json`;
  await output('aws', ['lambda', 'invoke', '--function-name', functionName, '--payload', '{"id": "3"}', out]);
  assert.equal(readFileSync(out, 'utf8'), '["My favorite player is Son Heung-min"]');
});

test('parameterised query function refuses the injection', async () => {
  const { StackResourceDetail } = JSON.parse(
    await output('aws', ['cloudformation', 'describe-stack-resource', '--stack-name', apiSecurityLab.stackName, '--logical-resource-id', 'LambdaRDSTest']),
  );
  const functionName = StackResourceDetail.PhysicalResourceId;
  const directory = fileURLToPath(new URL('../../labs/api-security/functions/query-parameterised/', import.meta.url));
  const lambda = new LambdaClient(palisade.clientConfig);
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: await packageDirectory(directory, 'index.handler', 'nodejs22.x') }));

  const invoke = async (id: string) => {
    const result = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify({ id })) }));
    return Buffer.from(result.Payload ?? []).toString('utf8');
  };
  assert.equal(await invoke('1'), '["My favorite player is Lionel Messi"]');
  assert.equal(await invoke('1 or 1=1'), '"Please make sure you provided query string like URL/?id=1"');
  assert.equal(await invoke('2; drop table players'), '"Please make sure you provided query string like URL/?id=1"');
  assert.equal(await invoke('3'), '["My favorite player is Son Heung-min"]');
});
