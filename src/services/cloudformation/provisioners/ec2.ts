import { randomInt } from 'node:crypto';
import { ec2Id, recordedResource } from './recorded.ts';
import type { ResourceProvisioner } from './types.ts';

/**
 * Amazon VPC resources are recorded only: palisade runs everything on
 * loopback, so subnets, routes, gateways and security groups have no effect.
 * Ref and Fn::GetAtt return generated ids in AWS's formats
 * ("AWS::EC2::*" return values, CloudFormation resource reference).
 * TODO: security group rules are not enforced between local components.
 */
export const ec2Provisioners: Record<string, ResourceProvisioner> = {
  'AWS::EC2::VPC': recordedResource(
    ['CidrBlock', 'EnableDnsHostnames', 'EnableDnsSupport', 'InstanceTenancy', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength', 'Tags'],
    (_ctx, props) => {
      const id = ec2Id('vpc');
      return {
        physicalId: id,
        attributes: { VpcId: id, CidrBlock: props.CidrBlock, CidrBlockAssociations: [ec2Id('vpc-cidr-assoc')], DefaultNetworkAcl: ec2Id('acl'), DefaultSecurityGroup: ec2Id('sg'), Ipv6CidrBlocks: [] },
      };
    },
  ),
  'AWS::EC2::Subnet': recordedResource(
    ['AssignIpv6AddressOnCreation', 'AvailabilityZone', 'AvailabilityZoneId', 'CidrBlock', 'EnableDns64', 'EnableLniAtDeviceIndex', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength', 'Ipv6CidrBlock', 'Ipv6IpamPoolId', 'Ipv6Native', 'Ipv6NetmaskLength', 'MapPublicIpOnLaunch', 'OutpostArn', 'PrivateDnsNameOptionsOnLaunch', 'Tags', 'VpcId'],
    (ctx, props) => {
      const id = ec2Id('subnet');
      return { physicalId: id, attributes: { SubnetId: id, VpcId: props.VpcId, CidrBlock: props.CidrBlock, AvailabilityZone: props.AvailabilityZone ?? `${ctx.app.region}a`, AvailabilityZoneId: 'use1-az1', NetworkAclAssociationId: ec2Id('aclassoc'), Ipv6CidrBlocks: [] } };
    },
  ),
  'AWS::EC2::InternetGateway': recordedResource(['Tags'], () => {
    const id = ec2Id('igw');
    return { physicalId: id, attributes: { InternetGatewayId: id } };
  }),
  'AWS::EC2::VPCGatewayAttachment': recordedResource(['InternetGatewayId', 'VpcId', 'VpnGatewayId'], (ctx) => ({ physicalId: `IGW|${ctx.stackName}-${ctx.logicalId}` })),
  'AWS::EC2::EIP': recordedResource(
    ['Address', 'Domain', 'InstanceId', 'IpamPoolId', 'NetworkBorderGroup', 'PublicIpv4Pool', 'Tags', 'TransferAddress'],
    () => {
      // An address from TEST-NET-1 (RFC 5737), reserved for documentation, so it can never reach a real host.
      const address = `192.0.2.${randomInt(1, 255)}`;
      return { physicalId: address, attributes: { PublicIp: address, AllocationId: ec2Id('eipalloc') } };
    },
  ),
  'AWS::EC2::NatGateway': recordedResource(
    ['AllocationId', 'AvailabilityMode', 'AvailabilityZoneAddresses', 'ConnectivityType', 'MaxDrainDurationSeconds', 'PrivateIpAddress', 'SecondaryAllocationIds', 'SecondaryPrivateIpAddressCount', 'SecondaryPrivateIpAddresses', 'SubnetId', 'Tags', 'VpcId'],
    () => {
      const id = ec2Id('nat');
      return { physicalId: id, attributes: { NatGatewayId: id } };
    },
  ),
  'AWS::EC2::RouteTable': recordedResource(['Tags', 'VpcId'], () => {
    const id = ec2Id('rtb');
    return { physicalId: id, attributes: { RouteTableId: id } };
  }),
  'AWS::EC2::Route': recordedResource(
    ['CarrierGatewayId', 'CoreNetworkArn', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId', 'EgressOnlyInternetGatewayId', 'GatewayId', 'InstanceId', 'LocalGatewayId', 'NatGatewayId', 'NetworkInterfaceId', 'RouteTableId', 'TransitGatewayId', 'VpcEndpointId', 'VpcPeeringConnectionId'],
    (_ctx, props) => ({ physicalId: `${props.RouteTableId}|${props.DestinationCidrBlock ?? props.DestinationIpv6CidrBlock ?? props.DestinationPrefixListId}`, attributes: { CidrBlock: props.DestinationCidrBlock } }),
  ),
  'AWS::EC2::SubnetRouteTableAssociation': recordedResource(['RouteTableId', 'SubnetId'], () => {
    const id = ec2Id('rtbassoc');
    return { physicalId: id, attributes: { Id: id } };
  }),
  'AWS::EC2::SecurityGroup': recordedResource(
    ['GroupDescription', 'GroupName', 'SecurityGroupEgress', 'SecurityGroupIngress', 'Tags', 'VpcId'],
    (_ctx, props) => {
      const id = ec2Id('sg');
      return { physicalId: id, attributes: { GroupId: id, VpcId: props.VpcId } };
    },
  ),
  'AWS::EC2::SecurityGroupIngress': recordedResource(
    ['CidrIp', 'CidrIpv6', 'Description', 'FromPort', 'GroupId', 'GroupName', 'IpProtocol', 'SourcePrefixListId', 'SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourceSecurityGroupOwnerId', 'ToPort'],
    () => {
      const id = ec2Id('sgr');
      return { physicalId: id, attributes: { Id: id } };
    },
  ),
  'AWS::EC2::VPCEndpoint': recordedResource(
    ['DnsOptions', 'IpAddressType', 'PolicyDocument', 'PrivateDnsEnabled', 'ResourceConfigurationArn', 'RouteTableIds', 'SecurityGroupIds', 'ServiceName', 'ServiceNetworkArn', 'ServiceRegion', 'SubnetIds', 'Tags', 'VpcEndpointType', 'VpcId'],
    () => {
      const id = ec2Id('vpce');
      return { physicalId: id, attributes: { Id: id, CreationTimestamp: new Date().toISOString(), DnsEntries: [], NetworkInterfaceIds: [] } };
    },
  ),
};
