import type { Config } from './config.ts';

/** One cached origin response. */
export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Viewer path the entry was stored under, for invalidation. */
  path: string;
  storedAt: number;
  expiresAt: number;
}

/** Entries kept per distribution before the oldest is evicted. */
const MAX_ENTRIES = 1000;

/**
 * Non-error status codes CloudFront caches (Developer Guide, "Managing how
 * long content stays in the cache": 200, 203, 300, 301, 410).
 * TODO: CloudFront also caches 206 partial content per range; palisade does not cache 206.
 */
const CACHEABLE = new Set([200, 203, 300, 301, 410]);

/**
 * 4xx and 5xx codes CloudFront caches, for ErrorCachingMinTTL (default 10 s)
 * unless the origin's Cache-Control says otherwise (Developer Guide, "How
 * CloudFront processes HTTP 4xx and 5xx status codes from your origin").
 */
const CACHEABLE_ERRORS = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);
const ERROR_CACHING_MIN_TTL = 10;

/**
 * How long to cache a response under legacy cache settings (Developer Guide,
 * "Managing how long content stays in the cache (expiration)"), in seconds;
 * 0 means do not cache.
 */
export function responseTtl(status: number, headers: Record<string, string>, behavior: Config, now = Date.now()): number {
  const directives = parseCacheControl(headers['cache-control'] ?? '');
  const minTtl: number = behavior.MinTTL;
  const maxTtl: number = behavior.MaxTTL;
  if (CACHEABLE_ERRORS.has(status)) {
    if (directives.has('no-store') || directives.has('private') || directives.has('no-cache')) return 0;
    const maxAge = directives.get('s-maxage') ?? directives.get('max-age');
    return maxAge !== undefined ? maxAge : ERROR_CACHING_MIN_TTL;
  }
  if (!CACHEABLE.has(status)) return 0;
  // no-cache, no-store and private stop caching only while MinTTL is 0; a larger MinTTL wins.
  if (directives.has('no-store') || directives.has('private') || directives.has('no-cache')) return minTtl;
  const maxAge = directives.get('s-maxage') ?? directives.get('max-age');
  if (maxAge !== undefined) return clamp(maxAge, minTtl, maxTtl);
  const expires = headers.expires ? Date.parse(headers.expires) : NaN;
  if (!Number.isNaN(expires)) return clamp(Math.floor((expires - now) / 1000), minTtl, maxTtl);
  return behavior.DefaultTTL;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Cache-Control directives; valueless ones map to 0. */
function parseCacheControl(value: string): Map<string, number> {
  const directives = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, argument] = part.trim().split('=');
    if (!name) continue;
    const seconds = Number((argument ?? '').replace(/"/g, ''));
    directives.set(name.toLowerCase(), Number.isFinite(seconds) && argument !== undefined ? Math.max(0, Math.floor(seconds)) : 0);
  }
  return directives;
}

/** One distribution's edge cache, in memory: a restart starts cold. */
export class EdgeCache {
  private readonly entries = new Map<string, CachedResponse>();

  get(key: string, now = Date.now()): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  put(key: string, entry: CachedResponse): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /**
   * Remove entries matching invalidation paths: `/*` clears all, `/a/*` a
   * prefix, `/a/b` the object in every cached variant (query strings,
   * headers, cookies). Returns the count removed.
   */
  invalidate(paths: string[]): number {
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (paths.some((path) => pathMatches(path, entry.path))) {
        this.entries.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  get size(): number {
    return this.entries.size;
  }
}

function pathMatches(pattern: string, path: string): boolean {
  const decoded = safeDecode(pattern);
  if (decoded.endsWith('*')) return path.startsWith(decoded.slice(0, -1));
  return path === decoded;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
