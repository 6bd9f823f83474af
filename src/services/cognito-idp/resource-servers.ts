import type { App } from '../../core/app.ts';
import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { checkMaxResults, paginate } from './pools.ts';
import { SERVICE, requirePool, type UserPoolRecord } from './records.ts';

/** ResourceServerType as stored; the OAuth token endpoint reads the same records for custom scopes. */
interface ResourceServerRecord {
  UserPoolId: string;
  Identifier: string;
  Name: string;
  Scopes: { ScopeName: string; ScopeDescription: string }[];
}

function serverKey(userPoolId: string, identifier: string): string {
  return `${userPoolId}/${identifier}`;
}

/** Scope names: no spaces, quotes or backslashes, 1 to 256 characters (ResourceServerScopeType, API reference). */
const SCOPE_NAME = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/;

function checkScopes(scopes: unknown): ResourceServerRecord['Scopes'] {
  if (scopes === undefined) return [];
  if (!Array.isArray(scopes) || scopes.length > 100) throw new AwsError('InvalidParameterException', 'Scopes must be a list of at most 100 ResourceServerScopeType.');
  const seen = new Set<string>();
  return scopes.map((scope: Record<string, unknown>) => {
    const name = scope?.ScopeName;
    const description = scope?.ScopeDescription;
    if (typeof name !== 'string' || !SCOPE_NAME.test(name)) {
      throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${String(name)}' at 'scopes.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+`);
    }
    if (typeof description !== 'string' || description === '') {
      throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'scopes.member.scopeDescription' failed to satisfy constraint: Member must not be null");
    }
    if (seen.has(name)) throw new AwsError('InvalidParameterException', `Duplicate scope names: ${name}`);
    seen.add(name);
    return { ScopeName: name, ScopeDescription: description };
  });
}

function requireServer(app: App, pool: UserPoolRecord, identifier: unknown): ResourceServerRecord {
  const id = requireField<string>({ Identifier: identifier }, 'Identifier');
  const server = app.store.get<ResourceServerRecord>(SERVICE, 'resource-server', serverKey(pool.Id, id));
  if (!server) throw new AwsError('ResourceNotFoundException', `Resource server ${id} does not exist.`);
  return server;
}

function describe(server: ResourceServerRecord) {
  return { UserPoolId: server.UserPoolId, Identifier: server.Identifier, Name: server.Name, Scopes: server.Scopes };
}

/** Collect every custom scope the pool's resource servers define, as `<identifier>/<scope name>`. */
export function customScopes(app: App, userPoolId: string): Set<string> {
  const scopes = new Set<string>();
  for (const server of app.store.list<ResourceServerRecord>(SERVICE, 'resource-server')) {
    if (server.UserPoolId !== userPoolId) continue;
    for (const scope of server.Scopes) scopes.add(`${server.Identifier}/${scope.ScopeName}`);
  }
  return scopes;
}

/** Delete every resource server of a pool that is being deleted. */
export function deleteResourceServersOfPool(app: App, userPoolId: string): void {
  for (const server of app.store.list<ResourceServerRecord>(SERVICE, 'resource-server').filter((item) => item.UserPoolId === userPoolId)) {
    app.store.delete(SERVICE, 'resource-server', serverKey(userPoolId, server.Identifier));
  }
}

export function resourceServerOperations(app: App): Record<string, Operation> {
  return {
    CreateResourceServer(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const identifier = requireField<string>(input, 'Identifier');
      const name = requireField<string>(input, 'Name');
      if (app.store.get(SERVICE, 'resource-server', serverKey(pool.Id, identifier))) {
        throw new AwsError('InvalidParameterException', `${identifier} already exists in pool ${pool.Id}.`);
      }
      const server: ResourceServerRecord = { UserPoolId: pool.Id, Identifier: identifier, Name: name, Scopes: checkScopes(input.Scopes) };
      app.store.put(SERVICE, 'resource-server', serverKey(pool.Id, identifier), server);
      return { ResourceServer: describe(server) };
    },

    DescribeResourceServer(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      return { ResourceServer: describe(requireServer(app, pool, input.Identifier)) };
    },

    UpdateResourceServer(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const server = requireServer(app, pool, input.Identifier);
      // UpdateResourceServer replaces the name and scopes; scopes left out are removed.
      const updated: ResourceServerRecord = { ...server, Name: requireField<string>(input, 'Name'), Scopes: checkScopes(input.Scopes) };
      app.store.put(SERVICE, 'resource-server', serverKey(pool.Id, server.Identifier), updated);
      return { ResourceServer: describe(updated) };
    },

    ListResourceServers(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const max = checkMaxResults(input.MaxResults, 'maxResults');
      const servers = app.store.list<ResourceServerRecord>(SERVICE, 'resource-server').filter((server) => server.UserPoolId === pool.Id);
      const { page, next } = paginate(servers, input.NextToken, max);
      return { ResourceServers: page.map(describe), NextToken: next };
    },

    DeleteResourceServer(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      const server = requireServer(app, pool, input.Identifier);
      app.store.delete(SERVICE, 'resource-server', serverKey(pool.Id, server.Identifier));
      return {};
    },
  };
}
