/** Left pane: one row per mount namespace, unfolding to its processes. */
import type React from 'react';
import { memo } from 'react';
import { Text } from 'ink';
import { commandOf, containerLabel, representative } from '../../format/describe.js';
import type { NsListing } from '../view-model.js';
import { displayWidth, elideMiddle, fit, truncate } from '../../format/width.js';
import { sanitize } from '../../format/sanitize.js';
import { C } from '../theme.js';
import { Pane, type WindowProps } from './Pane.js';
import { namespaceMarks, type NamespaceRow } from '../view-model.js';

interface RowProps {
  row: NamespaceRow;
  selected: boolean;
  focused: boolean;
  width: number;
  /** Flags as a string of four (I, H, C, !) so memoisation compares a primitive. */
  flags: string;
  user: (uid: number) => string;
  /** Changed a moment ago: drawn highlighted until it fades. */
  changed: boolean;
  /** Its table is being read (a slow one, off the main thread). */
  reading?: boolean;
}

const Row = memo(function Row({ row, selected, focused, width, flags, user, changed, reading }: RowProps) {
  const cursor = selected ? '>' : ' ';
  const inverse = selected && focused;
  if (row.kind === 'proc') {
    const p = row.proc;
    const text = `${cursor}    ${row.last ? '└' : '├'} ${String(p.pid).padStart(7)} ${fit(user(p.uid), 8)} ${commandOf(p)}${p.chrooted ? '  [chroot]' : ''}`;
    // Only the highlighted row is padded: every drawn character costs Ink time per frame.
    return (
      <Text wrap="truncate">
        <C inverse={inverse} bold={selected}>
          {inverse ? fit(text, width) : truncate(text, width)}
        </C>
      </Text>
    );
  }
  const ns = row.ns;
  const rep = representative(ns);
  const cmd = rep ? commandOf(rep) : '(no processes: held by ' + (ns.holders.map((h) => h.kind).join(', ') || 'nothing visible') + ')';
  const hint = containerLabel(ns);
  // What people call it (a container's, a unit's, a lab role's name) leads, then the command.
  const name = ns.name ? sanitize(ns.name) : '';
  const label = name ? (cmd === name || cmd.startsWith(`${name} `) ? name : `${name}  ${cmd}`) : hint ? `${cmd}  ${hint}` : cmd;
  const head = `${cursor} ${ns.processes.length ? (row.unfolded ? '▾' : '▸') : ' '} ${String(ns.inode).padEnd(10)} `;
  const count = ` ${String(ns.processes.length).padStart(5)} `;
  const restW = Math.max(0, width - head.length - 4 - count.length);
  // "reading…" leads: a narrow pane cuts the end of the command, never the marker;
  // a name too long for the column loses its middle, not the end that tells it apart.
  const pre = reading ? 'reading… ' : '';
  const room = Math.max(0, restW - pre.length);
  const rest = (inverse ? fit : truncate)(pre + (name && displayWidth(name) > room ? elideMiddle(name, room) : label), restW);
  return (
    <Text wrap="truncate">
      <C inverse={inverse} bold={selected || changed} c={changed ? 'green' : undefined}>
        {head + flags.slice(0, 3)}
      </C>
      <C inverse={inverse} c="yellow" bold>
        {flags[3]}
      </C>
      <C inverse={inverse} bold={selected}>
        {count + rest}
      </C>
    </Text>
  );
});

function flagString(m: ReturnType<typeof namespaceMarks>, made: boolean): string {
  // `?`: whether this is the initial namespace can't be told (PID 1 unreadable).
  return (m.initial ? 'I' : m.initial === null ? '?' : ' ') + (made ? 'M' : m.held ? 'H' : ' ') + (m.chroot ? 'C' : ' ') + (m.leak ? '!' : ' ');
}

export interface NamespacePaneProps extends WindowProps<NamespaceRow> {
  user: (uid: number) => string;
  changed: (key: string) => boolean;
  /** Namespaces mntns made (flag M). */
  made: ReadonlyMap<number, number>;
  /** Namespaces whose table is being read. */
  reading?: ReadonlySet<number>;
  listing?: NsListing;
}

/** Draws only the visible window of rows: Ink lays out every child it is given. */
export function NamespacePane({ rows, cursor, top, height, width, focused, user, changed, made, reading, listing }: NamespacePaneProps): React.ReactElement {
  const visible = rows.slice(top, top + height);
  // The order and filter in use, in the header (htop shows its sort column).
  const how = [listing && listing.order !== 'inode' ? `by ${listing.order}` : '', listing?.warningsOnly ? 'warnings only' : ''].filter(Boolean).join(', ');
  return (
    <Pane width={width} height={height} header={`    INODE      FLAG PROCS ${width >= 41 ? 'NAME / COMMAND' : 'NAME'}${how ? `  [${how}]` : ''}`} focused={focused}>
      {visible.map((r, i) => (
        <Row
          key={r.key}
          row={r}
          selected={top + i === cursor}
          focused={focused}
          width={width}
          flags={r.kind === 'ns' ? flagString(namespaceMarks(r.ns), made.has(r.ns.inode)) : ''}
          user={user}
          changed={r.kind === 'ns' && changed(`ns:${r.ns.inode}`)}
          reading={r.kind === 'ns' && reading?.has(r.ns.inode)}
        />
      ))}
    </Pane>
  );
}
