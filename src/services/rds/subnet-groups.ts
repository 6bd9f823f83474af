import type { App } from '../../core/app.ts';
import { formatArn } from '../../core/arn.ts';
import { AwsError } from '../../core/errors.ts';
import { dbSubnetGroupAlreadyExists, dbSubnetGroupNotFound, invalidParameterValue } from './errors.ts';
import { optionalString, requiredString } from './input.ts';
import type { InstanceRepository, Tag } from './instance-record.ts';
import { queryList } from './query-lists.ts';

interface SubnetGroupRecord {
  name: string;
  description: string;
  subnetIds: string[];
  tags: Tag[];
}

const SERVICE = 'rds';
const KIND = 'db-subnet-group';

export class SubnetGroupRepository {
  constructor(private readonly app: App) {}

  find(name: string): SubnetGroupRecord | undefined {
    return this.app.store.get<SubnetGroupRecord>(SERVICE, KIND, name.toLowerCase());
  }

  all(): SubnetGroupRecord[] {
    return this.app.store.list<SubnetGroupRecord>(SERVICE, KIND);
  }

  save(record: SubnetGroupRecord): void {
    this.app.store.put(SERVICE, KIND, record.name, record);
  }

  remove(name: string): void {
    this.app.store.delete(SERVICE, KIND, name);
  }

  toShape(record: SubnetGroupRecord) {
    return {
      DBSubnetGroupName: record.name,
      DBSubnetGroupDescription: record.description,
      // TODO: palisade has no EC2, so VpcId is absent and every subnet is reported in us-east-1a.
      SubnetGroupStatus: 'Complete',
      Subnets: record.subnetIds.map((id) => ({ SubnetIdentifier: id, SubnetAvailabilityZone: { Name: 'us-east-1a' }, SubnetStatus: 'Active' })),
      DBSubnetGroupArn: formatArn({ service: 'rds', region: this.app.region, accountId: this.app.accountId, resource: `subgrp:${record.name}` }),
      SupportedNetworkTypes: ['IPV4'],
    };
  }
}

/** DB subnet groups are recorded only: there is no network locally. */
export function subnetGroupOperations(groups: SubnetGroupRepository, instances: InstanceRepository) {
  return {
    CreateDBSubnetGroup(input: Record<string, unknown>) {
      const name = requiredString(input, 'DBSubnetGroupName').toLowerCase();
      const description = requiredString(input, 'DBSubnetGroupDescription');
      const subnetIds = queryList<string>(input.SubnetIds, 'SubnetIds');
      if (subnetIds.length === 0) throw invalidParameterValue('Some input subnets are invalid: a DB subnet group needs at least one subnet.');
      if (name === 'default') throw invalidParameterValue('DBSubnetGroupName must not be "Default".');
      if (groups.find(name)) throw dbSubnetGroupAlreadyExists(name);
      const tags = queryList<Tag>(input.Tags, 'Tags').map((tag) => ({ Key: String(tag.Key), Value: String(tag.Value ?? '') }));
      const record = { name, description, subnetIds: subnetIds.map(String), tags };
      groups.save(record);
      return { DBSubnetGroup: groups.toShape(record) };
    },

    DescribeDBSubnetGroups(input: Record<string, unknown>) {
      const name = optionalString(input, 'DBSubnetGroupName');
      if (name === undefined) return { DBSubnetGroups: groups.all().map((group) => groups.toShape(group)) };
      const record = groups.find(name);
      if (!record) throw dbSubnetGroupNotFound(name);
      return { DBSubnetGroups: [groups.toShape(record)] };
    },

    DeleteDBSubnetGroup(input: Record<string, unknown>) {
      const name = requiredString(input, 'DBSubnetGroupName').toLowerCase();
      if (!groups.find(name)) throw dbSubnetGroupNotFound(name);
      const user = instances.all().find((instance) => instance.dbSubnetGroupName === name);
      if (user) {
        throw new AwsError('InvalidDBSubnetGroupStateFault', `Cannot delete the subnet group '${name}' because at least one database instance: ${user.id} is still using it.`, 400);
      }
      groups.remove(name);
      return {};
    },
  };
}
