import type { App } from '../../../core/app.ts';
import { lowerId } from '../../../core/ids.ts';
import { badRequest, compact, conflict, findResource, loadRestApi, saveRestApi, type Resource } from '../records.ts';

/**
 * A path part is a literal segment, a `{param}` or a greedy `{param+}`
 * ("Set up API resources", API Gateway developer guide).
 */
const PATH_PART = /^(?:[A-Za-z0-9._\-:~@$&',;=!*]+|\{[A-Za-z0-9._\-]+\+?\})$/;

/**
 * Build the Resource output. GetResources and GetResource list a resource's
 * method names with empty objects unless `embed=methods` requests the methods.
 */
export function resourceOutput(resource: Resource, embedMethods: boolean): Resource {
  const methods = resource.resourceMethods;
  const listed = methods && Object.keys(methods).length > 0
    ? embedMethods ? methods : Object.fromEntries(Object.keys(methods).map((name) => [name, {}]))
    : undefined;
  return compact({ id: resource.id, parentId: resource.parentId, pathPart: resource.pathPart, path: resource.path, resourceMethods: listed as Resource['resourceMethods'] });
}

function embedsMethods(embed: unknown): boolean {
  if (Array.isArray(embed)) return embed.includes('methods');
  if (typeof embed === 'string') return embed.split(',').includes('methods');
  return false;
}

export function resourceOperations(app: App) {
  return {
    GetResources(input: { restApiId: string; embed?: unknown }) {
      const api = loadRestApi(app, input.restApiId);
      // TODO: palisade returns every resource in one page; `limit` and `position` are not applied.
      return { item: Object.values(api.resources).map((resource) => resourceOutput(resource, embedsMethods(input.embed))) };
    },

    GetResource(input: { restApiId: string; resourceId: string; embed?: unknown }) {
      const api = loadRestApi(app, input.restApiId);
      return resourceOutput(findResource(api, input.resourceId), embedsMethods(input.embed));
    },

    CreateResource(input: { restApiId: string; parentId: string; pathPart?: string }) {
      const api = loadRestApi(app, input.restApiId);
      const parent = findResource(api, input.parentId);
      const pathPart = input.pathPart;
      if (typeof pathPart !== 'string' || !PATH_PART.test(pathPart)) {
        throw badRequest(`Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.`);
      }
      const siblings = Object.values(api.resources).filter((resource) => resource.parentId === parent.id);
      if (siblings.some((sibling) => sibling.pathPart === pathPart)) {
        throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
      }
      if (pathPart.startsWith('{') && siblings.some((sibling) => sibling.pathPart?.startsWith('{'))) {
        throw badRequest(`A sibling (${siblings.find((s) => s.pathPart?.startsWith('{'))?.pathPart}) of this resource already has a variable path part -- only one is allowed`);
      }
      const resource: Resource = {
        id: lowerId(),
        parentId: parent.id,
        pathPart,
        path: parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`,
      };
      api.resources[resource.id] = resource;
      saveRestApi(app, api);
      return resourceOutput(resource, false);
    },

    DeleteResource(input: { restApiId: string; resourceId: string }) {
      const api = loadRestApi(app, input.restApiId);
      const resource = findResource(api, input.resourceId);
      if (resource.id === api.rootResourceId) throw badRequest('Cannot delete the root resource of a REST API');
      // Deleting a resource deletes its child resources with it.
      const doomed = new Set([resource.id]);
      let grew = true;
      while (grew) {
        grew = false;
        for (const candidate of Object.values(api.resources)) {
          if (candidate.parentId && doomed.has(candidate.parentId) && !doomed.has(candidate.id)) {
            doomed.add(candidate.id);
            grew = true;
          }
        }
      }
      for (const id of doomed) delete api.resources[id];
      saveRestApi(app, api);
      return {};
    },
  };
}
