/**
 * The one keymap: every command of every mode, its keys and its description.
 * Input dispatch, the help overlay, the status bar's hints and the dialogs'
 * key labels are all generated from these tables, so they can't drift. Keys
 * follow htop/k9s/less habits.
 */
import type { Key } from './parse-keys.js';
import type { PropagationKind } from '../../model/types.js';

export type Command =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'switchPane'
  | 'toggleFold'
  | 'fold'
  | 'unfold'
  | 'scrollRight'
  | 'scrollLeft'
  | 'relativeNames'
  | 'details'
  | 'back'
  | 'search'
  | 'next'
  | 'prev'
  | 'log'
  | 'logProcesses'
  | 'saveLog'
  | 'copy'
  | 'changes'
  | 'mark'
  | 'findings'
  | 'map'
  | 'sortNext'
  | 'sortPrev'
  | 'warningsOnly'
  | 'compare'
  | 'where'
  | 'enter'
  | 'unshare'
  | 'end'
  | 'rediscover'
  | 'help'
  | 'suspend'
  | 'quit'
  | PropagationCommand;

/** p/P s/S v/V b/B: the propagation actions (upper case: recursively, like --make-r*). */
export type PropagationCommand = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave' | 'unbindable' | 'runbindable';

export const PROPAGATION_COMMANDS: Record<PropagationCommand, { kind: PropagationKind; recursive: boolean }> = {
  private: { kind: 'private', recursive: false },
  rprivate: { kind: 'private', recursive: true },
  shared: { kind: 'shared', recursive: false },
  rshared: { kind: 'shared', recursive: true },
  slave: { kind: 'slave', recursive: false },
  rslave: { kind: 'slave', recursive: true },
  unbindable: { kind: 'unbindable', recursive: false },
  runbindable: { kind: 'unbindable', recursive: true },
};

type KeyName = 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'tab' | 'return' | 'escape' | 'backspace' | 'delete';

export interface KeySpec {
  /** A printable character as typed (`G` is shift+g). */
  input?: string;
  key?: KeyName;
  ctrl?: boolean;
  /** Shift held (Shift+→); an arrow without it never matches a shifted one. */
  shift?: boolean;
}

export interface Binding<C extends string = Command> {
  command: C;
  keys: KeySpec[];
  description: string;
  /** Shown in the one-line hint of the status bar. */
  hint?: string;
}

const KEY_WORDS: Record<KeyName, string> = {
  upArrow: '↑',
  downArrow: '↓',
  leftArrow: '←',
  rightArrow: '→',
  pageUp: 'PgUp',
  pageDown: 'PgDn',
  home: 'Home',
  end: 'End',
  tab: 'Tab',
  return: 'Enter',
  escape: 'Esc',
  backspace: 'Backspace',
  delete: 'Del',
};

/** How a key is written in help and dialogs: `k`, `Enter`, `^C`, `Space`. */
export function keyLabel(k: KeySpec): string {
  if (k.key) return (k.shift ? 'Shift+' : '') + KEY_WORDS[k.key];
  if (k.ctrl) return `^${k.input!.toUpperCase()}`;
  return k.input === ' ' ? 'Space' : k.input!;
}

/** The keys of a binding as help writes them (`↑ k`); `sep` between them. */
export const labelOf = (b: Binding<string>, sep = ' '): string => b.keys.map(keyLabel).join(sep);

