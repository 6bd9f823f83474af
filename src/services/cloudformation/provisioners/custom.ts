import { AwsError } from '../../../core/errors.ts';
import type { ResourceProvisioner } from './types.ts';

/**
 * AWS::CloudFormation::CustomResource and Custom::<Name>: a Create, Update or
 * Delete request to the ServiceToken function ("Custom resources",
 * CloudFormation User Guide). Every property other than ServiceToken is the
 * function's to interpret. Fn::GetAtt reads the response's Data keys.
 */
export const customResource: ResourceProvisioner = {
  properties: ['ServiceToken'],
  acceptsAnyProperty: true,
  required: ['ServiceToken'],
  async create(ctx, props) {
    const { ServiceToken, ...resourceProperties } = props;
    const response = await ctx.customResource({ serviceToken: serviceToken(ServiceToken), requestType: 'Create', resourceProperties });
    return { physicalId: response.PhysicalResourceId, attributes: response.Data };
  },
  async update(ctx, current, props) {
    const { ServiceToken, ...resourceProperties } = props;
    const { ServiceToken: _old, ...oldResourceProperties } = current.properties;
    const response = await ctx.customResource({
      serviceToken: serviceToken(ServiceToken),
      requestType: 'Update',
      resourceProperties,
      oldResourceProperties,
      physicalResourceId: current.physicalId,
    });
    return { physicalId: response.PhysicalResourceId, attributes: response.Data };
  },
  replaceOn: ['ServiceToken'],
  async delete(ctx, current) {
    const { ServiceToken, ...resourceProperties } = current.properties;
    await ctx.customResource({ serviceToken: serviceToken(ServiceToken), requestType: 'Delete', resourceProperties, physicalResourceId: current.physicalId });
  },
};

function serviceToken(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('arn:aws:lambda:')) {
    throw new AwsError('ValidationError', `palisade supports only Lambda function ARNs as ServiceToken, not ${String(value)} (there is no Amazon SNS)`);
  }
  return value;
}
