/** Pure argument parsing for the `mntns` command line (../shared/notes/cli-contract.md). */
import { parseArgs as utilParseArgs } from 'node:util';
import { EVENT_TYPES } from './output/watch-filter.js';
import { OPTION_DOCS, SHELLS, SUBCOMMANDS, TREE_COLUMN_NAMES, usageText, type Shell, type Subcommand } from './cli-spec.js';
import { JOURNAL_SIZE } from './store/store.js';

export type Mode = 'tui' | 'json' | 'tree' | 'watch' | 'lab' | 'diff' | 'where' | 'completion' | 'help' | 'version';

export interface CliArgs {
  mode: Mode;
  json: boolean;
  pid?: number;
  ns?: number;
  procRoot: string;
  noColor: boolean;
  readonly: boolean;
  /** Open no fanotify group: events do not say who made a mount (--no-mount-events). */
  noMountEvents: boolean;
  pins: string[];
  /** Seconds between full re-reads of every mount table (propagation changes wake nobody). */
  /** null: the default cadence (10 s, stretched to a CPU budget). */
  rescanSeconds: number | null;
  /** Events the TUI's journal keeps. */
  journal: number;
  /** watch: only these event types (--type), only mount events at or under this path (--path). */
  types?: string[];
  path?: string;
  /** A `--json` snapshot file (or `-`: stdin) read instead of /proc. */
  from?: string;
  /** --tree: findmnt's -o (columns, in order), --list (no tree), --verbose (whole command lines). */
  columns?: string[];
  list: boolean;
  verbose: boolean;
  /** The TUI's y copies through the terminal (OSC 52): off unless asked for. */
  osc52: boolean;
  /** The TUI asks for no mouse reports (--no-mouse): the terminal's own selection works without Shift. */
  noMouse: boolean;
  /** diff: the two sides (PID, namespace inode or snapshot file); where: the one query; completion: the shell. */
  operands: string[];
  /** completion: the shell whose script to print. */
  shell?: Shell;
}

export class UsageError extends Error {}

export const MAX_RESCAN_SECONDS = 86_400;
/** About 1 GB of mounts: beyond that a journal is a file (`mntns watch --json > FILE`). */
export const MAX_JOURNAL = 1_000_000;

export const USAGE = usageText();