export const KEYMAP: readonly Binding[] = [
  { command: 'up', keys: [{ key: 'upArrow' }, { input: 'k' }], description: 'move up' },
  { command: 'down', keys: [{ key: 'downArrow' }, { input: 'j' }], description: 'move down' },
  { command: 'pageUp', keys: [{ key: 'pageUp' }, { input: 'b', ctrl: true }], description: 'page up' },
  { command: 'pageDown', keys: [{ key: 'pageDown' }, { input: 'f', ctrl: true }], description: 'page down' },
  { command: 'top', keys: [{ input: 'g' }, { key: 'home' }], description: 'first row' },
  { command: 'bottom', keys: [{ input: 'G' }, { key: 'end' }], description: 'last row' },
  { command: 'switchPane', keys: [{ key: 'tab' }], description: 'switch pane (namespaces → mounts → the event log, when open)', hint: 'pane' },
  { command: 'toggleFold', keys: [{ input: ' ' }], description: 'fold / unfold (processes of a namespace, subtree of a mount); in the log: pause', hint: 'fold' },
  { command: 'fold', keys: [{ key: 'leftArrow' }], description: 'fold, or go to the parent' },
  { command: 'unfold', keys: [{ key: 'rightArrow' }], description: 'unfold' },
  {
    command: 'scrollRight',
    keys: [{ key: 'rightArrow', shift: true }, { input: ']' }],
    description: 'mount tree: whole lines, nothing elided (wide), then scroll them right',
  },
  { command: 'scrollLeft', keys: [{ key: 'leftArrow', shift: true }, { input: '[' }], description: 'mount tree: scroll left; at the start, back to lines that fit' },
  { command: 'relativeNames', keys: [{ input: 't' }], description: 'mount tree: each target relative to its parent mount, as a tree reads (again: full paths)' },
  { command: 'details', keys: [{ key: 'return' }], description: 'details of the mount (peer group, slaves, master chain); on a namespace: its mounts', hint: 'details' },
  { command: 'back', keys: [{ key: 'escape' }], description: 'close / back (never quits)' },
  { command: 'search', keys: [{ input: '/' }], description: 'search the focused pane (mount targets; inode, pid, command); in the log: filter as you type', hint: 'search' },
  { command: 'next', keys: [{ input: 'n' }], description: 'next match' },
  { command: 'prev', keys: [{ input: 'N' }], description: 'previous match' },
  { command: 'enter', keys: [{ input: 'e' }], description: 'a shell ($SHELL) in the selected namespace: as its processes run (a) or as host root (h); exit it to come back', hint: 'enter' },
  { command: 'unshare', keys: [{ input: 'u' }], description: 'a new mount namespace copied from the selected one, held by mntns (asks the propagation)' },
  { command: 'end', keys: [{ input: 'K' }], description: 'end the holder of a namespace mntns made (marked M)' },
  { command: 'private', keys: [{ input: 'p' }], description: 'make the mount private: nothing in or out (asks first)' },
  { command: 'rprivate', keys: [{ input: 'P' }], description: 'make it and every mount below private (--make-rprivate)' },
  { command: 'shared', keys: [{ input: 's' }], description: 'make the mount shared (a new peer group)' },
  { command: 'rshared', keys: [{ input: 'S' }], description: 'make it and every mount below shared' },
  { command: 'slave', keys: [{ input: 'v' }], description: 'make the mount a slave: receives, never sends' },
  { command: 'rslave', keys: [{ input: 'V' }], description: 'make it and every mount below slaves' },
  { command: 'unbindable', keys: [{ input: 'b' }], description: 'make the mount unbindable' },
  { command: 'runbindable', keys: [{ input: 'B' }], description: 'make it and every mount below unbindable' },
  { command: 'findings', keys: [{ input: 'f' }], description: 'findings: why mounts of this namespace cross into others, and the fix', hint: 'findings' },
  { command: 'sortNext', keys: [{ input: '>' }], description: 'order the namespaces by the next key: inode, name, processes, mounts, warnings (the initial one stays first)' },
  { command: 'sortPrev', keys: [{ input: '<' }], description: 'order the namespaces by the previous key' },
  { command: 'warningsOnly', keys: [{ input: '!' }], description: 'only the namespaces with a warning (and the initial one); again: all' },
  {
    command: 'map',
    keys: [{ input: 'M' }],
    description: 'propagation map: the namespaces this one shares peer groups with, sends to and receives from (Enter opens a row, → centres, ← back)',
    hint: 'map',
  },
  { command: 'compare', keys: [{ input: 'd' }], description: 'compare: d marks this namespace as A, d on another shows what only one has and what differs (like diff)' },
  { command: 'where', keys: [{ input: 'W' }], description: "where: every namespace with a mount of the selected mount's filesystem, and who holds each" },
  { command: 'changes', keys: [{ input: 'c' }], description: 'what changed since the mark (mntns started, or m): every mount added, removed or changed, per namespace', hint: 'changes' },
  { command: 'mark', keys: [{ input: 'm' }], description: 'set the mark to now: c shows what changes from here' },
  { command: 'log', keys: [{ input: 'l' }], description: 'event log: mounts, umounts, changes, namespaces and processes as they happen', hint: 'log' },
  { command: 'logProcesses', keys: [{ input: 'L' }], description: 'event log: show or hide process events (hidden at first)' },
  { command: 'saveLog', keys: [{ input: 'w' }], description: 'event log: write the journal (every event kept, --journal N) to a file, NDJSON as mntns watch --json' },
  { command: 'copy', keys: [{ input: 'y' }], description: "copy (OSC 52, with --osc52): the selected mount's path, a process's command line, or the nsenter command into a namespace" },
  { command: 'rediscover', keys: [{ input: 'r' }], description: 'rescan everything now', hint: 'refresh' },
  { command: 'help', keys: [{ input: '?' }], description: 'this help', hint: 'help' },
  { command: 'suspend', keys: [{ input: 'z', ctrl: true }], description: 'suspend to the shell; fg brings mntns back' },
  { command: 'quit', keys: [{ input: 'q' }, { input: 'c', ctrl: true }], description: 'quit', hint: 'quit' },
];

