import { randomString } from '../../core/ids.ts';
import { nativePasswordHash } from './mysql-protocol/auth.ts';
import {
  dbInstanceAlreadyExists,
  dbSubnetGroupNotFound,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  unsupported,
} from './errors.ts';
import { optionalBool, optionalInt, optionalString, requiredString } from './input.ts';
import type { DBInstanceRecord, InstanceRepository, Tag } from './instance-record.ts';
import type { InstanceServers } from './instance-servers.ts';
import { toDBInstance } from './instance-shape.ts';
import { checkDBName, checkInstanceIdentifier, checkMasterPassword, checkMasterUsername } from './instance-validation.ts';
import { queryList } from './query-lists.ts';
import type { SubnetGroupRepository } from './subnet-groups.ts';

type Input = Record<string, unknown>;

/** Default engine versions when EngineVersion is absent, standing in for the RDS default at the time of writing. */
const DEFAULT_VERSIONS = { mysql: '8.0.39', mariadb: '10.11.9' } as const;
const OTHER_RDS_ENGINES = /^(postgres|aurora|aurora-mysql|aurora-postgresql|oracle-\w+|sqlserver-\w+|db2-\w+|custom-\w+)$/;

/** CreateDBInstance, DescribeDBInstances, ModifyDBInstance and DeleteDBInstance. */
export function instanceOperations(instances: InstanceRepository, servers: InstanceServers, subnetGroups: SubnetGroupRepository) {
  return {
    async CreateDBInstance(input: Input) {
      const id = checkInstanceIdentifier(requiredString(input, 'DBInstanceIdentifier'));
      const dbInstanceClass = requiredString(input, 'DBInstanceClass');
      const engine = checkEngine(requiredString(input, 'Engine'));
      if (optionalBool(input, 'ManageMasterUserPassword')) unsupportedMember('ManageMasterUserPassword');
      const masterUsername = checkMasterUsername(optionalString(input, 'MasterUsername'));
      const password = checkMasterPassword(optionalString(input, 'MasterUserPassword'));
      const storageType = optionalString(input, 'StorageType') ?? 'gp2';
      const allocatedStorage = checkStorage(optionalInt(input, 'AllocatedStorage'), engine, storageType);
      const subnetGroupName = optionalString(input, 'DBSubnetGroupName')?.toLowerCase();
      if (subnetGroupName !== undefined && !subnetGroups.find(subnetGroupName)) throw dbSubnetGroupNotFound(subnetGroupName);
      if (instances.find(id)) throw dbInstanceAlreadyExists();

      const record: DBInstanceRecord = {
        id,
        dbInstanceClass,
        engine,
        engineVersion: optionalString(input, 'EngineVersion') ?? DEFAULT_VERSIONS[engine],
        masterUsername,
        sealedNativePasswordHash: instances.sealHash(nativePasswordHash(password)),
        dbName: checkDBName(optionalString(input, 'DBName')),
        allocatedStorage,
        storageType,
        multiAZ: optionalBool(input, 'MultiAZ') ?? false,
        publiclyAccessible: optionalBool(input, 'PubliclyAccessible') ?? false,
        backupRetentionPeriod: optionalInt(input, 'BackupRetentionPeriod') ?? 1,
        deletionProtection: optionalBool(input, 'DeletionProtection') ?? false,
        vpcSecurityGroupIds: queryList<string>(input.VpcSecurityGroupIds, 'VpcSecurityGroupIds'),
        dbSubnetGroupName: subnetGroupName,
        availabilityZone: optionalString(input, 'AvailabilityZone') ?? 'us-east-1a',
        dbiResourceId: `db-${randomString(26, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
        createTime: Date.now(),
        tags: queryList<Tag>(input.Tags, 'Tags').map((tag) => ({ Key: String(tag.Key), Value: String(tag.Value ?? '') })),
      };
      instances.save(record);
      // TODO: RDS reports `creating` for several minutes; palisade's instance is available at once.
      await servers.start(record);
      return { DBInstance: toDBInstance(instances.get(id), instances) };
    },

    DescribeDBInstances(input: Input) {
      const id = optionalString(input, 'DBInstanceIdentifier');
      if (queryList(input.Filters, 'Filters').length > 0) unsupportedMember('Filters of DescribeDBInstances');
      const records = id === undefined ? instances.all() : [instances.get(id)];
      const maxRecords = optionalInt(input, 'MaxRecords') ?? 100;
      if (maxRecords < 20 || maxRecords > 100) throw invalidParameterValue(`Invalid value ${maxRecords} for MaxRecords. Must be between 20 and 100`);
      const start = Number(optionalString(input, 'Marker') ?? 0);
      if (!Number.isInteger(start) || start < 0) throw invalidParameterValue('The Marker value is invalid.');
      const page = records.slice(start, start + maxRecords);
      const marker = start + maxRecords < records.length ? String(start + maxRecords) : undefined;
      return { Marker: marker, DBInstances: page.map((record) => toDBInstance(record, instances)) };
    },

    async ModifyDBInstance(input: Input) {
      const record = instances.get(requiredString(input, 'DBInstanceIdentifier'));
      for (const member of ['NewDBInstanceIdentifier', 'EngineVersion', 'ManageMasterUserPassword', 'DBParameterGroupName']) {
        if (input[member] !== undefined) unsupportedMember(`${member} of ModifyDBInstance`);
      }
      const password = optionalString(input, 'MasterUserPassword');
      // Sessions already open keep working after a password change, as in MySQL; new logins need the new password.
      if (password !== undefined) record.sealedNativePasswordHash = instances.sealHash(nativePasswordHash(checkMasterPassword(password)));
      record.dbInstanceClass = optionalString(input, 'DBInstanceClass') ?? record.dbInstanceClass;
      const storage = optionalInt(input, 'AllocatedStorage');
      if (storage !== undefined) record.allocatedStorage = checkStorage(storage, record.engine, record.storageType);
      record.backupRetentionPeriod = optionalInt(input, 'BackupRetentionPeriod') ?? record.backupRetentionPeriod;
      record.multiAZ = optionalBool(input, 'MultiAZ') ?? record.multiAZ;
      record.publiclyAccessible = optionalBool(input, 'PubliclyAccessible') ?? record.publiclyAccessible;
      record.deletionProtection = optionalBool(input, 'DeletionProtection') ?? record.deletionProtection;
      if (input.VpcSecurityGroupIds !== undefined) record.vpcSecurityGroupIds = queryList<string>(input.VpcSecurityGroupIds, 'VpcSecurityGroupIds');
      const subnetGroupName = optionalString(input, 'DBSubnetGroupName')?.toLowerCase();
      if (subnetGroupName !== undefined) {
        if (!subnetGroups.find(subnetGroupName)) throw dbSubnetGroupNotFound(subnetGroupName);
        record.dbSubnetGroupName = subnetGroupName;
      }
      // TODO: RDS shows changes in PendingModifiedValues until applied; palisade applies them at once, whatever the value of ApplyImmediately.
      instances.save(record);
      return { DBInstance: toDBInstance(record, instances) };
    },

    async DeleteDBInstance(input: Input) {
      const record = instances.get(requiredString(input, 'DBInstanceIdentifier'));
      const skipFinalSnapshot = optionalBool(input, 'SkipFinalSnapshot') ?? false;
      const finalSnapshot = optionalString(input, 'FinalDBSnapshotIdentifier');
      if (skipFinalSnapshot && finalSnapshot !== undefined) {
        throw invalidParameterCombination('Cannot specify both SkipFinalSnapshot and FinalDBSnapshotIdentifier.');
      }
      if (!skipFinalSnapshot && finalSnapshot === undefined) {
        throw invalidParameterCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
      }
      if (finalSnapshot !== undefined) unsupportedMember('FinalDBSnapshotIdentifier (DB snapshots)');
      if (record.deletionProtection) {
        throw invalidParameterCombination('Cannot delete protected DB Instance, please disable deletion protection and try again.');
      }
      await servers.stop(record.id);
      servers.removeFiles(record.id);
      instances.remove(record.id);
      return { DBInstance: toDBInstance(record, instances, 'deleting') };
    },
  };
}

function checkEngine(engine: string): 'mysql' | 'mariadb' {
  const name = engine.toLowerCase();
  if (name === 'mysql' || name === 'mariadb') return name;
  if (OTHER_RDS_ENGINES.test(name)) throw unsupported(`the RDS engine ${name}`);
  throw invalidParameterValue(`Invalid DB engine: ${engine}`);
}

/** Allocated storage for MySQL and MariaDB on gp2/gp3: 20 to 65536 GiB. */
function checkStorage(size: number | undefined, engine: string, storageType: string): number {
  if (size === undefined) throw missingParameter('AllocatedStorage');
  if (size < 20 || size > 65536) throw invalidParameterValue(`Invalid storage size for engine name ${engine} and storage type ${storageType}: ${size}`);
  return size;
}

function unsupportedMember(member: string): never {
  throw unsupported(member);
}
