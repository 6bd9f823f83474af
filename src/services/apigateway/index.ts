import type { App } from '../../core/app.ts';
import { authorizerOperations } from './control/authorizers.ts';
import { deploymentOperations } from './control/deployments.ts';
import { integrationOperations } from './control/integrations.ts';
import { methodOperations } from './control/methods.ts';
import { resourceOperations } from './control/resources.ts';
import { restApiOperations } from './control/restapis.ts';
import { validatorOperations } from './control/validators.ts';
import { stageRoute, stageUrlPath } from './execution/pipeline.ts';
import { routes } from './routes.ts';

/** `<apiId>.execute-api.<region>.amazonaws.com`, the default endpoint of a REST API. */
const INVOKE_HOST = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;

/**
 * Map an invoke URL `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>/<path>?<query>`
 * to the loopback stage URL; a URL without a stage is not served.
 */
function rewriteInvokeUrl(app: App, url: URL): string | undefined {
  const host = INVOKE_HOST.exec(url.hostname);
  if (!host) return undefined;
  const match = /^\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (!match) return undefined;
  return `${app.endpoint}${stageUrlPath(host[1], match[1], match[2] ?? '/')}${url.search}`;
}

/** API Gateway REST APIs: the control plane (restJson1) and the execution of deployed stages. */
export function registerApiGateway(app: App): void {
  app.register({
    signingName: 'apigateway',
    protocol: 'rest-json',
    operations: {
      ...restApiOperations(app),
      ...resourceOperations(app),
      ...methodOperations(app),
      ...integrationOperations(app),
      ...authorizerOperations(app),
      ...validatorOperations(app),
      ...deploymentOperations(app),
    },
    routes,
    httpRoutes: [stageRoute(app)],
  });
  app.urlRewriters.push((url) => rewriteInvokeUrl(app, url));
}
