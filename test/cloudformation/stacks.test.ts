import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateStackCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';

let palisade: TestPalisade;
let cfn: CloudFormationClient;
let secrets: SecretsManagerClient;
const dir = mkdtempSync(join(tmpdir(), 'palisade-cfn-'));

before(async () => {
  palisade = await startTestPalisade();
  cfn = new CloudFormationClient({ ...palisade.clientConfig, maxAttempts: 1 });
  secrets = new SecretsManagerClient({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Run the AWS CLI v1 asynchronously, because palisade serves from this same process. */
async function cli(...args: string[]): Promise<any> {
  const { stdout } = await promisify(execFile)('aws', ['cloudformation', ...args, '--output', 'json'], { env: palisade.cliEnv, encoding: 'utf8' });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

function templateFile(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

/** Poll DescribeStacks until the stack leaves *_IN_PROGRESS (bounded by count, not time). */
async function settled(stackName: string): Promise<Stack> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    if (!Stacks![0].StackStatus!.endsWith('_IN_PROGRESS')) return Stacks![0];
    await sleep(50);
  }
  assert.fail(`stack ${stackName} stayed in progress`);
}

const SECRET_TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Description: secret and network
Parameters:
  RDSUserName:
    Type: String
    Default: admin
  DbPassword:
    Type: String
    NoEcho: true
    Default: hidden-value
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  LambdaSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Security group for Lambda ENIs
      VpcId: !Ref Vpc
  DbSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: RDS MySQL password
      GenerateSecretString:
        SecretStringTemplate: !Sub '{"username": "\${RDSUserName}"}'
        GenerateStringKey: password
        PasswordLength: 16
        ExcludeCharacters: '"@/\\'
  CopySecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: !Sub '{{resolve:secretsmanager:\${DbSecret}:SecretString:password}}'
Outputs:
  SecretArn:
    Description: the secret
    Value: !Ref DbSecret
  GroupId:
    Value: !GetAtt LambdaSecurityGroup.GroupId
  Reference:
    Value: '{{resolve:secretsmanager:whatever:SecretString:password}}'
`;

test('CLI create-stack, describe-stacks, describe-stack-resources, delete-stack', async () => {
  const path = templateFile('secret.yaml', SECRET_TEMPLATE);
  const created = await cli('create-stack', '--stack-name', 'walab-api', '--template-body', `file://${path}`);
  assert.match(created.StackId, /^arn:aws:cloudformation:us-east-1:\d{12}:stack\/walab-api\/[0-9a-f-]{36}$/);

  const stack = await settled('walab-api');
  assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
  const described = (await cli('describe-stacks', '--stack-name', 'walab-api')).Stacks[0];
  assert.equal(described.StackStatus, 'CREATE_COMPLETE');
  assert.equal(described.Description, 'secret and network');
  assert.deepEqual(described.Parameters.find((p: any) => p.ParameterKey === 'DbPassword'), { ParameterKey: 'DbPassword', ParameterValue: '****' });
  const outputs = Object.fromEntries(described.Outputs.map((o: any) => [o.OutputKey, o.OutputValue]));
  assert.match(outputs.SecretArn, /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:DbSecret-[A-Za-z0-9]{12}-[A-Za-z0-9]{6}$/);
  assert.match(outputs.GroupId, /^sg-0[0-9a-f]{16}$/);
  assert.equal(outputs.Reference, '{{resolve:secretsmanager:whatever:SecretString:password}}');

  const resources = (await cli('describe-stack-resources', '--stack-name', 'walab-api')).StackResources;
  const byId = Object.fromEntries(resources.map((r: any) => [r.LogicalResourceId, r]));
  assert.deepEqual(resources.map((r: any) => `${r.LogicalResourceId}:${r.ResourceStatus}`).sort(), [
    'CopySecret:CREATE_COMPLETE', 'DbSecret:CREATE_COMPLETE', 'LambdaSecurityGroup:CREATE_COMPLETE', 'Vpc:CREATE_COMPLETE',
  ]);
  assert.match(byId.Vpc.PhysicalResourceId, /^vpc-0[0-9a-f]{16}$/);
  // The security group references the VPC, so it must come after it.
  assert.ok(resources.indexOf(byId.Vpc) < resources.indexOf(byId.LambdaSecurityGroup));

  const generated = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: outputs.SecretArn }))).SecretString!);
  assert.equal(generated.username, 'admin');
  assert.equal(generated.password.length, 16);
  assert.doesNotMatch(generated.password, /["@/\\]/);
  const copy = await secrets.send(new GetSecretValueCommand({ SecretId: byId.CopySecret.PhysicalResourceId }));
  assert.equal(copy.SecretString, generated.password);

  const template = await cfn.send(new GetTemplateCommand({ StackName: 'walab-api' }));
  assert.ok(template.TemplateBody!.includes('{{resolve:secretsmanager:${DbSecret}:SecretString:password}}'));
  assert.ok(!JSON.stringify(await cli('describe-stack-events', '--stack-name', 'walab-api')).includes(generated.password));

  await cli('delete-stack', '--stack-name', 'walab-api');
  const deleted = await settled(created.StackId);
  assert.equal(deleted.StackStatus, 'DELETE_COMPLETE');
  const gone = await rejection(secrets.send(new GetSecretValueCommand({ SecretId: outputs.SecretArn })));
  assert.equal(gone.name, 'ResourceNotFoundException');
  const missing = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'walab-api' })));
  assert.equal(missing.name, 'ValidationError');
  assert.equal(missing.$metadata.httpStatusCode, 400);
  assert.equal(missing.message, 'Stack with id walab-api does not exist');
});

