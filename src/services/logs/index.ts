import type { App } from '../../core/app.ts';
import { LogStore } from './log-store.ts';
import { logsOperations } from './operations.ts';

/**
 * CloudWatch Logs (awsJson 1.1, target prefix `Logs_20140328`): log groups,
 * streams and events, enough for function logs. Timestamps are epoch
 * milliseconds as numbers, as the API models them (`Timestamp` is a long).
 */
export function registerLogs(app: App): void {
  const store = new LogStore(app);
  app.register({
    signingName: 'logs',
    protocol: 'json',
    targetPrefix: 'Logs_20140328',
    jsonVersion: '1.1',
    operations: logsOperations(store),
  });
  app.seams.logs = {
    append(logGroupName, logStreamName, events) {
      if (!store.group(logGroupName)) store.createGroup(logGroupName);
      if (!store.stream(logGroupName, logStreamName)) store.createStream(logGroupName, logStreamName);
      store.appendEvents(logGroupName, logStreamName, events);
    },
  };
}
