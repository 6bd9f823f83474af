import type { App } from '../../../core/app.ts';
import { lowerId } from '../../../core/ids.ts';
import { applyPatch, patchBoolean, type PatchRule } from '../patch.ts';
import {
  SERVICE, badRequest, compact, conflict, deploymentKey, loadDeployment, loadRestApi, loadStage, nowSeconds, stageKey,
  type ApiSnapshot, type DeploymentRecord, type RestApiRecord, type StageRecord,
} from '../records.ts';

/** Stage names take letters, digits, hyphens and underscores (CreateStage, stageName). */
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Freeze the API as a stage will serve it. AWS refuses to deploy an API with
 * no methods, or with a method that has no integration.
 */
function takeSnapshot(api: RestApiRecord): ApiSnapshot {
  const methods = Object.values(api.resources).flatMap((resource) => Object.values(resource.resourceMethods ?? {}));
  if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
  if (methods.some((method) => !method.methodIntegration)) throw badRequest('No integration defined for method');
  return structuredClone({ resources: api.resources, authorizers: api.authorizers, requestValidators: api.requestValidators });
}

function deploymentOutput(deployment: DeploymentRecord) {
  return compact({ id: deployment.id, description: deployment.description, createdDate: deployment.createdDate });
}

function stageOutput(stage: StageRecord) {
  const { restApiId: _restApiId, ...output } = stage;
  return compact(output);
}

function stagesOf(app: App, restApiId: string): StageRecord[] {
  return app.store.list<StageRecord>(SERVICE, 'stage').filter((stage) => stage.restApiId === restApiId);
}

function newStage(restApiId: string, stageName: string, deploymentId: string, input: Record<string, any>): StageRecord {
  const now = nowSeconds();
  return compact({
    restApiId,
    stageName,
    deploymentId,
    description: input.description,
    cacheClusterEnabled: input.cacheClusterEnabled ?? false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    variables: input.variables,
    tracingEnabled: input.tracingEnabled ?? false,
    methodSettings: {},
    tags: input.tags,
    createdDate: now,
    lastUpdatedDate: now,
  });
}

function checkStageName(stageName: unknown): string {
  if (typeof stageName !== 'string' || !STAGE_NAME.test(stageName)) {
    throw badRequest('Stage name only allows a-zA-Z0-9_ and hyphens, and must be 1 to 128 characters long');
  }
  return stageName;
}

function stagePatchRules(app: App, stage: StageRecord): PatchRule[] {
  return [
    { path: '/description', ops: ['replace'], apply: (_op, value) => { stage.description = value || undefined; } },
    { path: '/deploymentId', ops: ['replace'], apply: (_op, value) => { stage.deploymentId = loadDeployment(app, stage.restApiId, value).id; } },
    { path: '/tracingEnabled', ops: ['replace'], apply: (_op, value) => { stage.tracingEnabled = patchBoolean('/tracingEnabled', value); } },
    {
      path: '/variables/',
      isMap: true,
      ops: ['add', 'replace', 'remove'],
      apply: (op, value, key) => {
        const variables = { ...stage.variables };
        if (op === 'remove') delete variables[key];
        else variables[key] = value ?? '';
        stage.variables = Object.keys(variables).length ? variables : undefined;
      },
    },
  ];
}

export function deploymentOperations(app: App) {
  return {
    CreateDeployment(input: Record<string, any>) {
      const api = loadRestApi(app, input.restApiId);
      const stageName = input.stageName === undefined ? undefined : checkStageName(input.stageName);
      const deployment: DeploymentRecord = {
        id: lowerId(6),
        restApiId: api.id,
        description: input.description,
        createdDate: nowSeconds(),
        snapshot: takeSnapshot(api),
      };
      app.store.transaction(() => {
        app.store.put(SERVICE, 'deployment', deploymentKey(api.id, deployment.id), deployment);
        if (!stageName) return;
        // Deploying to a named stage points that stage at the new deployment, creating it when missing.
        const existing = app.store.get<StageRecord>(SERVICE, 'stage', stageKey(api.id, stageName));
        const stage = existing
          ? { ...existing, deploymentId: deployment.id, lastUpdatedDate: nowSeconds(), variables: input.variables ? { ...existing.variables, ...input.variables } : existing.variables }
          : newStage(api.id, stageName, deployment.id, { ...input, description: input.stageDescription });
        app.store.put(SERVICE, 'stage', stageKey(api.id, stageName), stage);
      });
      return deploymentOutput(deployment);
    },

    GetDeployment(input: { restApiId: string; deploymentId: string }) {
      loadRestApi(app, input.restApiId);
      return deploymentOutput(loadDeployment(app, input.restApiId, input.deploymentId));
    },

    GetDeployments(input: { restApiId: string }) {
      loadRestApi(app, input.restApiId);
      const deployments = app.store.list<DeploymentRecord>(SERVICE, 'deployment').filter((deployment) => deployment.restApiId === input.restApiId);
      return { item: deployments.map(deploymentOutput) };
    },

    DeleteDeployment(input: { restApiId: string; deploymentId: string }) {
      loadRestApi(app, input.restApiId);
      const deployment = loadDeployment(app, input.restApiId, input.deploymentId);
      if (stagesOf(app, input.restApiId).some((stage) => stage.deploymentId === deployment.id)) {
        throw badRequest('Active stages pointing to this deployment must be moved or deleted');
      }
      app.store.delete(SERVICE, 'deployment', deploymentKey(input.restApiId, deployment.id));
      return {};
    },

    CreateStage(input: Record<string, any>) {
      const api = loadRestApi(app, input.restApiId);
      const stageName = checkStageName(input.stageName);
      const deployment = loadDeployment(app, api.id, input.deploymentId);
      if (app.store.get(SERVICE, 'stage', stageKey(api.id, stageName))) throw conflict('Stage already exists');
      const stage = newStage(api.id, stageName, deployment.id, input);
      app.store.put(SERVICE, 'stage', stageKey(api.id, stageName), stage);
      return stageOutput(stage);
    },

    GetStage(input: { restApiId: string; stageName: string }) {
      loadRestApi(app, input.restApiId);
      return stageOutput(loadStage(app, input.restApiId, input.stageName));
    },

    GetStages(input: { restApiId: string; deploymentId?: string }) {
      loadRestApi(app, input.restApiId);
      const stages = stagesOf(app, input.restApiId).filter((stage) => !input.deploymentId || stage.deploymentId === input.deploymentId);
      return { item: stages.map(stageOutput) };
    },

    UpdateStage(input: { restApiId: string; stageName: string; patchOperations?: unknown }) {
      loadRestApi(app, input.restApiId);
      const stage = loadStage(app, input.restApiId, input.stageName);
      applyPatch(input.patchOperations, stagePatchRules(app, stage));
      stage.lastUpdatedDate = nowSeconds();
      app.store.put(SERVICE, 'stage', stageKey(stage.restApiId, stage.stageName), stage);
      return stageOutput(stage);
    },

    DeleteStage(input: { restApiId: string; stageName: string }) {
      loadRestApi(app, input.restApiId);
      const stage = loadStage(app, input.restApiId, input.stageName);
      app.store.delete(SERVICE, 'stage', stageKey(stage.restApiId, stage.stageName));
      return {};
    },
  };
}
