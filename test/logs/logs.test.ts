import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  PutLogEventsCommand,
  GetLogEventsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestPalisade, type TestPalisade } from '../support/palisade.ts';
import { rejection } from '../support/rejection.ts';

let palisade: TestPalisade;
let logs: CloudWatchLogsClient;
before(async () => {
  palisade = await startTestPalisade();
  logs = new CloudWatchLogsClient({ ...palisade.clientConfig, maxAttempts: 1 });
});
after(async () => {
  await palisade.stop();
});

async function streamWithEvents(group: string, stream: string, messages: string[]): Promise<number> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  const start = Date.now() - 60_000;
  await logs.send(
    new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: messages.map((message, i) => ({ timestamp: start + i, message })) }),
  );
  return start;
}

test('CreateLogGroup and DescribeLogGroups by prefix', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/one' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/two' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/other' }));
  const output = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/' }));
  assert.deepEqual(output.logGroups!.map((group) => group.logGroupName), ['/app/one', '/app/two']);
  const group = output.logGroups![0];
  assert.equal(group.arn, `arn:aws:logs:us-east-1:${palisade.app.accountId}:log-group:/app/one:*`);
  assert.equal(group.logGroupArn, `arn:aws:logs:us-east-1:${palisade.app.accountId}:log-group:/app/one`);
  assert.equal(group.storedBytes, 0);
  assert.equal(typeof group.creationTime, 'number');
  assert.ok(Math.abs(group.creationTime! - Date.now()) < 3_600_000, 'creationTime is in epoch milliseconds');
});

test('CreateLogGroup twice is ResourceAlreadyExistsException', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' }));
  const error = await rejection(logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' })));
  assert.equal(error.name, 'ResourceAlreadyExistsException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.equal(error.message, 'The specified log group already exists');
});

test('CreateLogStream in a missing group is ResourceNotFoundException', async () => {
  const error = await rejection(logs.send(new CreateLogStreamCommand({ logGroupName: 'nogroup', logStreamName: 's' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, 'The specified log group does not exist.');
});

test('PutLogEvents to a missing stream is ResourceNotFoundException', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'nostream' }));
  const error = await rejection(
    logs.send(new PutLogEventsCommand({ logGroupName: 'nostream', logStreamName: 'absent', logEvents: [{ timestamp: Date.now(), message: 'x' }] })),
  );
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, 'The specified log stream does not exist.');
});

test('PutLogEvents out of order is InvalidParameterException', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'order' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'order', logStreamName: 's' }));
  const now = Date.now();
  const error = await rejection(
    logs.send(new PutLogEventsCommand({ logGroupName: 'order', logStreamName: 's', logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 5, message: 'a' }] })),
  );
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'Log events in a single PutLogEvents request must be in chronological order.');
});

test('GetLogEvents pages from head and from tail', async () => {
  await streamWithEvents('paged', 's', ['one', 'two', 'three']);
  const head = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', startFromHead: true, limit: 2 }));
  assert.deepEqual(head.events!.map((event) => event.message), ['one', 'two']);
  const rest = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', nextToken: head.nextForwardToken, limit: 2 }));
  assert.deepEqual(rest.events!.map((event) => event.message), ['three']);
  const end = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', nextToken: rest.nextForwardToken }));
  assert.deepEqual(end.events, []);
  assert.equal(end.nextForwardToken, rest.nextForwardToken);
  assert.match(head.nextForwardToken!, /^f\/\d{56}$/);

  const tail = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', limit: 2 }));
  assert.deepEqual(tail.events!.map((event) => event.message), ['two', 'three']);
  const earlier = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', nextToken: tail.nextBackwardToken }));
  assert.deepEqual(earlier.events!.map((event) => event.message), ['one']);
});

test('DescribeLogStreams reports event times', async () => {
  const start = await streamWithEvents('described', 'stream-a', ['x', 'y']);
  const output = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'described' }));
  assert.equal(output.logStreams!.length, 1);
  assert.equal(output.logStreams![0].logStreamName, 'stream-a');
  assert.equal(output.logStreams![0].firstEventTimestamp, start);
  assert.equal(output.logStreams![0].lastEventTimestamp, start + 1);
});

test('FilterLogEvents matches terms and phrases', async () => {
  await streamWithEvents('filtered', 's', ['ERROR disk full', 'INFO all good', 'ERROR Task timed out']);
  const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filtered', filterPattern: 'ERROR' }));
  assert.deepEqual(errors.events!.map((event) => event.message), ['ERROR disk full', 'ERROR Task timed out']);
  assert.equal(errors.events![0].logStreamName, 's');
  const phrase = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filtered', filterPattern: '"timed out"' }));
  assert.deepEqual(phrase.events!.map((event) => event.message), ['ERROR Task timed out']);
  const all = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filtered' }));
  assert.equal(all.events!.length, 3);
});

test('FilterLogEvents rejects unsupported pattern syntax', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'json-pattern' }));
  const error = await rejection(logs.send(new FilterLogEventsCommand({ logGroupName: 'json-pattern', filterPattern: '{ $.level = "ERROR" }' })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.match(error.message, /^palisade cannot evaluate the filter pattern/);
});

test('DeleteLogGroup removes the group and its events', async () => {
  await streamWithEvents('doomed', 's', ['bye']);
  await logs.send(new DeleteLogGroupCommand({ logGroupName: 'doomed' }));
  const error = await rejection(logs.send(new GetLogEventsCommand({ logGroupName: 'doomed', logStreamName: 's' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  const again = await rejection(logs.send(new DeleteLogGroupCommand({ logGroupName: 'doomed' })));
  assert.equal(again.message, 'The specified log group does not exist.');
});

test('logs seam creates the group and stream', async () => {
  palisade.app.seam('logs').append('/seam/group', 'stream-1', [{ timestamp: Date.now(), message: 'from seam' }]);
  const output = await logs.send(new GetLogEventsCommand({ logGroupName: '/seam/group', logStreamName: 'stream-1' }));
  assert.deepEqual(output.events!.map((event) => event.message), ['from seam']);
});

test('AWS CLI v1 reads log events', async () => {
  await streamWithEvents('cli-group', 'cli-stream', ['via cli']);
  const { stdout } = await promisify(execFile)('aws', ['logs', 'get-log-events', '--log-group-name', 'cli-group', '--log-stream-name', 'cli-stream', '--start-from-head'], {
    env: palisade.cliEnv,
    timeout: 30_000,
  });
  assert.deepEqual(JSON.parse(stdout).events.map((event: { message: string }) => event.message), ['via cli']);
});
