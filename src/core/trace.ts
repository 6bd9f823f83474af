/**
 * Request traces: every layer a data-plane request crosses (edge cache, WAF,
 * API Gateway route and authorizer, integration, function) records its
 * decision here, so a user can see why a request was allowed or refused.
 *
 * Traces are kept in memory, newest last, up to a fixed count.
 */
export interface TraceEntry {
  /** Shared by every hop of one client request (the CloudFront request id when the edge saw it first). */
  traceId: string;
  time: string;
  /** `cloudfront`, `wafv2`, `apigateway`, `cognito-idp`, `lambda`, ... */
  layer: string;
  /** Short verdict such as `ALLOW`, `BLOCK`, `Hit`, `Miss`, `401`. */
  decision: string;
  detail: Record<string, unknown>;
}

const MAX_ENTRIES = 2000;

export class TraceLog {
  private readonly entries: TraceEntry[] = [];

  record(traceId: string, layer: string, decision: string, detail: Record<string, unknown> = {}): void {
    this.entries.push({ traceId, time: new Date().toISOString(), layer, decision, detail });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  /** Entries of one trace, or the newest `limit` entries when no id is given. */
  list(traceId?: string, limit = 200): TraceEntry[] {
    const selected = traceId ? this.entries.filter((entry) => entry.traceId === traceId) : this.entries;
    return selected.slice(-limit);
  }
}
