import type { DBInstanceRecord, InstanceRepository } from './instance-record.ts';

/** The hosted zone of RDS endpoints in us-east-1, as DescribeDBInstances reports it. */
const US_EAST_1_HOSTED_ZONE = 'Z2R2ITUGPM61AM';

/** The DBInstance structure as DescribeDBInstances returns it, with the endpoint on the loopback address. */
export function toDBInstance(record: DBInstanceRecord, instances: InstanceRepository, status = 'available') {
  const majorMinor = record.engineVersion.split('.').slice(0, 2).join('.');
  const family = record.engine === 'mysql' ? `mysql${majorMinor}` : `mariadb${majorMinor}`;
  return {
    DBInstanceIdentifier: record.id,
    DBInstanceClass: record.dbInstanceClass,
    Engine: record.engine,
    DBInstanceStatus: status,
    MasterUsername: record.masterUsername,
    DBName: record.dbName,
    Endpoint: record.port === undefined ? undefined : { Address: '127.0.0.1', Port: record.port, HostedZoneId: US_EAST_1_HOSTED_ZONE },
    AllocatedStorage: record.allocatedStorage,
    InstanceCreateTime: new Date(record.createTime),
    PreferredBackupWindow: '03:00-03:30',
    BackupRetentionPeriod: record.backupRetentionPeriod,
    DBSecurityGroups: [],
    VpcSecurityGroups: record.vpcSecurityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    DBParameterGroups: [{ DBParameterGroupName: `default.${family}`, ParameterApplyStatus: 'in-sync' }],
    AvailabilityZone: record.availabilityZone,
    DBSubnetGroup: record.dbSubnetGroupName === undefined ? undefined : { DBSubnetGroupName: record.dbSubnetGroupName, SubnetGroupStatus: 'Complete' },
    PreferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    PendingModifiedValues: {},
    MultiAZ: record.multiAZ,
    EngineVersion: record.engineVersion,
    AutoMinorVersionUpgrade: true,
    ReadReplicaDBInstanceIdentifiers: [],
    LicenseModel: 'general-public-license',
    OptionGroupMemberships: [{ OptionGroupName: `default:${record.engine}-${majorMinor.replace('.', '-')}`, Status: 'in-sync' }],
    PubliclyAccessible: record.publiclyAccessible,
    StorageType: record.storageType,
    DbInstancePort: 0,
    StorageEncrypted: false,
    DbiResourceId: record.dbiResourceId,
    CACertificateIdentifier: 'rds-ca-rsa2048-g1',
    CopyTagsToSnapshot: false,
    MonitoringInterval: 0,
    DBInstanceArn: instances.arn(record.id),
    IAMDatabaseAuthenticationEnabled: false,
    PerformanceInsightsEnabled: false,
    DeletionProtection: record.deletionProtection,
    TagList: record.tags,
    CustomerOwnedIpEnabled: false,
    NetworkType: 'IPV4',
  };
}
