import { AwsError } from '../../../core/errors.ts';
import { apiGatewayProvisioners } from './apigateway.ts';
import { cloudFrontProvisioners } from './cloudfront.ts';
import { cognitoProvisioners } from './cognito.ts';
import { customResource } from './custom.ts';
import { ec2Provisioners } from './ec2.ts';
import { iamProvisioners } from './iam.ts';
import { lambdaProvisioners } from './lambda.ts';
import { rdsProvisioners } from './rds.ts';
import { secretsManagerProvisioners } from './secretsmanager.ts';
import type { ResourceProvisioner } from './types.ts';
import { wafv2Provisioners } from './wafv2.ts';

const PROVISIONERS: Record<string, ResourceProvisioner> = {
  ...ec2Provisioners,
  ...iamProvisioners,
  ...lambdaProvisioners,
  ...secretsManagerProvisioners,
  ...rdsProvisioners,
  ...apiGatewayProvisioners,
  ...wafv2Provisioners,
  ...cloudFrontProvisioners,
  ...cognitoProvisioners,
  'AWS::CloudFormation::CustomResource': customResource,
};

/** Look up the provisioner of a resource type. An unsupported type fails naming it. */
export function provisionerFor(type: string): ResourceProvisioner {
  if (type.startsWith('Custom::')) return customResource;
  const provisioner = PROVISIONERS[type];
  if (!provisioner) throw new AwsError('ValidationError', `palisade does not support the resource type ${type}`);
  return provisioner;
}

export function isSupportedType(type: string): boolean {
  return type.startsWith('Custom::') || type in PROVISIONERS;
}
