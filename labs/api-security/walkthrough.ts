/**
 * Replays lab "Multilayered API Security with Cognito and WAF" section by
 * section on a fresh palisade of its own, making each change through the AWS
 * API a user would call, and checks each outcome the lab shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { WAFV2Client, AssociateWebACLCommand, GetWebACLCommand, UpdateWebACLCommand, type Rule } from '@aws-sdk/client-wafv2';
import { APIGatewayClient, CreateAuthorizerCommand, CreateDeploymentCommand, GetResourcesCommand, UpdateMethodCommand } from '@aws-sdk/client-api-gateway';
import { CloudFrontClient, CreateInvalidationCommand, GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { AdminInitiateAuthCommand, CognitoIdentityProviderClient, DescribeUserPoolClientCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startPalisade, type RunningPalisade } from '../../src/palisade.ts';
import { apiSecurityLab } from './lab.ts';

const MESSI = '["My favorite player is Lionel Messi"]';
const ALL_PLAYERS = '["My favorite player is Lionel Messi","My favorite player is Cristiano Ronaldo","My favorite player is Son Heung-min"]';

interface Expectation {
  status: number;
  /** Exact body, or a substring the body must contain when `contains` is set. */
  body?: string;
  contains?: string;
}

type Report = (line: string) => void;

