import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { formatArn } from '../../core/arn.ts';

/** A log group as DescribeLogGroups returns it (timestamps in epoch milliseconds). */
export interface LogGroup {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  metricFilterCount: number;
  arn: string;
  logGroupArn: string;
  storedBytes: number;
  logGroupClass: string;
  kmsKeyId?: string;
}

export interface LogStream {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  uploadSequenceToken: string;
  arn: string;
  storedBytes: number;
}

export interface StoredEvent {
  id: number;
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

const SERVICE = 'logs';
const GROUP = 'group';

/**
 * Log groups and streams are records in the state store. Events are rows of
 * the `logs_events` table, so they can be read in timestamp order and paged.
 */
export class LogStore {
  constructor(private readonly app: App) {
    app.store.database.exec(`CREATE TABLE IF NOT EXISTS logs_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, log_group TEXT NOT NULL, log_stream TEXT NOT NULL,
      timestamp INTEGER NOT NULL, ingestion_time INTEGER NOT NULL, message TEXT NOT NULL)`);
    app.store.database.exec('CREATE INDEX IF NOT EXISTS logs_events_by_stream ON logs_events (log_group, log_stream, timestamp, id)');
  }

  group(name: string): LogGroup | undefined {
    return this.app.store.get<LogGroup>(SERVICE, GROUP, name);
  }

  requireGroup(name: string): LogGroup {
    const group = this.group(name);
    if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
    return group;
  }

  groups(): LogGroup[] {
    return this.app.store.list<LogGroup>(SERVICE, GROUP).sort((a, b) => compareNames(a.logGroupName, b.logGroupName));
  }

  createGroup(name: string, options: { kmsKeyId?: string; logGroupClass?: string } = {}): LogGroup {
    if (this.group(name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
    const logGroupArn = formatArn({ service: 'logs', region: this.app.region, accountId: this.app.accountId, resource: `log-group:${name}` });
    const group: LogGroup = {
      logGroupName: name,
      creationTime: Date.now(),
      metricFilterCount: 0,
      // DescribeLogGroups' `arn` ends in `:*`; `logGroupArn` is the same ARN without it.
      arn: `${logGroupArn}:*`,
      logGroupArn,
      storedBytes: 0,
      logGroupClass: options.logGroupClass ?? 'STANDARD',
      ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}),
    };
    this.app.store.put(SERVICE, GROUP, name, group);
    return group;
  }

  deleteGroup(name: string): void {
    this.requireGroup(name);
    this.app.store.transaction(() => {
      for (const stream of this.streams(name)) this.app.store.delete(SERVICE, streamKind(name), stream.logStreamName);
      this.app.store.database.prepare('DELETE FROM logs_events WHERE log_group = ?').run(name);
      this.app.store.delete(SERVICE, GROUP, name);
    });
  }

  stream(groupName: string, streamName: string): LogStream | undefined {
    return this.app.store.get<LogStream>(SERVICE, streamKind(groupName), streamName);
  }

  requireStream(groupName: string, streamName: string): LogStream {
    this.requireGroup(groupName);
    const stream = this.stream(groupName, streamName);
    if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);
    return stream;
  }

  streams(groupName: string): LogStream[] {
    return this.app.store.list<LogStream>(SERVICE, streamKind(groupName));
  }

  createStream(groupName: string, streamName: string): LogStream {
    const group = this.requireGroup(groupName);
    if (this.stream(groupName, streamName)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
    const stream: LogStream = {
      logStreamName: streamName,
      creationTime: Date.now(),
      uploadSequenceToken: '1',
      arn: `${group.logGroupArn}:log-stream:${streamName}`,
      storedBytes: 0,
    };
    this.app.store.put(SERVICE, streamKind(groupName), streamName, stream);
    return stream;
  }

  /** Store events (already validated and in chronological order) and update the stream's summary. */
  appendEvents(groupName: string, streamName: string, events: { timestamp: number; message: string }[]): LogStream {
    const stream = this.requireStream(groupName, streamName);
    const ingestionTime = Date.now();
    const insert = this.app.store.database.prepare(
      'INSERT INTO logs_events (log_group, log_stream, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)',
    );
    this.app.store.transaction(() => {
      for (const event of events) insert.run(groupName, streamName, event.timestamp, ingestionTime, event.message);
      if (events.length) {
        const timestamps = events.map((event) => event.timestamp);
        stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? Infinity, ...timestamps);
        stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? 0, ...timestamps);
        stream.lastIngestionTime = ingestionTime;
      }
      stream.uploadSequenceToken = String(BigInt(stream.uploadSequenceToken) + 1n);
      this.app.store.put(SERVICE, streamKind(groupName), streamName, stream);
    });
    return stream;
  }

  /** Events of one stream in (timestamp, id) order within [startTime, endTime). */
  streamEvents(groupName: string, streamName: string, range: { startTime?: number; endTime?: number }): StoredEvent[] {
    const rows = this.app.store.database
      .prepare(
        `SELECT id, log_stream, timestamp, ingestion_time, message FROM logs_events
         WHERE log_group = ? AND log_stream = ? AND timestamp >= ? AND timestamp < ?
         ORDER BY timestamp, id`,
      )
      .all(groupName, streamName, range.startTime ?? 0, range.endTime ?? Number.MAX_SAFE_INTEGER) as EventRow[];
    return rows.map(toEvent);
  }

  /** Events of a whole group, optionally limited to some streams, in (timestamp, id) order. */
  groupEvents(groupName: string, range: { startTime?: number; endTime?: number; streamNames?: string[] }): StoredEvent[] {
    const rows = this.app.store.database
      .prepare(
        `SELECT id, log_stream, timestamp, ingestion_time, message FROM logs_events
         WHERE log_group = ? AND timestamp >= ? AND timestamp < ?
         ORDER BY timestamp, id`,
      )
      .all(groupName, range.startTime ?? 0, range.endTime ?? Number.MAX_SAFE_INTEGER) as EventRow[];
    const events = rows.map(toEvent);
    if (!range.streamNames) return events;
    const selected = new Set(range.streamNames);
    return events.filter((event) => selected.has(event.logStreamName));
  }
}

interface EventRow {
  id: number;
  log_stream: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

function toEvent(row: EventRow): StoredEvent {
  return { id: row.id, logStreamName: row.log_stream, timestamp: row.timestamp, ingestionTime: row.ingestion_time, message: row.message };
}

function streamKind(groupName: string): string {
  return `stream ${groupName}`;
}

/** Compare by UTF-16 code units, the byte order AWS lists names in for ASCII names. */
export function compareNames(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
