import type { App } from '../../../core/app.ts';
import { lowerId } from '../../../core/ids.ts';
import { applyPatch, requirePatchValue } from '../patch.ts';
import {
  SERVICE, badRequest, compact, loadRestApi, nowSeconds, saveRestApi,
  type DeploymentRecord, type RestApiRecord, type StageRecord,
} from '../records.ts';

const ENDPOINT_TYPES = new Set(['REGIONAL', 'EDGE', 'PRIVATE']);

/** Build the RestApi output: the stored record without its resources, authorizers and validators. */
export function restApiOutput(api: RestApiRecord) {
  return compact({
    id: api.id,
    name: api.name,
    description: api.description,
    createdDate: api.createdDate,
    version: api.version,
    binaryMediaTypes: api.binaryMediaTypes,
    minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource,
    endpointConfiguration: api.endpointConfiguration,
    policy: api.policy,
    tags: api.tags,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId,
  });
}

export function restApiOperations(app: App) {
  return {
    CreateRestApi(input: Record<string, any>) {
      if (typeof input.name !== 'string' || input.name === '') throw badRequest('Invalid REST API name specified');
      if (input.cloneFrom !== undefined) throw badRequest('palisade does not support cloneFrom in CreateRestApi');
      // A new API's endpoint type defaults to EDGE (CreateRestApi, endpointConfiguration).
      const types: string[] = input.endpointConfiguration?.types ?? ['EDGE'];
      if (types.length !== 1 || !ENDPOINT_TYPES.has(types[0])) {
        throw badRequest(`Invalid endpoint configuration types ${JSON.stringify(types)}: exactly one of REGIONAL, EDGE, PRIVATE is required`);
      }
      const rootResourceId = lowerId();
      const api: RestApiRecord = {
        id: lowerId(),
        name: input.name,
        description: input.description,
        createdDate: nowSeconds(),
        version: input.version,
        binaryMediaTypes: input.binaryMediaTypes,
        minimumCompressionSize: input.minimumCompressionSize,
        apiKeySource: input.apiKeySource ?? 'HEADER',
        endpointConfiguration: compact({ types, ipAddressType: input.endpointConfiguration?.ipAddressType ?? 'ipv4', vpcEndpointIds: input.endpointConfiguration?.vpcEndpointIds }),
        policy: input.policy,
        tags: input.tags,
        disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
        rootResourceId,
        resources: { [rootResourceId]: { id: rootResourceId, path: '/' } },
        authorizers: {},
        requestValidators: {},
      };
      saveRestApi(app, api);
      return restApiOutput(api);
    },

    GetRestApi(input: { restApiId: string }) {
      return restApiOutput(loadRestApi(app, input.restApiId));
    },

    GetRestApis() {
      // TODO: palisade returns every API in one page; `limit` and `position` are not applied.
      return { item: app.store.list<RestApiRecord>(SERVICE, 'restapi').map(restApiOutput) };
    },

    UpdateRestApi(input: { restApiId: string; patchOperations?: unknown }) {
      const api = loadRestApi(app, input.restApiId);
      applyPatch(input.patchOperations, [
        { path: '/name', ops: ['replace'], apply: (_op, value) => { api.name = requirePatchValue('/name', value); } },
        { path: '/description', ops: ['replace'], apply: (_op, value) => { api.description = value; } },
      ]);
      saveRestApi(app, api);
      return restApiOutput(api);
    },

    DeleteRestApi(input: { restApiId: string }) {
      const api = loadRestApi(app, input.restApiId);
      app.store.transaction(() => {
        for (const stage of app.store.list<StageRecord>(SERVICE, 'stage')) {
          if (stage.restApiId === api.id) app.store.delete(SERVICE, 'stage', `${api.id}/${stage.stageName}`);
        }
        for (const deployment of app.store.list<DeploymentRecord>(SERVICE, 'deployment')) {
          if (deployment.restApiId === api.id) app.store.delete(SERVICE, 'deployment', `${api.id}/${deployment.id}`);
        }
        app.store.delete(SERVICE, 'restapi', api.id);
      });
      return {};
    },
  };
}