function positiveInt(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) <= 0 || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`${flag} needs a positive number, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  }
  return Number(v);
}

/** node:util's option table, from the one list of options. */
const OPTIONS: Record<string, { type: 'string' | 'boolean'; short?: string }> = Object.fromEntries(
  OPTION_DOCS.map((o) => [o.long, { type: o.arg ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}) }]),
);

/**
 * Parses argv (without node and the script). Throws UsageError with a one-line reason.
 * node:util's parser splits the arguments (non-strict, so every error is ours and says
 * what to do); the rules are here.
 */
export function parseArgs(argv: string[]): CliArgs {
  const a: CliArgs = {
    mode: 'tui',
    json: false,
    procRoot: '/proc',
    noColor: false,
    readonly: false,
    noMountEvents: false,
    pins: [],
    rescanSeconds: null,
    journal: JOURNAL_SIZE,
    operands: [],
    list: false,
    verbose: false,
    osc52: false,
    noMouse: false,
  };
  let sub: Subcommand | null = null;
  let output: 'json' | 'tree' | null = null;
  const { tokens } = utilParseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'option-terminator') {
      // `mntns where -- -odd-source`: what follows is operands.
      if (sub === 'diff' || sub === 'where') continue;
      throw new UsageError('unexpected "--"');
    }
    if (t.kind === 'positional') {
      if (sub === 'diff' || sub === 'where' || sub === 'completion') {
        a.operands.push(t.value);
        continue;
      }
      if (!(SUBCOMMANDS as readonly string[]).includes(t.value) || sub) throw new UsageError(`unexpected argument ${JSON.stringify(t.value)}`);
      sub = t.value as Subcommand;
      continue;
    }
    const flag = t.rawName;
    // Unknown, or one letter of a cluster (`-help` is not -h): no such option.
    const given = argv[t.index];
    if (!(t.name in OPTIONS) || (!flag.startsWith('--') && given !== flag)) {
      throw new UsageError(`unknown option ${JSON.stringify(given)}`);
    }
    const type = OPTIONS[t.name].type;
    // A flag that takes no value says so when given one (`--json=1`).
    if (type === 'boolean' && t.value !== undefined) throw new UsageError(`${flag} takes no value, got ${JSON.stringify(argv[t.index])}`);
    // Another option is never taken as a value: `--proc --json` is a missing directory, not one named --json.
    const value = t.value !== undefined && !t.inlineValue && t.value.startsWith('-') && t.value !== '-' && !/^-\d/.test(t.value) ? undefined : t.value;
    switch (t.name) {
      case 'json':
        output = output === 'tree' ? fail('--json and --tree exclude each other') : 'json';
        break;
      case 'tree':
        output = output === 'json' ? fail('--json and --tree exclude each other') : 'tree';
        break;
      case 'pid':
        a.pid = positiveInt('--pid', value);
        break;
      case 'ns':
        a.ns = positiveInt('--ns', value);
        break;
      case 'proc':
        if (!value) throw new UsageError('--proc needs a directory');
        a.procRoot = value.replace(/\/+$/, '') || '/';
        break;
      case 'pins':
        if (!value) throw new UsageError('--pins needs a directory');
        a.pins.push(value);
        break;
      case 'type': {
        const types = (value ?? '').split(',').filter(Boolean);
        const bad = types.find((x) => !(EVENT_TYPES as readonly string[]).includes(x));
        if (types.length === 0 || bad !== undefined) throw new UsageError(`--type takes a comma list of ${EVENT_TYPES.join(', ')}; got ${JSON.stringify(value ?? '')}`);
        a.types = [...(a.types ?? []), ...types];
        break;
      }
      case 'output': {
        const cols = (value ?? '')
          .split(',')
          .map((c) => c.trim().toUpperCase())
          .filter(Boolean);
        const bad = cols.find((c) => !(TREE_COLUMN_NAMES as readonly string[]).includes(c));
        if (cols.length === 0 || bad !== undefined) throw new UsageError(`-o takes a comma list of ${TREE_COLUMN_NAMES.join(', ')}; got ${JSON.stringify(value ?? '')}`);
        a.columns = cols;
        break;
      }
      case 'list':
        a.list = true;
        break;
      case 'verbose':
        a.verbose = true;
        break;
      case 'osc52':
        a.osc52 = true;
        break;
      case 'no-mouse':
        a.noMouse = true;
        break;
      case 'from':
        if (!value) throw new UsageError('--from needs a snapshot file (from mntns --json), or - for stdin');
        a.from = value;
        break;
      case 'path':
        if (!value?.startsWith('/')) throw new UsageError(`--path needs an absolute path, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
        a.path = value;
        break;
      case 'rescan':
        // At most a day: beyond 2^31 ms a timer fires at once (Node clamps it to 1 ms).
        if (value === undefined || !/^\d+(\.\d+)?$/.test(value) || Number(value) < 0.1 || Number(value) > MAX_RESCAN_SECONDS) {
          throw new UsageError(`--rescan needs seconds from 0.1 to ${MAX_RESCAN_SECONDS} (a day), got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
        }
        a.rescanSeconds = Number(value);
        break;
      case 'journal':
        a.journal = positiveInt('--journal', value);
        if (a.journal > MAX_JOURNAL) throw new UsageError(`--journal keeps at most ${MAX_JOURNAL} events, got ${a.journal}`);
        break;
      case 'readonly':
        a.readonly = true;
        break;
      case 'no-mount-events':
        a.noMountEvents = true;
        break;
      case 'no-color':
      case 'no-colour':
        a.noColor = true;
        break;
      case 'help':
        return { ...a, mode: 'help' };
      case 'version':
        return { ...a, mode: 'version' };
    }
  }
  if (a.pid !== undefined && a.ns !== undefined) throw new UsageError('--pid and --ns exclude each other');
  if (sub === 'completion') {
    const shell = a.operands[0];
    if (a.operands.length !== 1 || !(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion takes one shell: ${SHELLS.join(', ')}`);
    if (argv.length !== 2) throw new UsageError('completion takes no options');
    return { ...a, mode: 'completion', shell: shell as Shell };
  }
  if (sub === 'diff' || sub === 'where') {
    const want = sub === 'diff' ? 2 : 1;
    if (a.operands.length !== want)
      throw new UsageError(sub === 'diff' ? `diff takes two namespaces (PID, inode or snapshot file), got ${a.operands.length}` : `where takes one PATH, SOURCE or MAJ:MIN, got ${a.operands.length}`);
    if (output === 'tree') throw new UsageError(`${sub} takes --json, not --tree`);
    if (a.pid !== undefined || a.ns !== undefined) throw new UsageError(`${sub} takes no --pid or --ns`);
    if (a.types || a.path !== undefined) throw new UsageError('--type and --path filter watch; use them with mntns watch');
    return { ...a, mode: sub, json: output === 'json' };
  }
  if (sub === 'watch') {
    if (a.from !== undefined) throw new UsageError('watch follows /proc live; a snapshot (--from) does not change');
    if (output === 'tree') throw new UsageError('watch takes --json, not --tree');
    return { ...a, mode: 'watch', json: output === 'json' };
  }
  if (a.types || a.path !== undefined) throw new UsageError('--type and --path filter watch; use them with mntns watch');
  if (sub === 'lab') {
    if (output) throw new UsageError('lab is the TUI; it takes no --json or --tree');
    if (a.from !== undefined) throw new UsageError('lab makes live namespaces; it takes no --from');
    return { ...a, mode: 'lab' };
  }
  if ((a.columns || a.list || a.verbose) && output !== 'tree') throw new UsageError('-o, --list and --verbose shape --tree; use them with mntns --tree');
  if (output) return { ...a, mode: output, json: output === 'json' };
  return a;
}

function fail(msg: string): never {
  throw new UsageError(msg);
}
