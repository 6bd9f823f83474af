import type { App } from '../../core/app.ts';
import { distributionOperations } from './distributions.ts';
import { EdgeFleet } from './edges.ts';
import { invalidationOperations } from './invalidations.ts';
import { ROUTES } from './routes.ts';
import { DistributionStore } from './store.ts';
import { tagOperations } from './tags.ts';
import { CLOUDFRONT_NAMESPACE } from './xml-shapes.ts';

/**
 * Amazon CloudFront (restXml, API version 2020-05-31): the distribution and
 * invalidation control plane, and a local edge per enabled distribution.
 */
export function registerCloudFront(app: App): void {
  const store = new DistributionStore(app);
  // Read before the endpoint listens: it replaces port 0 with the bound port.
  const edges = new EdgeFleet(app, store, app.config.port === 0);
  app.urlRewriters.push(edges.rewrite);
  app.register({
    signingName: 'cloudfront',
    protocol: 'rest-xml',
    xmlNamespace: CLOUDFRONT_NAMESPACE,
    operations: {
      ...distributionOperations(app, store, edges),
      ...invalidationOperations(store, edges),
      ...tagOperations(store),
    },
    routes: ROUTES,
    start: () => edges.startAll(),
    stop: () => edges.stopAll(),
  });
  cloudFrontEdges.set(app, edges);
}

/** The edge fleet of each app, for tests and diagnostics that need a distribution's edge. */
export const cloudFrontEdges = new WeakMap<App, EdgeFleet>();
