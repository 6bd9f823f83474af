import { parseArn } from '../../../core/arn.ts';
import type { RequestContext } from '../../../core/service.ts';
import { invalidParameter, nonexistentItem, REASON } from '../errors.ts';
import { NON_BLANK, requireEnum, requireString, type Input } from '../validate-members.ts';
import type { WebAclStore } from '../web-acl-store.ts';
import { webAclOutput } from './web-acls.ts';

/** ARN service → ResourceType of the regional resources AssociateWebACL accepts. */
const RESOURCE_TYPES: Record<string, string> = {
  elasticloadbalancing: 'APPLICATION_LOAD_BALANCER',
  apigateway: 'API_GATEWAY',
  appsync: 'APPSYNC',
  'cognito-idp': 'COGNITO_USER_POOL',
  apprunner: 'APP_RUNNER_SERVICE',
  ec2: 'VERIFIED_ACCESS_INSTANCE',
  amplify: 'AMPLIFY',
};

function resourceType(resourceArn: string): string {
  const arn = parseArn(resourceArn);
  const type = arn ? RESOURCE_TYPES[arn.service] : undefined;
  if (!type) throw invalidParameter('RESOURCE_ARN', resourceArn, REASON.invalidFormat);
  return type;
}

function requireArn(input: Input, member: string, field: string): string {
  return requireString(input, member, field, NON_BLANK, 2048);
}

/** API Gateway stage ARNs: `arn:aws:apigateway:<region>::/restapis/<id>/stages/<name>`. */
const STAGE_ARN = /^arn:aws[\w-]*:apigateway:[^:]*::\/restapis\/([^/]+)\/stages\/([^/]+)$/;

/** A lookup that tells whether an API Gateway stage exists in palisade. */
export type StageLookup = (restApiId: string, stageName: string) => boolean;

/**
 * Check that the resource exists and that palisade evaluates web ACLs for
 * it. palisade's data planes consult associations for API Gateway stages
 * only, so any other resource type fails closed instead of being recorded
 * and never enforced.
 */
function checkAssociable(resourceArn: string, stageExists: StageLookup): void {
  const type = resourceType(resourceArn);
  if (type !== 'API_GATEWAY') throw invalidParameter('RESOURCE_ARN', resourceArn, `palisade evaluates web ACLs for API Gateway stages only, not for ${type}`);
  const stage = STAGE_ARN.exec(resourceArn);
  if (!stage) throw invalidParameter('RESOURCE_ARN', resourceArn, REASON.invalidFormat);
  if (!stageExists(stage[1], stage[2])) throw nonexistentItem();
}

export function associationOperations(store: WebAclStore, stageExists: StageLookup) {
  return {
    AssociateWebACL(input: Input, _ctx: RequestContext) {
      const webAclArn = requireArn(input, 'WebACLArn', 'RESOURCE_ARN');
      const resourceArn = requireArn(input, 'ResourceArn', 'RESOURCE_ARN');
      const record = store.get(webAclArn);
      if (!record) throw nonexistentItem();
      // CloudFront distributions take a web ACL through their own WebACLId, not AssociateWebACL.
      if (record.Scope !== 'REGIONAL') throw invalidParameter('RESOURCE_ARN', webAclArn, REASON.invalidOption);
      checkAssociable(resourceArn, stageExists);
      store.associate({ ResourceArn: resourceArn, WebACLArn: webAclArn });
      return {};
    },

    DisassociateWebACL(input: Input, _ctx: RequestContext) {
      const resourceArn = requireArn(input, 'ResourceArn', 'RESOURCE_ARN');
      resourceType(resourceArn);
      store.disassociate(resourceArn);
      return {};
    },

    GetWebACLForResource(input: Input, _ctx: RequestContext) {
      const resourceArn = requireArn(input, 'ResourceArn', 'RESOURCE_ARN');
      resourceType(resourceArn);
      const association = store.association(resourceArn);
      const record = association ? store.get(association.WebACLArn) : undefined;
      return record ? { WebACL: webAclOutput(record, store) } : {};
    },

    ListResourcesForWebACL(input: Input, _ctx: RequestContext) {
      const webAclArn = requireArn(input, 'WebACLArn', 'RESOURCE_ARN');
      if (!store.get(webAclArn)) throw nonexistentItem();
      // AWS lists Application Load Balancers when ResourceType is absent.
      const type = input.ResourceType === undefined ? 'APPLICATION_LOAD_BALANCER' : requireEnum(input, 'ResourceType', 'RESOURCE_TYPE', Object.values(RESOURCE_TYPES));
      const arns = store
        .associations()
        .filter((association) => association.WebACLArn === webAclArn && resourceType(association.ResourceArn) === type)
        .map((association) => association.ResourceArn);
      return { ResourceArns: arns };
    },
  };
}
