import type { TraceLog } from './trace.ts';

/** The trace a data-plane hop records into: the log plus the id shared by every hop of the request. */
export interface RequestTraceRef {
  traceId: string;
  log: TraceLog;
}

export function recordHop(trace: RequestTraceRef, layer: string, decision: string, detail: Record<string, unknown> = {}): void {
  trace.log.record(trace.traceId, layer, decision, detail);
}
