/**
 * The awsQuery protocol's request form: `Action=…&Version=…` plus members
 * flattened with dots, lists as `Name.member.N` and maps as
 * `Name.entry.N.key` / `Name.entry.N.value` ("Query API request" in the
 * service API references).
 */
export function parseQueryForm(body: string): { action: string; version: string; input: Record<string, unknown> } {
  const params = new URLSearchParams(body);
  const tree: Record<string, unknown> = {};
  let action = '';
  let version = '';
  for (const [key, value] of params) {
    if (key === 'Action') action = value;
    else if (key === 'Version') version = value;
    else setPath(tree, key.split('.'), value);
  }
  return { action, version, input: normalize(tree) as Record<string, unknown> };
}

function setPath(tree: Record<string, unknown>, parts: string[], value: string): void {
  let node = tree;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** Turn `{member: {1: a, 2: b}}` into `[a, b]` and `{entry: {1: {key, value}}}` into a map. */
function normalize(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'member') {
    return byIndex(record.member).map(normalize);
  }
  if (keys.length === 1 && keys[0] === 'entry') {
    const map: Record<string, unknown> = {};
    for (const entry of byIndex(record.entry)) {
      const pair = entry as Record<string, unknown>;
      map[String(pair.key)] = normalize(pair.value);
    }
    return map;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = normalize(record[key]);
  return out;
}

function byIndex(indexed: unknown): unknown[] {
  if (typeof indexed !== 'object' || indexed === null) return [];
  return Object.entries(indexed as Record<string, unknown>)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, value]) => value);
}