/**
 * The keys of the dialogs and the search prompt: while one is open, only its
 * own bindings count (and ^Z). Dialogs draw their choices from these labels.
 */
export type DialogMode = 'unshare' | 'enter' | 'quit' | 'confirm' | 'search';

export type DialogCommand =
  'copyPrivate' | 'copySlave' | 'copyShared' | 'copyUnchanged' | 'asItRuns' | 'asHost' | 'enterDefault' | 'endMade' | 'keepMade' | 'yes' | 'submit' | 'erase' | 'cancel' | 'quit';

const ESC: KeySpec = { key: 'escape' };
const CTRL_C: KeySpec = { input: 'c', ctrl: true };

export const DIALOG_KEYMAPS: Record<DialogMode, readonly Binding<DialogCommand>[]> = {
  unshare: [
    { command: 'copyPrivate', keys: [{ input: 'p' }, { key: 'return' }], description: "private — nothing in, nothing out (unshare's default)" },
    { command: 'copySlave', keys: [{ input: 'v' }], description: 'slave — receives mounts from the original, sends none back' },
    { command: 'copyShared', keys: [{ input: 's' }], description: 'shared — mounts cross both ways (a new peer group for each)' },
    { command: 'copyUnchanged', keys: [{ input: 'u' }], description: "unchanged — keeps the original's peer groups: mounts leak both ways" },
    { command: 'cancel', keys: [ESC, { input: 'n' }, { input: 'q' }], description: 'cancel' },
  ],
  enter: [
    { command: 'asItRuns', keys: [{ input: 'a' }], description: 'as its processes run' },
    { command: 'asHost', keys: [{ input: 'h' }], description: 'as host root' },
    { command: 'enterDefault', keys: [{ key: 'return' }], description: 'the default for this namespace' },
    { command: 'cancel', keys: [ESC, { input: 'n' }, { input: 'q' }], description: 'cancel' },
  ],
  // A yes/no question ("end them?"): y/n/Esc, never keys that mean something else on the main screen.
  quit: [
    { command: 'endMade', keys: [{ input: 'y' }, { key: 'return' }, { input: 'Y' }, CTRL_C], description: 'yes: end them and quit (default)' },
    { command: 'keepMade', keys: [{ input: 'n' }, { input: 'N' }], description: 'no: keep them (a process named mntns-kept holds them after mntns) and quit' },
    { command: 'cancel', keys: [ESC], description: 'back to mntns, nothing ended' },
  ],
  confirm: [
    { command: 'yes', keys: [{ input: 'y' }, { input: 'Y' }], description: 'do it' },
    { command: 'cancel', keys: [{ input: 'n' }, ESC, { input: 'N' }], description: 'cancel' },
    { command: 'quit', keys: [CTRL_C], description: 'quit' },
  ],
  search: [
    { command: 'submit', keys: [{ key: 'return' }], description: 'find' },
    { command: 'cancel', keys: [ESC], description: 'cancel' },
    { command: 'erase', keys: [{ key: 'backspace' }, { key: 'delete' }], description: 'erase a character' },
    { command: 'quit', keys: [CTRL_C], description: 'quit' },
  ],
};

/** A dialog choice's keys as the dialog shows them (`p / Enter`): at most the first two. */
export function dialogLabel(mode: DialogMode, command: DialogCommand): string {
  const b = DIALOG_KEYMAPS[mode].find((x) => x.command === command);
  return b ? b.keys.slice(0, 2).map(keyLabel).join(' / ') : '';
}

/** Whether `mode` has keys of its own. */
export const isDialog = (mode: string): mode is DialogMode => mode in DIALOG_KEYMAPS;

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.key) {
    // Esc also sets `meta` (it is the meta prefix when a key follows).
    if (key[spec.key] !== true || key.ctrl) return false;
    // Shift+Tab is Tab; Shift+← is not ←.
    return spec.shift ? key.shift : !(key.shift && (spec.key === 'leftArrow' || spec.key === 'rightArrow'));
  }
  if (spec.ctrl) return key.ctrl && input === spec.input;
  return !key.ctrl && !key.meta && input === spec.input;
}

/** The command bound to this keypress, if any. */
export function commandFor<C extends string = Command>(input: string, key: Key, keymap: readonly Binding<C>[] = KEYMAP as unknown as readonly Binding<C>[]): C | undefined {
  for (const b of keymap) if (b.keys.some((k) => matches(k, input, key))) return b.command;
  return undefined;
}
