import { findLab, LABS } from '../../labs/index.ts';
import { UsageError, type ParsedArgs } from './args.ts';

/** `palisade lab walkthrough <lab>`: exit status 0 only when every step matched. */
export async function runLab(args: ParsedArgs): Promise<number> {
  const [action, name] = args.positional;
  if (action !== 'walkthrough') throw new UsageError(`unknown lab action ${JSON.stringify(action)}; expected walkthrough`);
  const lab = name ? findLab(name) : undefined;
  if (!lab) throw new UsageError(`unknown lab ${JSON.stringify(name)}; labs: ${LABS.map((known) => known.name).join(', ')}`);
  const passed = await lab.walkthrough((line) => process.stdout.write(line + '\n'));
  return passed ? 0 : 1;
}
