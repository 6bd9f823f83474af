import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError } from '../../../core/errors.ts';
import { compact, generatedName, toBoolean, toNumber, type ProvisionContext, type ResourceProvisioner } from './types.ts';

/** How long palisade waits for a local DB instance to become available. */
const AVAILABLE_TIMEOUT_MS = 10 * 60 * 1000;
const POLL_INTERVAL_MS = 500;

async function waitForStatus(ctx: ProvisionContext, identifier: string, wanted: string): Promise<any> {
  const deadline = Date.now() + AVAILABLE_TIMEOUT_MS;
  for (;;) {
    const { DBInstances } = await ctx.call('rds', 'DescribeDBInstances', { DBInstanceIdentifier: identifier });
    const instance = DBInstances?.[0];
    if (instance?.DBInstanceStatus === wanted) return instance;
    if (instance?.DBInstanceStatus === 'failed') throw new AwsError('ValidationError', `DB instance ${identifier} failed to start`);
    if (Date.now() > deadline) throw new AwsError('ValidationError', `DB instance ${identifier} did not become ${wanted} within ${AVAILABLE_TIMEOUT_MS / 60000} minutes`);
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * AWS::RDS::DBInstance → CreateDBInstance, then wait for `available` as
 * CloudFormation does. Ref is the instance identifier (lower case);
 * Fn::GetAtt Endpoint.Address and Endpoint.Port come from DescribeDBInstances.
 * Properties palisade passes on are those the local database honours.
 */
const dbInstance: ResourceProvisioner = {
  properties: ['AllocatedStorage', 'BackupRetentionPeriod', 'DBInstanceClass', 'DBInstanceIdentifier', 'DBName', 'DBSubnetGroupName', 'DeletionProtection', 'Engine', 'EngineVersion', 'MasterUserPassword', 'MasterUsername', 'MultiAZ', 'Port', 'PubliclyAccessible', 'StorageType', 'Tags', 'VPCSecurityGroups'],
  recordedOnly: ['AvailabilityZone', 'PreferredBackupWindow', 'PreferredMaintenanceWindow', 'AutoMinorVersionUpgrade', 'CopyTagsToSnapshot'],
  unsupported: ['AllowMajorVersionUpgrade', 'AssociatedRoles', 'CACertificateIdentifier', 'CertificateRotationRestart', 'CharacterSetName', 'CustomIAMInstanceProfile', 'DBClusterIdentifier', 'DBClusterSnapshotIdentifier', 'DBParameterGroupName', 'DBSecurityGroups', 'DBSnapshotIdentifier', 'DedicatedLogVolume', 'DeleteAutomatedBackups', 'Domain', 'DomainAuthSecretArn', 'DomainDnsIps', 'DomainFqdn', 'DomainIAMRoleName', 'DomainOu', 'EnableCloudwatchLogsExports', 'EnableIAMDatabaseAuthentication', 'EnablePerformanceInsights', 'Iops', 'KmsKeyId', 'LicenseModel', 'ManageMasterUserPassword', 'MasterUserSecret', 'MaxAllocatedStorage', 'MonitoringInterval', 'MonitoringRoleArn', 'NcharCharacterSetName', 'NetworkType', 'OptionGroupName', 'PerformanceInsightsKMSKeyId', 'PerformanceInsightsRetentionPeriod', 'ProcessorFeatures', 'PromotionTier', 'ReplicaMode', 'RestoreTime', 'SourceDBClusterIdentifier', 'SourceDBInstanceAutomatedBackupsArn', 'SourceDBInstanceIdentifier', 'SourceDbiResourceId', 'SourceRegion', 'StorageEncrypted', 'StorageThroughput', 'Timezone', 'UseDefaultProcessorFeatures', 'UseLatestRestorableTime', 'DatabaseInsightsMode', 'DBSystemId', 'ApplyImmediately', 'AutomaticBackupReplicationRegion', 'AutomaticBackupReplicationKmsKeyId', 'AutomaticBackupReplicationRetentionPeriod', 'BackupTarget', 'DBInstanceStatus', 'AdditionalStorageVolumes'],
  required: ['DBInstanceClass'],
  async create(ctx, props) {
    const identifier = String(props.DBInstanceIdentifier ?? generatedName(ctx, 63)).toLowerCase();
    await ctx.call('rds', 'CreateDBInstance', compact({
      DBInstanceIdentifier: identifier,
      DBInstanceClass: props.DBInstanceClass,
      Engine: props.Engine,
      EngineVersion: props.EngineVersion,
      AllocatedStorage: toNumber(props.AllocatedStorage),
      StorageType: props.StorageType,
      MasterUsername: props.MasterUsername,
      MasterUserPassword: props.MasterUserPassword,
      DBName: props.DBName,
      DBSubnetGroupName: props.DBSubnetGroupName,
      VpcSecurityGroupIds: props.VPCSecurityGroups,
      MultiAZ: toBoolean(props.MultiAZ),
      PubliclyAccessible: toBoolean(props.PubliclyAccessible),
      BackupRetentionPeriod: toNumber(props.BackupRetentionPeriod),
      Port: toNumber(props.Port),
      DeletionProtection: toBoolean(props.DeletionProtection),
      Tags: props.Tags,
    }));
    const instance = await waitForStatus(ctx, identifier, 'available');
    return {
      physicalId: identifier,
      attributes: {
        'Endpoint.Address': instance.Endpoint?.Address,
        'Endpoint.Port': String(instance.Endpoint?.Port ?? ''),
        DBInstanceArn: instance.DBInstanceArn,
        DbiResourceId: instance.DbiResourceId,
      },
    };
  },
  async delete(ctx, current) {
    // TODO: a DBInstance's default DeletionPolicy on AWS is Snapshot; palisade deletes without a final snapshot.
    await ctx.call('rds', 'DeleteDBInstance', { DBInstanceIdentifier: current.physicalId, SkipFinalSnapshot: true });
  },
};

/** AWS::RDS::DBSubnetGroup → CreateDBSubnetGroup; Ref is the (lower-case) name. */
const dbSubnetGroup: ResourceProvisioner = {
  properties: ['DBSubnetGroupDescription', 'DBSubnetGroupName', 'SubnetIds', 'Tags'],
  required: ['DBSubnetGroupDescription', 'SubnetIds'],
  async create(ctx, props) {
    const name = String(props.DBSubnetGroupName ?? generatedName(ctx, 255)).toLowerCase();
    await ctx.call('rds', 'CreateDBSubnetGroup', compact({ DBSubnetGroupName: name, DBSubnetGroupDescription: props.DBSubnetGroupDescription, SubnetIds: props.SubnetIds, Tags: props.Tags }));
    return { physicalId: name };
  },
  async delete(ctx, current) {
    await ctx.call('rds', 'DeleteDBSubnetGroup', { DBSubnetGroupName: current.physicalId });
  },
};

export const rdsProvisioners: Record<string, ResourceProvisioner> = {
  'AWS::RDS::DBInstance': dbInstance,
  'AWS::RDS::DBSubnetGroup': dbSubnetGroup,
};
