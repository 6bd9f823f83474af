import type { App } from '../core/app.ts';
import { registerApiGateway } from './apigateway/index.ts';
import { registerCloudFormation } from './cloudformation/index.ts';
import { registerCloudFront } from './cloudfront/index.ts';
import { registerCognitoIdp } from './cognito-idp/index.ts';
import { registerLambda } from './lambda/index.ts';
import { registerLogs } from './logs/index.ts';
import { registerMonitoring } from './monitoring/index.ts';
import { registerRds } from './rds/index.ts';
import { registerSecretsManager } from './secretsmanager/index.ts';
import { registerWafv2 } from './wafv2/index.ts';

/** Register every AWS service palisade serves. Order does not matter: seams are looked up at request time. */
export function registerAllServices(app: App): void {
  registerLogs(app);
  registerSecretsManager(app);
  registerRds(app);
  registerLambda(app);
  registerCognitoIdp(app);
  registerWafv2(app);
  registerApiGateway(app);
  registerCloudFront(app);
  registerCloudFormation(app);
  registerMonitoring(app);
}
