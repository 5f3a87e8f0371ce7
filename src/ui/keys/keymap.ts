/**
 * The one keymap: every command, its keys and its description. Input dispatch
 * and the help overlay are both generated from this table, so they can't drift.
 * Keys follow htop/k9s/less habits.
 */
import type { Key } from './parse-keys.js';
import type { PropagationKind } from '../../model/types.js';

export type Command =
  | 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom'
  | 'switchPane' | 'toggleFold' | 'fold' | 'unfold'
  | 'details' | 'back' | 'search' | 'next' | 'prev'
  | 'log' | 'findings' | 'enter' | 'unshare' | 'end' | 'rediscover' | 'help' | 'suspend' | 'quit'
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

type KeyName = 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'tab' | 'return' | 'escape';

export interface KeySpec {
  /** A printable character as typed (`G` is shift+g). */
  input?: string;
  key?: KeyName;
  ctrl?: boolean;
}

export interface Binding {
  command: Command;
  keys: KeySpec[];
  /** How the keys are written in help, e.g. `↑ k`. */
  label: string;
  description: string;
  /** Shown in the one-line hint of the status bar. */
  hint?: string;
}

export const KEYMAP: readonly Binding[] = [
  { command: 'up', keys: [{ key: 'upArrow' }, { input: 'k' }], label: '↑ k', description: 'move up' },
  { command: 'down', keys: [{ key: 'downArrow' }, { input: 'j' }], label: '↓ j', description: 'move down' },
  { command: 'pageUp', keys: [{ key: 'pageUp' }, { input: 'b', ctrl: true }], label: 'PgUp', description: 'page up' },
  { command: 'pageDown', keys: [{ key: 'pageDown' }, { input: 'f', ctrl: true }], label: 'PgDn', description: 'page down' },
  { command: 'top', keys: [{ key: 'home' }, { input: 'g' }], label: 'g Home', description: 'first row' },
  { command: 'bottom', keys: [{ key: 'end' }, { input: 'G' }], label: 'G End', description: 'last row' },
  { command: 'switchPane', keys: [{ key: 'tab' }], label: 'Tab', description: 'switch pane (namespaces ↔ mounts)', hint: 'pane' },
  { command: 'toggleFold', keys: [{ input: ' ' }], label: 'Space', description: 'fold / unfold (processes of a namespace, subtree of a mount)', hint: 'fold' },
  { command: 'fold', keys: [{ key: 'leftArrow' }], label: '←', description: 'fold, or go to the parent' },
  { command: 'unfold', keys: [{ key: 'rightArrow' }], label: '→', description: 'unfold' },
  { command: 'details', keys: [{ key: 'return' }], label: 'Enter', description: 'details of the mount (peer group, slaves, master chain); on a namespace: its mounts', hint: 'details' },
  { command: 'back', keys: [{ key: 'escape' }], label: 'Esc', description: 'close / back (never quits)' },
  { command: 'search', keys: [{ input: '/' }], label: '/', description: 'search the focused pane (mount targets; inode, pid, command)', hint: 'search' },
  { command: 'next', keys: [{ input: 'n' }], label: 'n', description: 'next match' },
  { command: 'prev', keys: [{ input: 'N' }], label: 'N', description: 'previous match' },
  { command: 'enter', keys: [{ input: 'e' }], label: 'e', description: 'a shell ($SHELL) in the selected namespace: as its processes run (a) or as host root (h); exit it to come back', hint: 'enter' },
  { command: 'unshare', keys: [{ input: 'u' }], label: 'u', description: 'a new mount namespace copied from the selected one, held by mntns (asks the propagation)' },
  { command: 'end', keys: [{ input: 'K' }], label: 'K', description: 'end the holder of a namespace mntns made (marked M)' },
  { command: 'private', keys: [{ input: 'p' }], label: 'p', description: 'make the mount private: nothing in or out (asks first)' },
  { command: 'rprivate', keys: [{ input: 'P' }], label: 'P', description: 'make it and every mount below private (--make-rprivate)' },
  { command: 'shared', keys: [{ input: 's' }], label: 's', description: 'make the mount shared (a new peer group)' },
  { command: 'rshared', keys: [{ input: 'S' }], label: 'S', description: 'make it and every mount below shared' },
  { command: 'slave', keys: [{ input: 'v' }], label: 'v', description: 'make the mount a slave: receives, never sends' },
  { command: 'rslave', keys: [{ input: 'V' }], label: 'V', description: 'make it and every mount below slaves' },
  { command: 'unbindable', keys: [{ input: 'b' }], label: 'b', description: 'make the mount unbindable' },
  { command: 'runbindable', keys: [{ input: 'B' }], label: 'B', description: 'make it and every mount below unbindable' },
  { command: 'findings', keys: [{ input: 'f' }], label: 'f', description: 'findings: why mounts of this namespace cross into others, and the fix', hint: 'findings' },
  { command: 'log', keys: [{ input: 'l' }], label: 'l', description: 'event log: mounts, umounts, changes, namespaces and processes as they happen', hint: 'log' },
  { command: 'rediscover', keys: [{ input: 'r' }], label: 'r', description: 'rescan everything now', hint: 'refresh' },
  { command: 'help', keys: [{ input: '?' }], label: '?', description: 'this help', hint: 'help' },
  { command: 'suspend', keys: [{ input: 'z', ctrl: true }], label: '^Z', description: 'suspend to the shell; fg brings mntns back' },
  { command: 'quit', keys: [{ input: 'q' }, { input: 'c', ctrl: true }], label: 'q ^C', description: 'quit', hint: 'quit' },
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.key) {
    // Esc also sets `meta` (it is the meta prefix when a key follows).
    return key[spec.key] === true && !key.ctrl;
  }
  if (spec.ctrl) return key.ctrl && input === spec.input;
  return !key.ctrl && !key.meta && input === spec.input;
}

/** The command bound to this keypress, if any. */
export function commandFor(input: string, key: Key, keymap: readonly Binding[] = KEYMAP): Command | undefined {
  for (const b of keymap) if (b.keys.some((k) => matches(k, input, key))) return b.command;
  return undefined;
}
