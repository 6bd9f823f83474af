/** Command-line flags: `--name value`, `--name=value` and boolean `--flag`; the rest are positional. */
export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
  /** Every value of a flag that may be given more than once (`--header`), in order. */
  lists: Record<string, string[]>;
}

/** Flags that may repeat; each value is kept. */
const LIST_FLAGS = new Set(['header']);

const VALUE_FLAGS = new Set(['port', 'state-dir', 'trace-id', 'request', 'requests', 'resource', 'scope']);

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  const lists: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (LIST_FLAGS.has(name)) {
      const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      (lists[name] ??= []).push(value);
    } else if (eq !== -1) flags[name] = arg.slice(eq + 1);
    else if (VALUE_FLAGS.has(name)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else flags[name] = true;
  }
  return { positional, flags, lists };
}

/** A mistake in how the command was called; printed with the usage text, exit status 2. */
export class UsageError extends Error {}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}
