/**
 * The one keymap: every command, its keys and its description. Input dispatch
 * and the help overlay are both generated from this table, so they can't drift.
 * Keys follow htop/k9s/less habits.
 */
import type { Key } from 'ink';

export type Command =
  | 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom'
  | 'switchPane' | 'toggleFold' | 'fold' | 'unfold'
  | 'details' | 'back' | 'search' | 'next' | 'prev'
  | 'log' | 'refresh' | 'help' | 'quit';

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
  { command: 'log', keys: [{ input: 'l' }], label: 'l', description: 'event log: mounts, umounts, changes, namespaces and processes as they happen', hint: 'log' },
  { command: 'refresh', keys: [{ input: 'r' }], label: 'r', description: 'rescan everything now', hint: 'refresh' },
  { command: 'help', keys: [{ input: '?' }], label: '?', description: 'this help', hint: 'help' },
  { command: 'quit', keys: [{ input: 'q' }, { input: 'c', ctrl: true }], label: 'q ^C', description: 'quit', hint: 'quit' },
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.key) {
    // Ink 6.8 reports Backspace as `delete`; Esc also sets `meta`.
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