const VPC_ONLY = `{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}}`;

test('second CreateStack is AlreadyExistsException', async () => {
  await cfn.send(new CreateStackCommand({ StackName: 'dup', TemplateBody: VPC_ONLY }));
  const error = await rejection(cfn.send(new CreateStackCommand({ StackName: 'dup', TemplateBody: VPC_ONLY })));
  assert.equal(error.name, 'AlreadyExistsException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'Stack [dup] already exists');
  assert.equal((await settled('dup')).StackStatus, 'CREATE_COMPLETE');
});

test('IAM resource without capability is rejected', async () => {
  const body = JSON.stringify({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } } } });
  const error = await rejection(cfn.send(new CreateStackCommand({ StackName: 'iam', TemplateBody: body })));
  assert.equal(error.name, 'InsufficientCapabilitiesException');
  assert.equal(error.message, 'Requires capabilities : [CAPABILITY_IAM]');
  await cfn.send(new CreateStackCommand({ StackName: 'iam', TemplateBody: body, Capabilities: ['CAPABILITY_IAM'] }));
  assert.equal((await settled('iam')).StackStatus, 'CREATE_COMPLETE');
});

test('AllowedValues violation is ValidationError', async () => {
  const body = JSON.stringify({ Parameters: { Env: { Type: 'String', AllowedValues: ['dev'] } }, Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: {} } } });
  const error = await rejection(cfn.send(new CreateStackCommand({ StackName: 'params', TemplateBody: body, Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }] })));
  assert.equal(error.name, 'ValidationError');
  assert.equal(error.message, "Parameter 'Env' must be one of AllowedValues");
});

test('TemplateURL other than file:// is rejected', async () => {
  const error = await rejection(cfn.send(new CreateStackCommand({ StackName: 'url', TemplateURL: 'https://bucket.s3.amazonaws.com/t.yaml' })));
  assert.equal(error.name, 'ValidationError');
  assert.match(error.message, /^TemplateURL must be a supported URL\./);
});

const FAILING = JSON.stringify({
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Bucket: { Type: 'AWS::S3::Bucket', DependsOn: 'Vpc' },
  },
});

test('failed resource rolls back to ROLLBACK_COMPLETE', async () => {
  await cfn.send(new CreateStackCommand({ StackName: 'fails', TemplateBody: FAILING }));
  const stack = await settled('fails');
  assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
  assert.equal(stack.StackStatusReason, undefined);
  const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: 'fails' }));
  const failed = StackEvents!.find((event) => event.ResourceStatus === 'CREATE_FAILED');
  assert.equal(failed!.LogicalResourceId, 'Bucket');
  assert.equal(failed!.ResourceStatusReason, 'palisade does not support the resource type AWS::S3::Bucket');
  const rollback = StackEvents!.find((event) => event.ResourceStatus === 'ROLLBACK_IN_PROGRESS');
  assert.equal(rollback!.ResourceStatusReason, 'The following resource(s) failed to create: [Bucket]. Rollback requested by user.');
  const { StackResources } = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'fails' }));
  assert.deepEqual(StackResources!.map((r) => [r.LogicalResourceId, r.ResourceStatus]), [['Vpc', 'DELETE_COMPLETE'], ['Bucket', 'DELETE_COMPLETE']]);
});

