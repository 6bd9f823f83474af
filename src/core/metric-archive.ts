import type { StateStore } from './store.ts';
import type { Dimension, MetricSeries, StatisticSet } from './metrics.ts';

/** Dirty datapoints are written this long after the first change, so a burst of requests costs one transaction. */
const FLUSH_DELAY_MS = 1000;

interface DatapointRow {
  series: string;
  second: number;
  sample_count: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/**
 * Keeps metric datapoints in the state directory, so CloudWatch metrics
 * outlive a restart as they do on AWS. Publishers keep their series in
 * memory and mark each changed datapoint. The archive writes the marked
 * ones a second later in one transaction, and again when the store closes.
 */
export class MetricArchive {
  private readonly dirty = new Map<string, { key: string; series: MetricSeries; second: number }>();
  private timer: NodeJS.Timeout | undefined;

  /** `source` names the publisher (`wafv2`, `monitoring`), which loads only its own series back. */
  constructor(
    private readonly store: StateStore,
    private readonly source: string,
  ) {
    store.database.exec(`CREATE TABLE IF NOT EXISTS monitoring_datapoints (
      source TEXT NOT NULL, series TEXT NOT NULL, second INTEGER NOT NULL,
      sample_count REAL NOT NULL, sum REAL NOT NULL, minimum REAL NOT NULL, maximum REAL NOT NULL,
      PRIMARY KEY (source, series, second)) WITHOUT ROWID`);
    store.beforeClose(() => this.flush());
  }

  /** Read back this publisher's series with their datapoints from `oldestSecond` on. */
  load(oldestSecond: number): MetricSeries[] {
    const rows = this.store.database
      .prepare('SELECT series, second, sample_count, sum, minimum, maximum FROM monitoring_datapoints WHERE source = ? AND second >= ? ORDER BY series, second')
      .all(this.source, oldestSecond) as DatapointRow[];
    const bySeries = new Map<string, MetricSeries>();
    for (const row of rows) {
      let series = bySeries.get(row.series);
      if (!series) {
        series = { ...(JSON.parse(row.series) as Omit<MetricSeries, 'points'>), points: new Map() };
        bySeries.set(row.series, series);
      }
      series.points.set(row.second, { SampleCount: row.sample_count, Sum: row.sum, Minimum: row.minimum, Maximum: row.maximum });
    }
    return [...bySeries.values()];
  }

  /** Mark a datapoint as changed, so the next flush writes it. */
  changed(series: MetricSeries, second: number): void {
    const key = seriesKey(series);
    this.dirty.set(`${key}\n${second}`, { key, series, second });
    this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Delete this publisher's datapoints older than `oldestSecond`, as CloudWatch expires them. */
  expire(oldestSecond: number): void {
    this.store.database.prepare('DELETE FROM monitoring_datapoints WHERE source = ? AND second < ?').run(this.source, oldestSecond);
  }

  /** Write every changed datapoint now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty.size === 0) return;
    const upsert = this.store.database.prepare(`INSERT INTO monitoring_datapoints (source, series, second, sample_count, sum, minimum, maximum)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (source, series, second) DO UPDATE SET
        sample_count = excluded.sample_count, sum = excluded.sum, minimum = excluded.minimum, maximum = excluded.maximum`);
    const points = [...this.dirty.values()];
    this.dirty.clear();
    this.store.transaction(() => {
      for (const { key, series, second } of points) {
        const set: StatisticSet | undefined = series.points.get(second);
        if (set) upsert.run(this.source, key, second, set.SampleCount, set.Sum, set.Minimum, set.Maximum);
      }
    });
  }
}

/** Return the identity of a series: everything but its datapoints, in a fixed member order. */
function seriesKey(series: MetricSeries): string {
  const dimensions: Dimension[] = series.Dimensions.map(({ Name, Value }) => ({ Name, Value }));
  return JSON.stringify({ Namespace: series.Namespace, MetricName: series.MetricName, Dimensions: dimensions, Unit: series.Unit });
}