export async function runWalkthrough(report: Report): Promise<boolean> {
  const stateDir = mkdtempSync(join(tmpdir(), 'palisade-walkthrough-'));
  const running = await startPalisade({ port: 0, host: '127.0.0.1', stateDir, region: 'us-east-1' });
  const walk = new Walk(running, report);
  try {
    await walk.run();
  } catch (error) {
    walk.fail(`the walkthrough stopped: ${(error as Error).message}`);
  } finally {
    await running.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  report('');
  report(walk.failures === 0 ? `All ${walk.checks} checks matched the lab's outcomes.` : `${walk.failures} of ${walk.checks} checks did not match.`);
  return walk.failures === 0;
}

class Walk {
  checks = 0;
  failures = 0;
  private readonly config;
  private outputs: Record<string, string> = {};

  constructor(
    private readonly running: RunningPalisade,
    private readonly report: Report,
  ) {
    const { accessKeyId, secretAccessKey } = running.app.credentials;
    this.config = { endpoint: running.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } };
  }

  async run(): Promise<void> {
    await this.section1();
    await this.section2();
    await this.section3();
    await this.section4();
    await this.section5();
  }

  /** Section 1: deploy the base infrastructure and query the API directly. */
  private async section1(): Promise<void> {
    this.heading('Section 1: deploy the lab base infrastructure');
    const cloudformation = new CloudFormationClient(this.config);
    this.action(`cloudformation CreateStack ${apiSecurityLab.stackName} (LabStage=base)`);
    await cloudformation.send(
      new CreateStackCommand({
        StackName: apiSecurityLab.stackName,
        TemplateURL: `file://${apiSecurityLab.templatePath}`,
        Parameters: [{ ParameterKey: 'LabStage', ParameterValue: 'base' }],
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'],
      }),
    );
    const stack = await waitForStack(cloudformation, apiSecurityLab.stackName);
    this.expectValue('stack status', 'CREATE_COMPLETE', stack.StackStatus ?? '');
    this.outputs = Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
    await this.request('Query the API stage directly', this.outputs.APIGatewayURL, {}, { status: 200, body: MESSI });
    await this.request('Leave out the id parameter', this.outputs.APIGatewayURL.replace('?id=1', ''), {}, {
      status: 400,
      body: '{"message": "Missing required request parameters: [id]"}',
    });
  }

  /** Section 2: the database password lives in Secrets Manager and never reaches the function's logs. */
  private async section2(): Promise<void> {
    this.heading('Section 2: use secrets securely');
    const secrets = new SecretsManagerClient(this.config);
    this.action('secretsmanager GetSecretValue RDSMysqlSecret');
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: this.outputs.RDSMysqlSecret }));
    const value = JSON.parse(secret.SecretString ?? '{}') as Record<string, unknown>;
    this.expectValue('secret keys', 'dbInstanceIdentifier,dbname,engine,host,password,port,username', Object.keys(value).sort().join(','));
    const functionName = await this.physicalId('LambdaRDSTest');
    const logs = new CloudWatchLogsClient(this.config);
    this.action(`logs FilterLogEvents /aws/lambda/${functionName} for the password`);
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: `"${String(value.password)}"` }));
    this.expectValue('log events containing the password', '0', String(found.events?.length ?? 0));
  }

  /** Section 3: CloudFront adds the origin-verify header; the regional web ACL blocks everything else. */
  private async section3(): Promise<void> {
    this.heading('Section 3: prevent requests from accessing the API directly');
    const wafv2 = new WAFV2Client(this.config);
    const apiId = await this.physicalId('apiGateway');
    this.action('wafv2 AssociateWebACL WAFWebACLR with stage Dev');
    await wafv2.send(new AssociateWebACLCommand({ WebACLArn: this.outputs.WAFWebACLR, ResourceArn: `arn:aws:apigateway:us-east-1::/restapis/${apiId}/stages/Dev` }));
    await this.request('Query the API stage directly', this.outputs.APIGatewayURL, {}, { status: 403, body: '{"message":"Forbidden"}' });
    await this.request('Query through CloudFront', this.outputs.CloudFrontEndpoint, {}, { status: 200, body: MESSI });
  }

  /** Section 4: SQL injection passes until the web ACL gets the SQL database managed rule group. */
  private async section4(): Promise<void> {
    this.heading('Section 4: application layer defence');
    const injected = this.outputs.CloudFrontEndpoint.replace('?id=1', '?id=1 or 1=1');
    await this.request('Inject SQL through CloudFront', injected, {}, { status: 200, body: ALL_PLAYERS });
    const wafv2 = new WAFV2Client(this.config);
    const [name, id] = webAclNameAndId(this.outputs.WAFWebACLG);
    const current = await wafv2.send(new GetWebACLCommand({ Name: name, Id: id, Scope: 'CLOUDFRONT' }));
    const acl = current.WebACL!;
    const sqliRule: Rule = {
      Name: 'AWS-AWSManagedRulesSQLiRuleSet',
      Priority: 0,
      OverrideAction: { None: {} },
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet' } },
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'AWS-AWSManagedRulesSQLiRuleSet' },
    };
    this.action('wafv2 UpdateWebACL WAFWebACLG: add AWSManagedRulesSQLiRuleSet');
    await wafv2.send(
      new UpdateWebACLCommand({
        Name: name,
        Id: id,
        Scope: 'CLOUDFRONT',
        LockToken: current.LockToken,
        DefaultAction: acl.DefaultAction,
        VisibilityConfig: acl.VisibilityConfig,
        Rules: [...(acl.Rules ?? []), sqliRule],
      }),
    );
    await this.request('Inject SQL through CloudFront', injected, {}, { status: 403, contains: 'Request blocked.' });
    await this.request('Query id=2 through CloudFront', this.outputs.CloudFrontEndpoint.replace('?id=1', '?id=2'), {}, {
      status: 200,
      body: '["My favorite player is Cristiano Ronaldo"]',
    });
  }

  /** Section 5: a Cognito authorizer on the method, the Authorization header forwarded, the cache invalidated. */
  private async section5(): Promise<void> {
    this.heading('Section 5: control access to the API');
    await this.addAuthorizer();
    await this.forwardAuthorization();
    await this.request('Query through CloudFront without a token', this.outputs.CloudFrontEndpoint, {}, { status: 401, body: '{"message":"Unauthorized"}' });
    const idToken = await this.signUpAndSignIn();
    await this.request('Query through CloudFront with the ID token', this.outputs.CloudFrontEndpoint, { Authorization: idToken }, { status: 200, body: MESSI });
    const tampered = idToken.slice(0, -4) + (idToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await this.request('Query through CloudFront with a tampered token', this.outputs.CloudFrontEndpoint, { Authorization: tampered }, {
      status: 401,
      body: '{"message":"Unauthorized"}',
    });
    await this.request('Query the API stage directly with the ID token', this.outputs.APIGatewayURL, { Authorization: idToken }, {
      status: 403,
      body: '{"message":"Forbidden"}',
    });
  }

  private async addAuthorizer(): Promise<void> {
    const apigateway = new APIGatewayClient(this.config);
    const apiId = await this.physicalId('apiGateway');
    const poolArn = `arn:aws:cognito-idp:us-east-1:${this.running.app.accountId}:userpool/${this.outputs.CognitoUserPoolID}`;
    this.action('apigateway CreateAuthorizer walab-authorizer (COGNITO_USER_POOLS, token source Authorization)');
    const authorizer = await apigateway.send(
      new CreateAuthorizerCommand({ restApiId: apiId, name: 'walab-authorizer', type: 'COGNITO_USER_POOLS', providerARNs: [poolArn], identitySource: 'method.request.header.Authorization' }),
    );
    const resources = await apigateway.send(new GetResourcesCommand({ restApiId: apiId }));
    const root = resources.items?.find((resource) => resource.path === '/');
    this.action('apigateway UpdateMethod GET /: authorizationType COGNITO_USER_POOLS');
    await apigateway.send(
      new UpdateMethodCommand({
        restApiId: apiId,
        resourceId: root?.id,
        httpMethod: 'GET',
        patchOperations: [
          { op: 'replace', path: '/authorizationType', value: 'COGNITO_USER_POOLS' },
          { op: 'replace', path: '/authorizerId', value: authorizer.id },
        ],
      }),
    );
    this.action('apigateway CreateDeployment stage Dev');
    await apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'Dev' }));
  }

  private async forwardAuthorization(): Promise<void> {
    const cloudfront = new CloudFrontClient(this.config);
    const distributionId = this.outputs.CloudFrontDistributionId;
    const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
    const config = current.DistributionConfig!;
    const behavior = config.DefaultCacheBehavior!;
    behavior.ForwardedValues!.Headers = { Quantity: 1, Items: ['Authorization'] };
    behavior.MinTTL = 1;
    this.action('cloudfront UpdateDistribution: forward the Authorization header, Minimum TTL 1');
    await cloudfront.send(new UpdateDistributionCommand({ Id: distributionId, IfMatch: current.ETag, DistributionConfig: config }));
    this.action('cloudfront CreateInvalidation /*');
    await cloudfront.send(
      new CreateInvalidationCommand({ DistributionId: distributionId, InvalidationBatch: { CallerReference: `walkthrough-${Date.now()}`, Paths: { Quantity: 1, Items: ['/*'] } } }),
    );
  }

  /** Sign up on the user pool, confirm through the mailbox link, and get an ID token as getIDtoken.py does. */
  private async signUpAndSignIn(): Promise<string> {
    const cognito = new CognitoIdentityProviderClient(this.config);
    const poolId = this.outputs.CognitoUserPoolID;
    const clientId = this.outputs.CognitoAppClientID;
    const described = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    const clientSecret = described.UserPoolClient?.ClientSecret ?? '';
    const email = `learner-${randomBytes(4).toString('hex')}@example.com`;
    const password = `Walab-${randomBytes(6).toString('base64url')}1!`;
    const secretHash = (username: string) => createHmac('sha256', clientSecret).update(username + clientId).digest('base64');

    this.action(`cognito-idp SignUp ${email}`);
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: password, SecretHash: secretHash(email), UserAttributes: [{ Name: 'email', Value: email }] }));
    const message = this.running.app.mail.list().find((sent) => sent.recipient === email);
    this.expectValue('confirmation message in the mailbox', 'a link', message?.link ? 'a link' : 'none');
    if (message?.link) await this.request('Open the confirmation link', message.link, {}, { status: 200 });

    this.action('cognito-idp AdminInitiateAuth ADMIN_NO_SRP_AUTH with SECRET_HASH (getIDtoken.py)');
    const auth = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_NO_SRP_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: secretHash(email) },
      }),
    );
    const idToken = auth.AuthenticationResult?.IdToken ?? '';
    this.expectValue('ID token issued', 'yes', idToken.split('.').length === 3 ? 'yes' : 'no');
    return idToken;
  }

  private async physicalId(logicalId: string): Promise<string> {
    const cloudformation = new CloudFormationClient(this.config);
    const output = await cloudformation.send(new DescribeStackResourcesCommand({ StackName: apiSecurityLab.stackName, LogicalResourceId: logicalId }));
    const id = output.StackResources?.[0]?.PhysicalResourceId;
    if (!id) throw new Error(`stack resource ${logicalId} not found`);
    return id;
  }

  private heading(text: string): void {
    this.report('');
    this.report(`== ${text}`);
  }

  private action(text: string): void {
    this.report(`  action:   ${text}`);
  }

  private async request(title: string, url: string, headers: Record<string, string>, expected: Expectation): Promise<void> {
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.text();
    const headerText = Object.keys(headers).length ? ` with ${Object.keys(headers).join(', ')}` : '';
    let bodyMatches = true;
    if (expected.body !== undefined) bodyMatches = body === expected.body;
    else if (expected.contains !== undefined) bodyMatches = body.includes(expected.contains);
    const ok = response.status === expected.status && bodyMatches;
    const shownExpected = `${expected.status}${expected.body !== undefined ? ' ' + expected.body : expected.contains ? ` containing "${expected.contains}"` : ''}`;
    const oneLine = body.replace(/\s+/g, ' ').trim();
    const shownBody = oneLine.length > 200 ? oneLine.slice(0, 200) + '...' : oneLine;
    this.record(ok, title, [`request:  GET ${url}${headerText}`, `expected: ${shownExpected}`, `actual:   ${response.status} ${shownBody}`]);
  }

  private expectValue(title: string, expected: string, actual: string): void {
    this.record(expected === actual, title, [`expected: ${expected}`, `actual:   ${actual}`]);
  }

  private record(ok: boolean, title: string, lines: string[]): void {
    this.checks++;
    if (!ok) this.failures++;
    this.report(`  [${ok ? 'PASS' : 'FAIL'}] ${title}`);
    for (const line of lines) this.report(`           ${line}`);
  }

  fail(message: string): void {
    this.checks++;
    this.failures++;
    this.report(`  [FAIL] ${message}`);
  }
}

async function waitForStack(client: CloudFormationClient, stackName: string) {
  const deadline = Date.now() + 10 * 60 * 1000;
  for (;;) {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (stack && /(_COMPLETE|_FAILED)$/.test(stack.StackStatus ?? '')) return stack;
    if (Date.now() > deadline) throw new Error(`stack ${stackName} did not settle within 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Name and id from a web ACL ARN `arn:aws:wafv2:<region>:<account>:<scope>/webacl/<name>/<id>`. */
function webAclNameAndId(arn: string): [string, string] {
  const parts = arn.split('/');
  return [parts[parts.length - 2], parts[parts.length - 1]];
}
