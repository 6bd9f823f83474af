/**
 * palisade's own diagnostics: one JSON line per event on stderr. `debug`
 * lines appear only with PALISADE_LOG_LEVEL=debug. Never pass secrets,
 * passwords, tokens or keys in `fields`.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = (process.env.PALISADE_LOG_LEVEL ?? 'info') as Level;
  return ORDER[configured] ?? ORDER.info;
}

export function log(level: Level, component: string, message: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < threshold()) return;
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, component, message, ...fields }) + '\n');
}
