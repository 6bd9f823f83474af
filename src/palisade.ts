import { App } from './core/app.ts';
import type { PalisadeConfig } from './core/config.ts';
import { Endpoint } from './server/endpoint.ts';
import { registerAllServices } from './services/index.ts';

/** A running palisade: the app, its AWS endpoint, and how to stop both. */
export interface RunningPalisade {
  app: App;
  endpoint: Endpoint;
  /** `http://127.0.0.1:<port>` */
  url: string;
  stop(): Promise<void>;
}

/**
 * Start palisade: register the services, open the AWS endpoint, then start
 * each service (servers of their own, warm state) once the endpoint's port
 * is known, because functions and edges are told where to reach it.
 */
export async function startPalisade(config: PalisadeConfig): Promise<RunningPalisade> {
  const app = new App(config);
  registerAllServices(app);
  const endpoint = new Endpoint(app);
  app.endpointRouter = (req) => endpoint.route(req);
  await endpoint.listen();
  const started: { stop?(): Promise<void> }[] = [];
  for (const service of app.services.values()) {
    if (service.start) await service.start();
    started.push(service);
  }
  let stopped = false;
  return {
    app,
    endpoint,
    url: app.endpoint,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const service of started.reverse()) await service.stop?.();
      await endpoint.close();
      app.store.close();
    },
  };
}
