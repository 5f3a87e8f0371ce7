/** Placeholder until the TUI lands (issue 3). */
import type { CliArgs } from '../cli-args.js';
export async function runTui(_args: CliArgs): Promise<number> {
  process.stderr.write('mntns: the TUI is not built yet; use --json or --tree\n');
  return 2;
}
