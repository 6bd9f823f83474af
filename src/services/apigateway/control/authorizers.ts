import type { App } from '../../../core/app.ts';
import { lowerId } from '../../../core/ids.ts';
import { applyPatch, requirePatchValue } from '../patch.ts';
import { badRequest, compact, conflict, loadRestApi, notFound, saveRestApi, type Authorizer, type RestApiRecord } from '../records.ts';

const AUTHORIZER_TYPES = new Set(['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS']);
/** The cache TTL defaults to 300 s and may not exceed 3600 s (CreateAuthorizer, authorizerResultTtlInSeconds). */
const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;

function findAuthorizer(api: RestApiRecord, authorizerId: unknown): Authorizer {
  const authorizer = typeof authorizerId === 'string' ? api.authorizers[authorizerId] : undefined;
  if (!authorizer) throw notFound('Invalid Authorizer identifier specified');
  return authorizer;
}

function checkAuthorizer(authorizer: Authorizer): void {
  if (!AUTHORIZER_TYPES.has(authorizer.type)) throw badRequest(`Invalid authorizer type specified: ${authorizer.type}. Valid values are TOKEN, REQUEST, COGNITO_USER_POOLS`);
  if (authorizer.type === 'COGNITO_USER_POOLS') {
    if (!authorizer.providerARNs?.length) throw badRequest('ProviderARNs need to be specified for authorizer of type COGNITO_USER_POOLS');
    for (const arn of authorizer.providerARNs) {
      if (!/^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/\S+$/.test(arn)) throw badRequest(`Invalid provider ARN specified: ${arn}`);
    }
  } else if (!authorizer.authorizerUri) {
    throw badRequest(`Authorizer URI is required for authorizer of type ${authorizer.type}`);
  }
  if (authorizer.type !== 'REQUEST' && !/^method\.request\.header\.[^\s]+$/.test(authorizer.identitySource ?? '')) {
    throw badRequest(`Invalid identity source specified: ${authorizer.identitySource ?? ''}. It must be of the form method.request.header.<name>`);
  }
  const ttl = authorizer.authorizerResultTtlInSeconds ?? DEFAULT_TTL_SECONDS;
  if (ttl < 0 || ttl > MAX_TTL_SECONDS) throw badRequest(`Invalid authorizer result TTL ${ttl}: must be between 0 and ${MAX_TTL_SECONDS} seconds`);
}

export function authorizerOperations(app: App) {
  return {
    CreateAuthorizer(input: Record<string, any>) {
      const api = loadRestApi(app, input.restApiId);
      if (typeof input.name !== 'string' || !input.name) throw badRequest('Invalid authorizer name specified');
      // Authorizer, deployment and validator ids are 6 characters on AWS, API and resource ids 10.
      const authorizer: Authorizer = compact({
        id: lowerId(6),
        name: input.name,
        type: input.type,
        providerARNs: input.providerARNs,
        authType: input.authType ?? (input.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom'),
        authorizerUri: input.authorizerUri,
        authorizerCredentials: input.authorizerCredentials,
        identitySource: input.identitySource,
        identityValidationExpression: input.identityValidationExpression,
        authorizerResultTtlInSeconds: input.authorizerResultTtlInSeconds ?? DEFAULT_TTL_SECONDS,
      });
      checkAuthorizer(authorizer);
      api.authorizers[authorizer.id] = authorizer;
      saveRestApi(app, api);
      return authorizer;
    },

    GetAuthorizer(input: { restApiId: string; authorizerId: string }) {
      return findAuthorizer(loadRestApi(app, input.restApiId), input.authorizerId);
    },

    GetAuthorizers(input: { restApiId: string }) {
      return { item: Object.values(loadRestApi(app, input.restApiId).authorizers) };
    },

    UpdateAuthorizer(input: { restApiId: string; authorizerId: string; patchOperations?: unknown }) {
      const api = loadRestApi(app, input.restApiId);
      const authorizer = findAuthorizer(api, input.authorizerId);
      const text = (name: 'name' | 'identitySource' | 'identityValidationExpression' | 'authorizerUri' | 'authorizerCredentials' | 'authType') => ({
        path: `/${name}`,
        ops: ['replace'],
        apply: (_op: string, value: string | undefined) => { (authorizer as unknown as Record<string, string | undefined>)[name] = value || undefined; },
      });
      applyPatch(input.patchOperations, [
        text('name'), text('identitySource'), text('identityValidationExpression'), text('authorizerUri'), text('authorizerCredentials'), text('authType'),
        { path: '/type', ops: ['replace'], apply: (_op, value) => { authorizer.type = requirePatchValue('/type', value); } },
        {
          path: '/authorizerResultTtlInSeconds',
          ops: ['replace'],
          apply: (_op, value) => {
            const ttl = Number(requirePatchValue('/authorizerResultTtlInSeconds', value));
            if (!Number.isInteger(ttl)) throw badRequest(`Invalid authorizer result TTL '${value}': must be an integer`);
            authorizer.authorizerResultTtlInSeconds = ttl;
          },
        },
        {
          path: '/providerARNs',
          ops: ['add', 'remove'],
          apply: (op, value) => {
            const arn = requirePatchValue('/providerARNs', value);
            const arns = (authorizer.providerARNs ?? []).filter((existing) => existing !== arn);
            if (op === 'add') arns.push(arn);
            authorizer.providerARNs = arns;
          },
        },
      ]);
      if (!authorizer.name) throw badRequest('Invalid authorizer name specified');
      checkAuthorizer(authorizer);
      saveRestApi(app, api);
      return authorizer;
    },

    DeleteAuthorizer(input: { restApiId: string; authorizerId: string }) {
      const api = loadRestApi(app, input.restApiId);
      const authorizer = findAuthorizer(api, input.authorizerId);
      for (const resource of Object.values(api.resources)) {
        for (const method of Object.values(resource.resourceMethods ?? {})) {
          if (method.authorizerId === authorizer.id) {
            throw conflict(`Cannot delete authorizer '${authorizer.name}', is referenced in method: ${method.httpMethod}${resource.path}`);
          }
        }
      }
      delete api.authorizers[authorizer.id];
      saveRestApi(app, api);
      return {};
    },
  };
}
