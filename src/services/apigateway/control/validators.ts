import type { App } from '../../../core/app.ts';
import { lowerId } from '../../../core/ids.ts';
import { applyPatch, patchBoolean } from '../patch.ts';
import { compact, conflict, loadRestApi, notFound, saveRestApi, type RequestValidator, type RestApiRecord } from '../records.ts';

function findValidator(api: RestApiRecord, requestValidatorId: unknown): RequestValidator {
  const validator = typeof requestValidatorId === 'string' ? api.requestValidators[requestValidatorId] : undefined;
  if (!validator) throw notFound('Invalid Request Validator identifier specified');
  return validator;
}

export function validatorOperations(app: App) {
  return {
    CreateRequestValidator(input: Record<string, any>) {
      const api = loadRestApi(app, input.restApiId);
      if (input.name && Object.values(api.requestValidators).some((existing) => existing.name === input.name)) {
        throw conflict(`Validator with name '${input.name}' already exists`);
      }
      const validator: RequestValidator = compact({
        id: lowerId(6),
        name: input.name,
        validateRequestBody: input.validateRequestBody ?? false,
        validateRequestParameters: input.validateRequestParameters ?? false,
      });
      api.requestValidators[validator.id] = validator;
      saveRestApi(app, api);
      return validator;
    },

    GetRequestValidator(input: { restApiId: string; requestValidatorId: string }) {
      return findValidator(loadRestApi(app, input.restApiId), input.requestValidatorId);
    },

    GetRequestValidators(input: { restApiId: string }) {
      return { item: Object.values(loadRestApi(app, input.restApiId).requestValidators) };
    },

    UpdateRequestValidator(input: { restApiId: string; requestValidatorId: string; patchOperations?: unknown }) {
      const api = loadRestApi(app, input.restApiId);
      const validator = findValidator(api, input.requestValidatorId);
      applyPatch(input.patchOperations, [
        { path: '/name', ops: ['replace'], apply: (_op, value) => { validator.name = value || undefined; } },
        { path: '/validateRequestBody', ops: ['replace'], apply: (_op, value) => { validator.validateRequestBody = patchBoolean('/validateRequestBody', value); } },
        { path: '/validateRequestParameters', ops: ['replace'], apply: (_op, value) => { validator.validateRequestParameters = patchBoolean('/validateRequestParameters', value); } },
      ]);
      saveRestApi(app, api);
      return validator;
    },

    DeleteRequestValidator(input: { restApiId: string; requestValidatorId: string }) {
      const api = loadRestApi(app, input.restApiId);
      const validator = findValidator(api, input.requestValidatorId);
      for (const resource of Object.values(api.resources)) {
        for (const method of Object.values(resource.resourceMethods ?? {})) {
          if (method.requestValidatorId === validator.id) {
            throw conflict(`Cannot delete request validator '${validator.id}', is referenced in method: ${method.httpMethod}${resource.path}`);
          }
        }
      }
      delete api.requestValidators[validator.id];
      saveRestApi(app, api);
      return {};
    },
  };
}
