import type { App } from '../../core/app.ts';
import { CustomResourceBroker } from './custom-resources.ts';
import { Deployer } from './deploy.ts';
import { cloudFormationOperations } from './operations.ts';
import { StackRepository } from './stacks.ts';

/**
 * AWS CloudFormation (awsQuery): stacks deployed from JSON or YAML templates
 * by calling the other palisade services in-process, with the SAM transform
 * for AWS::Serverless::Function and custom resources backed by Lambda.
 */
export function registerCloudFormation(app: App): void {
  const repository = new StackRepository(app);
  const customResources = new CustomResourceBroker(app);
  const deployer = new Deployer(app, repository, customResources);
  app.register({
    signingName: 'cloudformation',
    protocol: 'query',
    xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
    operations: cloudFormationOperations(app, repository, deployer),
    httpRoutes: [customResources.route],
    async start() {
      // An operation that was running when palisade stopped cannot resume: its stack ends failed.
      for (const stack of repository.all()) {
        if (!stack.StackStatus.endsWith('_IN_PROGRESS')) continue;
        const failed = stack.StackStatus.replace(/_IN_PROGRESS$/, '_FAILED').replace('UPDATE_COMPLETE_CLEANUP_FAILED', 'UPDATE_FAILED');
        stack.StackStatus = failed;
        stack.StackStatusReason = 'palisade stopped while this stack operation was in progress';
        repository.save(stack);
      }
    },
    async stop() {
      customResources.cancelAll();
      await deployer.drain();
    },
  });
}
