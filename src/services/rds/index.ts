import type { App } from '../../core/app.ts';
import type { Operation } from '../../core/service.ts';
import { InstanceRepository } from './instance-record.ts';
import { instanceOperations } from './instance-operations.ts';
import { InstanceServers } from './instance-servers.ts';
import { RDS_NAMESPACE, rdsQueryRoute } from './query-wire.ts';
import { SubnetGroupRepository, subnetGroupOperations } from './subnet-groups.ts';

/**
 * Amazon RDS (awsQuery, API version 2014-10-31). A `mysql` or `mariadb` DB
 * instance is an SQLite file served by palisade's own MySQL wire-protocol
 * server on 127.0.0.1, one port per instance.
 */
export function registerRds(app: App): void {
  const instances = new InstanceRepository(app);
  const subnetGroups = new SubnetGroupRepository(app);
  const servers = new InstanceServers(app, instances);
  const operations: Record<string, Operation> = {
    ...instanceOperations(instances, servers, subnetGroups),
    ...subnetGroupOperations(subnetGroups, instances),
  };
  app.register({
    signingName: 'rds',
    protocol: 'query',
    xmlNamespace: RDS_NAMESPACE,
    operations,
    httpRoutes: [rdsQueryRoute(app, operations)],
    async start() {
      for (const record of instances.all()) await servers.start(record);
    },
    async stop() {
      await servers.stopAll();
    },
  });
}
