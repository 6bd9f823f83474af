/**
 * RDS's awsQuery lists name their items after the shape (`<DBInstances><DBInstance>`,
 * `VpcSecurityGroupIds.VpcSecurityGroupId.1`) rather than `member`. The item
 * names are the `locationName` of each list in the RDS service model
 * (botocore `rds/2014-10-31/service-2.json`).
 */
export const LIST_ITEM_NAMES: Record<string, string> = {
  DBInstances: 'DBInstance',
  DBSecurityGroups: 'DBSecurityGroup',
  VpcSecurityGroups: 'VpcSecurityGroupMembership',
  DBParameterGroups: 'DBParameterGroup',
  Subnets: 'Subnet',
  ReadReplicaDBInstanceIdentifiers: 'ReadReplicaDBInstanceIdentifier',
  ReadReplicaDBClusterIdentifiers: 'ReadReplicaDBClusterIdentifier',
  OptionGroupMemberships: 'OptionGroupMembership',
  StatusInfos: 'DBInstanceStatusInfo',
  DomainMemberships: 'DomainMembership',
  AssociatedRoles: 'DBInstanceRole',
  TagList: 'Tag',
  DBSubnetGroups: 'DBSubnetGroup',
  VpcSecurityGroupIds: 'VpcSecurityGroupId',
  Tags: 'Tag',
  SubnetIds: 'SubnetIdentifier',
  Filters: 'Filter',
  Values: 'Value',
};

/** Read a list member of a parsed query form, turning `{Item: {1: a, 2: b}}` into `[a, b]` and passing arrays through. */
export function queryList<T = unknown>(value: unknown, member: string): T[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value as T[];
  if (typeof value !== 'object') return [value as T];
  const indexed = (value as Record<string, unknown>)[LIST_ITEM_NAMES[member] ?? 'member'] ?? value;
  if (Array.isArray(indexed)) return indexed as T[];
  return Object.entries(indexed as Record<string, unknown>)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, item]) => item as T);
}
