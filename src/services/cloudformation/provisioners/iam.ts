import { upperId } from '../../../core/ids.ts';
import { recordedResource } from './recorded.ts';
import { generatedName, type ResourceProvisioner } from './types.ts';

/**
 * IAM resources are recorded only.
 * TODO: IAM policies are not enforced yet: palisade accepts every signed
 * request, whatever the roles and policies in the stack allow.
 */
export const iamProvisioners: Record<string, ResourceProvisioner> = {
  'AWS::IAM::Role': recordedResource(
    ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'],
    (ctx, props) => {
      const name = String(props.RoleName ?? generatedName(ctx, 64));
      const path = String(props.Path ?? '/');
      return { physicalId: name, attributes: { Arn: `arn:aws:iam::${ctx.app.accountId}:role${path}${name}`, RoleId: `AROA${upperId(17)}` } };
    },
  ),
  'AWS::IAM::Policy': recordedResource(['Groups', 'PolicyDocument', 'PolicyName', 'Roles', 'Users'], (ctx) => ({
    physicalId: `${ctx.stackName.slice(0, 5)}-${ctx.logicalId.slice(0, 5)}-${upperId(12)}`,
    attributes: { Id: `${ctx.stackName.slice(0, 5)}-${ctx.logicalId.slice(0, 5)}` },
  })),
};
