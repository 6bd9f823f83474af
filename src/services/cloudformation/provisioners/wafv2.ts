import { rulesFromCloudFormation } from '../../wafv2/cloudformation-shape.ts';
import { compact, type ProvisionContext, type ResourceProvisioner } from './types.ts';

function webAclInput(props: Record<string, any>) {
  return compact({
    DefaultAction: props.DefaultAction,
    Description: props.Description,
    Rules: rulesFromCloudFormation(props.Rules ?? []),
    VisibilityConfig: props.VisibilityConfig,
    CustomResponseBodies: props.CustomResponseBodies,
    CaptchaConfig: props.CaptchaConfig,
    ChallengeConfig: props.ChallengeConfig,
    TokenDomains: props.TokenDomains,
    AssociationConfig: props.AssociationConfig,
  });
}

function parsePhysicalId(physicalId: string): { Name: string; Id: string; Scope: string } {
  const [Name, Id, Scope] = physicalId.split('|');
  return { Name, Id, Scope };
}

async function lockToken(ctx: ProvisionContext, id: { Name: string; Id: string; Scope: string }): Promise<string> {
  const { LockToken } = await ctx.call('wafv2', 'GetWebACL', id);
  return LockToken;
}

/** AWS::WAFv2::WebACL → CreateWebACL; Ref is `name|id|scope`, Fn::GetAtt Arn and Id. */
const webAcl: ResourceProvisioner = {
  properties: ['AssociationConfig', 'CaptchaConfig', 'ChallengeConfig', 'CustomResponseBodies', 'DefaultAction', 'Description', 'Name', 'Rules', 'Scope', 'Tags', 'TokenDomains', 'VisibilityConfig'],
  unsupported: ['DataProtectionConfig', 'OnSourceDDoSProtectionConfig', 'ApplicationConfig'],
  required: ['DefaultAction', 'Scope', 'VisibilityConfig'],
  replaceOn: ['Name', 'Scope'],
  async create(ctx, props) {
    const name = String(props.Name ?? `${ctx.logicalId}-${Date.now().toString(36)}`);
    const { Summary } = await ctx.call('wafv2', 'CreateWebACL', { Name: name, Scope: props.Scope, ...webAclInput(props), ...(props.Tags ? { Tags: props.Tags } : {}) });
    return {
      physicalId: `${Summary.Name}|${Summary.Id}|${props.Scope}`,
      attributes: { Arn: Summary.ARN, Id: Summary.Id, LabelNamespace: `awswaf:${ctx.app.accountId}:webacl:${Summary.Name}:` },
    };
  },
  async update(ctx, current, props) {
    const id = parsePhysicalId(current.physicalId);
    await ctx.call('wafv2', 'UpdateWebACL', { ...id, LockToken: await lockToken(ctx, id), ...webAclInput(props) });
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    const id = parsePhysicalId(current.physicalId);
    await ctx.call('wafv2', 'DeleteWebACL', { ...id, LockToken: await lockToken(ctx, id) });
  },
};

/** AWS::WAFv2::WebACLAssociation → AssociateWebACL (regional resources such as an API Gateway stage). */
const webAclAssociation: ResourceProvisioner = {
  properties: ['ResourceArn', 'WebACLArn'],
  required: ['ResourceArn', 'WebACLArn'],
  async create(ctx, props) {
    await ctx.call('wafv2', 'AssociateWebACL', { ResourceArn: props.ResourceArn, WebACLArn: props.WebACLArn });
    return { physicalId: `${props.ResourceArn}|${props.WebACLArn}` };
  },
  async delete(ctx, current) {
    await ctx.call('wafv2', 'DisassociateWebACL', { ResourceArn: current.properties.ResourceArn });
  },
};

export const wafv2Provisioners: Record<string, ResourceProvisioner> = {
  'AWS::WAFv2::WebACL': webAcl,
  'AWS::WAFv2::WebACLAssociation': webAclAssociation,
};
