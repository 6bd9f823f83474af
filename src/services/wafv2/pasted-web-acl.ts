import { AwsError } from '../../core/errors.ts';
import { rulesFromCloudFormation } from './cloudformation-shape.ts';
import type { Scope, WebAclDefinition } from './engine/types.ts';
import { referencedArns } from './references.ts';
import type { Input } from './validate-members.ts';
import { validateWebAclBody } from './validate-web-acl.ts';

/**
 * Read a web ACL in any of the forms a user has at hand, validated as
 * CreateWebACL would validate it:
 * - the output of `aws wafv2 get-web-acl` (`{"WebACL": {...}, "LockToken": ...}`) or its `WebACL` object;
 * - a CloudFormation `AWS::WAFv2::WebACL` resource (`{"Type": ..., "Properties": {...}}`), or a
 *   template holding one (name it with `logicalId` when there are several).
 * IP sets, regex pattern sets and rule groups live outside the web ACL, so
 * a web ACL that references one cannot be evaluated on its own and is
 * refused, naming the reference.
 */
export function pastedWebAcl(document: unknown, options: { logicalId?: string; accountId: string; scope?: string }): WebAclDefinition {
  const { body, cloudFormation } = webAclBody(document, options.logicalId);
  if (cloudFormation) rejectIntrinsics(body);
  const input: Input = cloudFormation ? { ...body, Rules: rulesFromCloudFormation(body.Rules ?? []) } : body;
  // get-web-acl output has no Scope member, but its ARN names global (CLOUDFRONT) or regional.
  const fileScope = input.Scope ?? scopeOfArn(input.ARN);
  if (fileScope !== undefined && options.scope !== undefined && options.scope !== fileScope) {
    throw new AwsError('ValidationError', `--scope ${options.scope} contradicts the web ACL's scope ${fileScope}`);
  }
  const scope = fileScope ?? options.scope;
  if (scope !== 'REGIONAL' && scope !== 'CLOUDFRONT') throw new AwsError('ValidationError', 'the web ACL names no Scope: pass --scope REGIONAL or --scope CLOUDFRONT');

  validateWebAclBody(input, scope);
  const references = referencedArns(input.Rules ?? []);
  if (references.length > 0) {
    throw new AwsError(
      'ValidationError',
      `the web ACL references ${references.join(', ')}, which a pasted web ACL does not carry: create it in a running palisade (aws wafv2 create-web-acl) and send requests through an associated stage instead`,
    );
  }

  const name = typeof input.Name === 'string' && input.Name ? input.Name : 'pasted';
  const region = scope === 'CLOUDFRONT' ? 'global' : 'regional';
  return {
    Name: name,
    ARN: typeof input.ARN === 'string' ? input.ARN : `arn:aws:wafv2:us-east-1:${options.accountId}:${region}/webacl/${name}/pasted`,
    Scope: scope,
    DefaultAction: input.DefaultAction,
    Rules: input.Rules ?? [],
    VisibilityConfig: input.VisibilityConfig,
    LabelNamespace: typeof input.LabelNamespace === 'string' ? input.LabelNamespace : `awswaf:${options.accountId}:webacl:${name}:`,
    CustomResponseBodies: input.CustomResponseBodies,
  };
}

function scopeOfArn(arn: unknown): Scope | undefined {
  if (typeof arn !== 'string') return undefined;
  if (arn.includes(':global/webacl/')) return 'CLOUDFRONT';
  return arn.includes(':regional/webacl/') ? 'REGIONAL' : undefined;
}

function webAclBody(document: unknown, logicalId: string | undefined): { body: Input; cloudFormation: boolean } {
  if (!document || typeof document !== 'object') throw new AwsError('ValidationError', 'invalid web ACL file: expected a JSON or YAML object');
  const object = document as Input;
  if (object.WebACL) return { body: object.WebACL, cloudFormation: false };
  if (object.Type === 'AWS::WAFv2::WebACL') return { body: object.Properties ?? {}, cloudFormation: true };
  if (object.Resources && typeof object.Resources === 'object') return { body: templateWebAcl(object.Resources, logicalId), cloudFormation: true };
  if (object.Rules !== undefined || object.DefaultAction !== undefined) return { body: object, cloudFormation: false };
  throw new AwsError('ValidationError', 'found no web ACL: expected get-web-acl output, a WebACL object, an AWS::WAFv2::WebACL resource or a template with one');
}

function templateWebAcl(resources: Input, logicalId: string | undefined): Input {
  const webAcls = Object.entries(resources).filter(([, resource]) => (resource as Input)?.Type === 'AWS::WAFv2::WebACL');
  const chosen = logicalId === undefined ? webAcls : webAcls.filter(([id]) => id === logicalId);
  if (chosen.length !== 1) {
    const names = webAcls.map(([id]) => id).join(', ') || 'none';
    throw new AwsError('ValidationError', logicalId === undefined ? `the template has ${webAcls.length} AWS::WAFv2::WebACL resources (${names}): name one with --resource` : `the template has no AWS::WAFv2::WebACL ${logicalId} (found: ${names})`);
  }
  return (chosen[0][1] as Input).Properties ?? {};
}

/** Reject `Ref` and `Fn::*` in CloudFormation properties: only a stack resolves them, and an unresolved one would never match. */
function rejectIntrinsics(properties: Input): void {
  const text = JSON.stringify(properties);
  if (text.includes('"Fn::') || text.includes('"Ref":')) {
    throw new AwsError('ValidationError', 'the web ACL uses intrinsic functions (Ref, Fn::Sub ...), which only a stack resolves: deploy the template with aws cloudformation create-stack instead');
  }
}
