/**
 * The command line, described once: the parser's options (cli-args.ts), `--help`,
 * the man page and the shell completions (manual.ts) are all made from these
 * lists, so none of them can name an option the others lack.
 */
import { EVENT_TYPES } from './output/watch-filter.js';

export interface CommandDoc {
  /** How it is typed, after `mntns`: `--json [--pid PID|--ns INODE]`; '' for the bare TUI. */
  usage: string;
  /** One line for --help; the man page says `more` after it. */
  summary: string;
  more?: string;
}

/** What an option's value is, for completions: other shells' files, pids, a fixed list. */
export type ValueKind = 'pid' | 'ns' | 'dir' | 'file' | 'number' | 'columns' | 'types';

export interface OptionDoc {
  long: string;
  short?: string;
  /** The value's name as --help writes it (`PID`); none: a switch. */
  arg?: string;
  values?: ValueKind;
  text: string;
  /** Parsed, never shown (an alternative spelling). */
  hidden?: boolean;
}

export const SUBCOMMANDS = ['watch', 'lab', 'diff', 'where', 'completion'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** --tree's columns (output/tree-text.ts TREE_COLUMNS), findmnt's names. */
export const TREE_COLUMN_NAMES = ['TARGET', 'SOURCE', 'FSTYPE', 'OPTIONS', 'FS-OPTIONS', 'FSROOT', 'ID', 'PARENT', 'MAJ:MIN', 'PROPAGATION'] as const;

export const COMMANDS: readonly CommandDoc[] = [
  {
    usage: '',
    summary: 'the live TUI (needs a terminal)',
    more: 'Every process grouped by mount namespace, each namespace\u2019s mount tree with its propagation, the mounts of other namespaces in the same peer groups, findings on mounts that cross namespaces, and the changes as they happen. ? lists the keys (below, under KEYS).',
  },
  { usage: '--json [--pid PID|--ns INODE]', summary: 'one snapshot as JSON', more: 'The schema is schema/snapshot.schema.json in the package.' },
  { usage: '--tree [--pid PID|--ns INODE] [-o COLS] [--list] [--verbose]', summary: 'one snapshot as text, findmnt-like' },
  {
    usage: 'watch [--json] [--pid PID|--ns INODE] [--type T,…] [--path DIR]',
    summary: 'changes as they happen (NDJSON with --json)',
    more: 'Until interrupted; each event flushed as it comes. With --json one object per line (schema/event.schema.json).',
  },
  { usage: 'lab', summary: 'the TUI over a throwaway lab with experiments', more: 'The lab is a mount namespace of its own on a tmpfs; it vanishes when mntns exits.' },
  { usage: 'diff A B [--json]', summary: 'compare two mount namespaces; A and B are a PID, a namespace inode or a --json snapshot file' },
  { usage: 'where PATH|SOURCE|MAJ:MIN [--json]', summary: 'every namespace with that mount, and who holds it' },
  { usage: 'completion bash|zsh|fish', summary: 'the shell completion script', more: 'For bash: source <(mntns completion bash).' },
];

export const OPTION_DOCS: readonly OptionDoc[] = [
  { long: 'json', text: 'JSON instead of text (one snapshot; watch, diff, where: their JSON)' },
  { long: 'tree', text: 'one snapshot as text: each namespace, its processes, its mount tree' },
  { long: 'pid', arg: 'PID', values: 'pid', text: "select PID's mount namespace, read through PID (like findmnt -N)" },
  { long: 'ns', arg: 'INODE', values: 'ns', text: 'select the mount namespace with this inode' },
  { long: 'proc', arg: 'DIR', values: 'dir', text: 'procfs root (default /proc)' },
  {
    long: 'output',
    short: 'o',
    arg: 'COLS',
    values: 'columns',
    text: `--tree: these columns, in order (${TREE_COLUMN_NAMES.join(', ')}; default TARGET,FSTYPE,SOURCE,PROPAGATION)`,
  },
  { long: 'list', text: '--tree: full paths, no tree (findmnt --list)' },
  { long: 'verbose', text: "--tree: each process's whole command line (it can hold secrets; without it, the program and how many arguments)" },
  { long: 'from', arg: 'FILE', values: 'file', text: 'read a --json snapshot (- for stdin) instead of /proc: the TUI (read-only), --json, --tree, diff and where work on it' },
  { long: 'pins', arg: 'DIR', values: 'dir', text: 'also watch DIR for namespace pin files (repeatable)' },
  { long: 'type', arg: 'T,…', values: 'types', text: `watch: only these events (${EVENT_TYPES.join(', ')})` },
  { long: 'path', arg: 'DIR', values: 'dir', text: 'watch: only mount events at DIR or below it' },
  {
    long: 'rescan',
    arg: 'SECS',
    values: 'number',
    text: 're-read every mount table this often: propagation changes made by others wake no poll (default 10, stretched on a big host so the re-reads take at most 0.2 % of a core; at most 86400)',
  },
  { long: 'journal', arg: 'N', values: 'number', text: 'events the TUI keeps for its log and for w (default 10000)' },
  { long: 'readonly', text: 'disable every action in the TUI' },
  { long: 'osc52', text: 'let y in the TUI copy a path or command to the clipboard through the terminal (OSC 52); off unless given' },
  { long: 'no-mouse', text: "the TUI takes no mouse reports (the wheel and clicks): the terminal's own text selection then needs no Shift" },
  { long: 'no-mount-events', text: "do not follow the kernel's mount events (fanotify): events do not say who made a mount" },
  { long: 'no-color', text: 'no colours (NO_COLOR is honoured too)' },
  { long: 'no-colour', text: 'no colours', hidden: true },
  { long: 'help', short: 'h', text: 'this help' },
  { long: 'version', short: 'V', text: 'the version' },
];

/** The man page's sections beyond the commands, options and keys. */
export const DESCRIPTION =
  'mntns shows the mount namespaces of a Linux host live: which processes share one, every mount of each with its propagation (shared:N, master:N, propagate_from, unbindable, private), and which mounts of other namespaces are in the same peer group \u2014 why a mount made in one namespace shows up in another. It reads /proc (and the kernel\u2019s mount events where it can) and changes nothing unless asked: its actions (a shell in a namespace, a new namespace, a change of propagation) each ask first and show the equivalent nsenter or mount command.';

export const EXIT_STATUS: ReadonlyArray<[string, string]> = [
  ['0', 'success'],
  ['1', 'a runtime failure: no such process or namespace, a file that is not a snapshot, a read that failed'],
  ['2', 'a usage error, or the TUI without a terminal'],
];

export const ENVIRONMENT: ReadonlyArray<[string, string]> = [
  ['NO_COLOR', 'no colours when set (as --no-color)'],
  ['SHELL', 'the shell the TUI\u2019s e starts in a namespace (else /bin/sh)'],
  ['MNTNS_TRACE', 'when set, --json prints the time of each step of the snapshot (and the resident set so far) to stderr'],
];

export const EXAMPLES: ReadonlyArray<[string, string]> = [
  ['mntns', 'the TUI'],
  ['mntns --tree --pid 1234', 'the mount tree of process 1234\u2019s namespace'],
  ['mntns where /run/netns', 'every namespace with a mount on /run/netns'],
  ['mntns diff 1 4242', 'what process 4242\u2019s namespace has, lacks or has otherwise than the initial one'],
  ['mntns watch --json --type mount,umount', 'mounts and umounts as NDJSON'],
  ['ssh host mntns --json | mntns --from -', 'another host\u2019s snapshot in the TUI'],
];

export const SEE_ALSO = ['findmnt(8)', 'lsns(8)', 'nsenter(1)', 'unshare(1)', 'mount(8)', 'mount_namespaces(7)'];

/** One option as --help and the man page write its name: `-o, --output COLS`. */
export function optionName(o: OptionDoc): string {
  const long = `--${o.long}${o.arg ? ` ${o.arg}` : ''}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** Words of `text` on lines of at most `width` columns (ASCII-width text: ours). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const HELP_WIDTH = 79;

/** Name in a column, text beside it wrapped; a name too long for the column gets the text under it. */
function columns(rows: ReadonlyArray<[string, string]>, indent: number, col: number): string {
  const pad = ' '.repeat(indent + col);
  return rows
    .map(([name, text]) => {
      const lines = wrapWords(text, HELP_WIDTH - indent - col);
      const head = ' '.repeat(indent) + name;
      const first = head.length < indent + col - 1 ? head.padEnd(indent + col) + lines.shift() : head;
      return [first, ...lines.map((l) => pad + l)].join('\n');
    })
    .join('\n');
}

export function usageText(): string {
  const cmds = columns(
    COMMANDS.map((c) => [`mntns${c.usage ? ` ${c.usage}` : ''}`, c.summary]),
    2,
    37,
  );
  const opts = columns(
    OPTION_DOCS.filter((o) => !o.hidden).map((o) => [optionName(o), o.text]),
    2,
    17,
  );
  return `Usage:\n${cmds}\n\nOptions:\n${opts}\n\nmntns(1) has the keys of the TUI, the exit codes and examples.\n`;
}
