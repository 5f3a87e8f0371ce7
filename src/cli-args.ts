/** Pure argument parsing for the `mntns` command line (../shared/notes/cli-contract.md). */

export type Mode = 'tui' | 'json' | 'tree' | 'watch' | 'lab' | 'help' | 'version';

export interface CliArgs {
  mode: Mode;
  json: boolean;
  pid?: number;
  ns?: number;
  procRoot: string;
  noColor: boolean;
  readonly: boolean;
  pins: string[];
  /** Seconds between full re-reads of every mount table (propagation changes wake nobody). */
  /** null: the default cadence (10 s, stretched to a CPU budget). */
  rescanSeconds: number | null;
}

export class UsageError extends Error {}

export const MAX_RESCAN_SECONDS = 86_400;

export const USAGE = `Usage:
  mntns                                the live TUI (needs a terminal)
  mntns --json [--pid PID|--ns INODE]  one snapshot as JSON
  mntns --tree [--pid PID|--ns INODE]  one snapshot as text, findmnt-like
  mntns watch [--json] [--pid PID]     changes as they happen (NDJSON with --json)
  mntns lab                            the TUI over a throwaway lab with experiments

Options:
  --pid PID      select PID's mount namespace, read through PID (like findmnt -N)
  --ns INODE     select the mount namespace with this inode
  --proc DIR     procfs root (default /proc)
  --pins DIR     also watch DIR for namespace pin files (repeatable)
  --rescan SECS  re-read every mount table this often: propagation changes
                 made by others wake no poll (default 10, stretched on a big
                 host so the re-reads take at most 0.2 % of a core; at most
                 86400)
  --readonly     disable every action in the TUI
  --no-color     no colours (NO_COLOR is honoured too)
  -h, --help     this help
  -V, --version  the version
`;

function positiveInt(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) <= 0 || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`${flag} needs a positive number, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  }
  return Number(v);
}

/** Parses argv (without node and the script). Throws UsageError with a one-line reason. */
export function parseArgs(argv: string[]): CliArgs {
  const a: CliArgs = { mode: 'tui', json: false, procRoot: '/proc', noColor: false, readonly: false, pins: [], rescanSeconds: null };
  let sub: 'watch' | 'lab' | null = null;
  let output: 'json' | 'tree' | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    // A value is the rest after `=`, or the next argument unless that is an option
    // itself: `--proc --json` is a missing directory, not a directory named --json.
    const value = (): string | undefined => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) return undefined;
      i++;
      return next;
    };
    // A flag that takes no value says so when given one (`--json=1`).
    const bare = (): void => {
      if (eq > 0) throw new UsageError(`${flag} takes no value, got ${JSON.stringify(arg)}`);
    };
    switch (flag) {
      case 'watch':
      case 'lab':
        if (sub || i > 0 && !argv.slice(0, i).every((x) => x.startsWith('-'))) throw new UsageError(`unexpected ${JSON.stringify(arg)}`);
        sub = flag;
        break;
      case '--json': bare(); output = output === 'tree' ? fail('--json and --tree exclude each other') : 'json'; break;
      case '--tree': bare(); output = output === 'json' ? fail('--json and --tree exclude each other') : 'tree'; break;
      case '--pid': a.pid = positiveInt('--pid', value()); break;
      case '--ns': a.ns = positiveInt('--ns', value()); break;
      case '--proc': {
        const v = value();
        if (!v) throw new UsageError('--proc needs a directory');
        a.procRoot = v.replace(/\/+$/, '') || '/';
        break;
      }
      case '--pins': {
        const v = value();
        if (!v) throw new UsageError('--pins needs a directory');
        a.pins.push(v);
        break;
      }
      case '--rescan': {
        const v = value();
        // At most a day: beyond 2^31 ms a timer fires at once (Node clamps it to 1 ms).
        if (v === undefined || !/^\d+(\.\d+)?$/.test(v) || Number(v) < 0.1 || Number(v) > MAX_RESCAN_SECONDS) {
          throw new UsageError(`--rescan needs seconds from 0.1 to ${MAX_RESCAN_SECONDS} (a day), got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
        }
        a.rescanSeconds = Number(v);
        break;
      }
      case '--readonly': bare(); a.readonly = true; break;
      case '--no-color': case '--no-colour': bare(); a.noColor = true; break;
      case '-h': case '--help': bare(); return { ...a, mode: 'help' };
      case '-V': case '--version': bare(); return { ...a, mode: 'version' };
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${JSON.stringify(arg)}` : `unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  if (a.pid !== undefined && a.ns !== undefined) throw new UsageError('--pid and --ns exclude each other');
  if (sub === 'watch') {
    if (output === 'tree') throw new UsageError('watch takes --json, not --tree');
    if (a.ns !== undefined) throw new UsageError('watch takes --pid, not --ns');
    return { ...a, mode: 'watch', json: output === 'json' };
  }
  if (sub === 'lab') {
    if (output) throw new UsageError('lab is the TUI; it takes no --json or --tree');
    return { ...a, mode: 'lab' };
  }
  if (output) return { ...a, mode: output, json: output === 'json' };
  return a;
}

function fail(msg: string): never {
  throw new UsageError(msg);
}