test('DisableRollback leaves CREATE_FAILED', async () => {
  await cfn.send(new CreateStackCommand({ StackName: 'keeps', TemplateBody: FAILING, DisableRollback: true }));
  const stack = await settled('keeps');
  assert.equal(stack.StackStatus, 'CREATE_FAILED');
  assert.equal(stack.StackStatusReason, 'The following resource(s) failed to create: [Bucket]. ');
});

test('UpdateStack re-evaluates conditions from parameters', async () => {
  const body = JSON.stringify({
    Parameters: { WithGroup: { Type: 'String', Default: 'no', AllowedValues: ['yes', 'no'] } },
    Conditions: { Group: { 'Fn::Equals': [{ Ref: 'WithGroup' }, 'yes'] } },
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Condition: 'Group', Properties: { GroupDescription: 'g', VpcId: { Ref: 'Vpc' } } },
    },
    Outputs: { Group: { Condition: 'Group', Value: { 'Fn::GetAtt': ['Sg', 'GroupId'] } } },
  });
  await cfn.send(new CreateStackCommand({ StackName: 'cond', TemplateBody: body }));
  assert.equal((await settled('cond')).Outputs?.length ?? 0, 0);
  await cfn.send(new UpdateStackCommand({ StackName: 'cond', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'WithGroup', ParameterValue: 'yes' }] }));
  const updated = await settled('cond');
  assert.equal(updated.StackStatus, 'UPDATE_COMPLETE');
  assert.match(updated.Outputs![0].OutputValue!, /^sg-0[0-9a-f]{16}$/);
  const none = await rejection(cfn.send(new UpdateStackCommand({ StackName: 'cond', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'WithGroup', UsePreviousValue: true }] })));
  assert.equal(none.message, 'No updates are to be performed.');
  await cfn.send(new DeleteStackCommand({ StackName: 'cond' }));
});

/** A stack with one inline Node.js function and a custom resource backed by it. */
function customResourceTemplate(handlerSource: string): string {
  return JSON.stringify({
    Resources: {
      Handler: {
        Type: 'AWS::Lambda::Function',
        Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/custom-resource', Code: { ZipFile: handlerSource } },
      },
      Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] }, Size: '3' } },
    },
    Outputs: { Answer: { Value: { 'Fn::GetAtt': ['Thing', 'Answer'] } }, ThingId: { Value: { Ref: 'Thing' } } },
  });
}

test('custom resource response sets Ref and GetAtt', async () => {
  const source = `exports.handler = async (event) => {
  const body = JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: 'thing-' + event.ResourceProperties.Size, StackId: event.StackId,
    RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: { Answer: 'forty-two' } });
  await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body });
};`;
  await cfn.send(new CreateStackCommand({ StackName: 'custom-ok', TemplateBody: customResourceTemplate(source) }));
  const stack = await settled('custom-ok');
  assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
  const outputs = Object.fromEntries(stack.Outputs!.map((output) => [output.OutputKey, output.OutputValue]));
  assert.equal(outputs.Answer, 'forty-two');
  assert.equal(outputs.ThingId, 'thing-3');
});

test('custom resource function that throws fails the resource', async () => {
  const source = `exports.handler = async () => { throw new TypeError('no table here'); };`;
  await cfn.send(new CreateStackCommand({ StackName: 'custom-throws', TemplateBody: customResourceTemplate(source), DisableRollback: true }));
  const stack = await settled('custom-throws');
  assert.equal(stack.StackStatus, 'CREATE_FAILED');
  const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: 'custom-throws' }));
  const failed = StackEvents!.find((event) => event.ResourceStatus === 'CREATE_FAILED' && event.LogicalResourceId === 'Thing');
  assert.match(failed!.ResourceStatusReason!, /^The custom resource function failed before it sent a response \(TypeError: no table here\)\. See log group \/aws\/lambda\/custom-throws-Handler-/);
});
