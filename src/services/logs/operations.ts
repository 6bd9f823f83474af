import { AwsError, requireField } from '../../core/errors.ts';
import type { Operation } from '../../core/service.ts';
import { parseArn } from '../../core/arn.ts';
import { compileFilterPattern } from './filter-pattern.ts';
import { compareNames, type LogStore, type StoredEvent } from './log-store.ts';
import { backwardToken, forwardToken, offsetToken, parseOffsetToken, parsePositionToken, type Position } from './tokens.ts';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_NAME = /^[^:*]{1,512}$/;
/** PutLogEvents rejects events older than 14 days or more than 2 hours ahead (PutLogEvents API reference). */
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
const MAX_AHEAD_MS = 2 * 3600 * 1000;
/** PutLogEvents takes at most 10,000 events per call. */
const MAX_PUT_EVENTS = 10000;

/** Build the CloudWatch Logs operations palisade serves, keyed by their API names. */
export function logsOperations(store: LogStore): Record<string, Operation> {
  return {
    CreateLogGroup(input) {
      const name = groupName(input.logGroupName);
      store.createGroup(name, { kmsKeyId: input.kmsKeyId, logGroupClass: input.logGroupClass });
      return {};
    },

    DeleteLogGroup(input) {
      store.deleteGroup(groupName(input.logGroupName));
      return {};
    },

    DescribeLogGroups(input) {
      const prefix: string | undefined = input.logGroupNamePrefix;
      if (prefix !== undefined && input.logGroupNamePattern !== undefined) {
        throw new AwsError('InvalidParameterException', 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.', 400);
      }
      const pattern: string | undefined = input.logGroupNamePattern;
      const matching = store
        .groups()
        .filter((group) => (prefix === undefined || group.logGroupName.startsWith(prefix)) && (pattern === undefined || group.logGroupName.includes(pattern)));
      const page = paginate(matching, input.nextToken, limit(input.limit, 50, 50));
      return { logGroups: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    CreateLogStream(input) {
      store.createStream(groupName(input.logGroupName), streamName(input.logStreamName));
      return {};
    },

    DescribeLogStreams(input) {
      const name = groupFromIdentifier(input);
      store.requireGroup(name);
      const orderBy = input.orderBy ?? 'LogStreamName';
      if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
        throw validation(`Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`);
      }
      if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
        throw new AwsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.', 400);
      }
      const prefix: string = input.logStreamNamePrefix ?? '';
      const streams = store.streams(name).filter((stream) => stream.logStreamName.startsWith(prefix));
      if (orderBy === 'LogStreamName') streams.sort((a, b) => compareNames(a.logStreamName, b.logStreamName));
      else streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0));
      if (input.descending) streams.reverse();
      const page = paginate(streams, input.nextToken, limit(input.limit, 50, 50));
      return { logStreams: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    PutLogEvents(input) {
      const group = groupName(input.logGroupName);
      const stream = streamName(input.logStreamName);
      const events = checkedEvents(requireField<unknown[]>(input, 'logEvents'));
      store.requireStream(group, stream);
      const now = Date.now();
      const rejected: Record<string, number> = {};
      const accepted = events.filter((event, index) => {
        if (event.timestamp > now + MAX_AHEAD_MS) {
          rejected.tooNewLogEventStartIndex ??= index;
          return false;
        }
        if (event.timestamp < now - MAX_AGE_MS) {
          rejected.tooOldLogEventEndIndex = index;
          return false;
        }
        return true;
      });
      const updated = store.appendEvents(group, stream, accepted);
      return {
        nextSequenceToken: updated.uploadSequenceToken,
        ...(Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {}),
      };
    },

    GetLogEvents(input) {
      const group = groupFromIdentifier(input);
      const stream = streamName(input.logStreamName);
      store.requireStream(group, stream);
      const events = store.streamEvents(group, stream, { startTime: input.startTime, endTime: input.endTime });
      return readPage(events, {
        token: input.nextToken,
        startFromHead: input.startFromHead === true,
        limit: limit(input.limit, 10000, 10000),
      });
    },

    FilterLogEvents(input) {
      const group = groupFromIdentifier(input);
      store.requireGroup(group);
      if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
        throw new AwsError('InvalidParameterException', 'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.', 400);
      }
      const matches = compileFilterPattern(input.filterPattern);
      const streamNames: string[] | undefined =
        input.logStreamNames ??
        (input.logStreamNamePrefix !== undefined
          ? store.streams(group).map((s) => s.logStreamName).filter((n) => n.startsWith(input.logStreamNamePrefix))
          : undefined);
      const events = store
        .groupEvents(group, { startTime: input.startTime, endTime: input.endTime, streamNames })
        .filter((event) => matches(event.message));
      const page = paginate(events, input.nextToken, limit(input.limit, 10000, 10000));
      const searched = streamNames ?? store.streams(group).map((s) => s.logStreamName);
      return {
        events: page.items.map((event) => ({
          logStreamName: event.logStreamName,
          timestamp: event.timestamp,
          message: event.message,
          ingestionTime: event.ingestionTime,
          eventId: String(event.id).padStart(56, '0'),
        })),
        searchedLogStreams: searched.map((logStreamName) => ({ logStreamName, searchedCompletely: true })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },

    DeleteLogStream() {
      // TODO: streams cannot be deleted yet; fail closed rather than pretend.
      throw new AwsError('NotImplementedException', 'palisade does not implement logs:DeleteLogStream yet; the request was not carried out', 501);
    },
  };
}

/**
 * Read one page of GetLogEvents. Without a token the page is the oldest
 * events (startFromHead) or the newest. A forward token continues after its
 * position and a backward token before it. At the end of the stream the
 * forward token returned is the one given, so clients can detect the end.
 */
function readPage(events: StoredEvent[], options: { token?: string; startFromHead: boolean; limit: number }) {
  let page: StoredEvent[];
  let direction: 'f' | 'b' = options.startFromHead ? 'f' : 'b';
  let position: Position | undefined;
  if (options.token) {
    const parsed = parsePositionToken(options.token);
    direction = parsed.direction;
    position = parsed.position;
  }
  if (direction === 'f') {
    const after = position ? events.filter((event) => isAfter(event, position!)) : events;
    page = after.slice(0, options.limit);
  } else {
    const before = position ? events.filter((event) => isAfter(position!, event)) : events;
    page = before.slice(Math.max(0, before.length - options.limit));
  }
  const first = page[0];
  const last = page[page.length - 1];
  const start: Position = first ? { timestamp: first.timestamp, id: first.id } : position ?? { timestamp: 0, id: 0 };
  const end: Position = last ? { timestamp: last.timestamp, id: last.id } : position ?? start;
  return {
    events: page.map((event) => ({ timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime })),
    nextForwardToken: forwardToken(end),
    nextBackwardToken: backwardToken(start),
  };
}

function isAfter(a: Position, b: Position): boolean {
  return a.timestamp > b.timestamp || (a.timestamp === b.timestamp && a.id > b.id);
}

function paginate<T>(items: T[], token: string | undefined, pageSize: number): { items: T[]; nextToken?: string } {
  const offset = token === undefined ? 0 : parseOffsetToken(token);
  const slice = items.slice(offset, offset + pageSize);
  const next = offset + pageSize < items.length ? offsetToken(offset + pageSize) : undefined;
  return { items: slice, nextToken: next };
}

function limit(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw validation(`Value '${String(value)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${max}`);
  }
  return value;
}

function groupName(value: unknown): string {
  if (value === undefined || value === null) throw validation("Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
  if (typeof value !== 'string' || !GROUP_NAME.test(value)) {
    throw validation(`Value '${String(value)}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
  }
  return value;
}

function streamName(value: unknown): string {
  if (value === undefined || value === null) throw validation("Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
  if (typeof value !== 'string' || !STREAM_NAME.test(value)) {
    throw validation(`Value '${String(value)}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`);
  }
  return value;
}

/** `logGroupIdentifier` takes a name or an ARN; exactly one of it and `logGroupName` is allowed. */
function groupFromIdentifier(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw new AwsError('InvalidParameterException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.', 400);
  }
  const identifier = input.logGroupIdentifier;
  if (identifier === undefined) return groupName(input.logGroupName);
  const arn = parseArn(identifier);
  if (!arn) return groupName(identifier);
  return groupName(arn.resource.replace(/^log-group:/, '').replace(/:\*$/, ''));
}

function checkedEvents(raw: unknown[]): { timestamp: number; message: string }[] {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_PUT_EVENTS) {
    throw validation(`Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and ${MAX_PUT_EVENTS}`);
  }
  const events = raw.map((event, index) => {
    const { timestamp, message } = (event ?? {}) as { timestamp?: unknown; message?: unknown };
    if (typeof timestamp !== 'number' || typeof message !== 'string') {
      throw validation(`Value at 'logEvents.${index + 1}' failed to satisfy constraint: timestamp and message are required`);
    }
    if (message.length < 1) {
      throw validation(`Value '' at 'logEvents.${index + 1}.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    }
    return { timestamp, message };
  });
  for (let i = 1; i < events.length; i++) {
    // PutLogEvents API reference: "The log events in the batch must be in chronological order by their timestamp."
    if (events[i].timestamp < events[i - 1].timestamp) {
      throw new AwsError('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.', 400);
    }
  }
  return events;
}

function validation(detail: string): AwsError {
  return new AwsError('InvalidParameterException', `1 validation error detected: ${detail}`, 400);
}
