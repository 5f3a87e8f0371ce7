/** Right pane: the selected namespace's mount tree, findmnt-like, windowed. */
import type React from 'react';
import { memo, useMemo } from 'react';
import { Text } from 'ink';
import type { TreeRow } from '../../format/tree-lines.js';
import { PROPAGATION_COLUMN, columnById, sourceText } from '../../format/mount-columns.js';
import { TAG_COLOUR } from '../../format/theme.js';
import { displayWidth, elidePath, fit, sliceColumns } from '../../format/width.js';
import { sanitize } from '../../format/sanitize.js';
import type { Colour } from '../../format/theme.js';
import { C } from '../theme.js';
import { Pane, type WindowProps } from './Pane.js';

const [TARGET, FSTYPE, SOURCE] = (['target', 'fstype', 'source'] as const).map(columnById);

export interface Columns {
  target: number;
  fstype: number;
  source: number;
  tags: number;
}

const digits = (n: number): number => String(n).length;

/** Columns of a mount's propagation cell (`shared:N master:N propagate_from:N unbindable hidden `), counted without building it: a pane can hold 50,000 rows. */
function tagsWidth(m: TreeRow['mount']): number {
  const p = m.propagation;
  let w = 0;
  if (p.shared !== null) w += 8 + digits(p.shared);
  if (p.master !== null) w += 8 + digits(p.master);
  if (p.propagateFrom !== null) w += 16 + digits(p.propagateFrom);
  if (p.unbindable) w += 11;
  if (w === 0) w = 8; // private
  return w + (m.hidden ? 7 : 0);
}

/** The width the propagation column wants for `rows`: its widest cell (at most 40). */
export function tagsWanted(rows: TreeRow[]): number {
  let w = 0;
  for (const r of rows) w = Math.max(w, tagsWidth(r.mount));
  return Math.min(40, w);
}

/**
 * Column widths for a pane `width` wide: the propagation tags get what they
 * need first (up to 40 % of the pane; a tag is never dropped without a mark),
 * then SOURCE gives way before the target does.
 */
export function mountColumns(width: number, tagsNeed = 18): Columns {
  const fstype = width >= columnById('fstype').paneFrom ? 9 : 0;
  const tags = Math.max(10, Math.min(tagsNeed, Math.floor(width * 0.4)));
  let source = width >= columnById('source').paneFrom ? Math.min(22, Math.floor(width * 0.18)) : 0;
  const targetOf = (src: number): number => width - 2 - fstype - src - tags - (fstype ? 1 : 0) - (src ? 1 : 0) - 1;
  if (source && targetOf(source) < 24) source = Math.max(0, Math.min(source, targetOf(0) - 24 - 1));
  if (source > 0 && source < 8) source = 0;
  return { target: Math.max(8, targetOf(source)), fstype, source, tags };
}

/**
 * A mount's target as the tree names it under its parent (`t`): the part below
 * the parent's target (`mnt/live1` under `/srv`); the whole path where it is not
 * below it (a stack on the same path, a root).
 */
export function relativeName(target: string, parent: string | undefined): string {
  if (parent === undefined || target === parent) return target;
  if (parent === '/') return target.slice(1);
  return target.startsWith(`${parent}/`) ? target.slice(parent.length + 1) : target;
}

/** Each row's target by mount id, for naming rows relative to their parent (a row above them: an unfolded ancestor). */
export function targetsById(rows: readonly TreeRow[]): ReadonlyMap<number, string> {
  const targets = new Map<number, string>();
  for (const r of rows) targets.set(r.mount.id, r.mount.target);
  return targets;
}

/** What a row names its mount by, sanitised: its whole target, or (given the targets) relative to its parent's. */
export function rowName(r: TreeRow, targets: ReadonlyMap<number, string> | null): string {
  return sanitize(!targets || r.depth === 0 ? r.mount.target : relativeName(r.mount.target, targets.get(r.mount.parent)));
}

const folded = (r: TreeRow): string => (r.folded ? ' [+]' : '');
const tagsOf = (m: TreeRow['mount']): Array<{ text: string; colour: Colour }> => [
  ...PROPAGATION_COLUMN.tags(m).map((t) => ({ text: t.text, colour: TAG_COLOUR[t.kind] })),
  ...(m.hidden ? [{ text: 'hidden', colour: 'red' as const }] : []),
];

/** Whole lines (Shift+→): each column as wide as its widest cell, and how wide a line is then. */
export function wideColumns(rows: readonly TreeRow[], targets: ReadonlyMap<number, string> | null): Columns & { line: number } {
  let target = TARGET.header.length;
  let source = SOURCE.header.length;
  let fstype = FSTYPE.header.length;
  let tags = PROPAGATION_COLUMN.header.length;
  for (const r of rows) {
    target = Math.max(target, displayWidth(r.prefix) + displayWidth(rowName(r, targets)) + folded(r).length);
    source = Math.max(source, displayWidth(sourceText(r.mount)));
    fstype = Math.max(fstype, displayWidth(FSTYPE.cell(r)));
    tags = Math.max(tags, tagsWidth(r.mount));
  }
  return { target, fstype, source, tags, line: 2 + target + 1 + fstype + 1 + source + 1 + tags };
}

interface RowProps {
  row: TreeRow;
  selected: boolean;
  focused: boolean;
  cols: Columns;
  match: boolean;
  changed: boolean;
  /** A warning finding is about this mount. */
  flagged: boolean;
  /** Its target as the tree names it (whole, or relative to its parent), sanitised. */
  name: string;
  /** Whole lines, scrolled this many columns; null: fitted to the pane. */
  shift: number | null;
  width: number;
}

const Row = memo(function Row({ row, selected, focused, cols, match, changed, flagged, name, shift, width }: RowProps) {
  const m = row.mount;
  const inverse = selected && focused;
  const plainProps = { inverse, bold: selected || match || changed, dim: m.hidden && !selected, c: changed ? ('green' as const) : match ? ('magenta' as const) : undefined };
  const tags = tagsOf(m);
  const lead = `${selected ? '>' : ' '}${flagged ? '!' : ' '}`;
  if (shift !== null) {
    // Whole lines: nothing elided, nothing dropped; the window of them the pane shows.
    const plain = `${lead}${fit(row.prefix + name + folded(row), cols.target)} ${fit(FSTYPE.cell(row), cols.fstype)} ${fit(SOURCE.cell(row), cols.source)} `;
    const texts = [plain, ...tags.map((t) => t.text + ' ')];
    const shown = sliceColumns(texts, shift, width);
    const used = shown.reduce((n, t) => n + displayWidth(t), 0);
    return (
      <Text wrap="truncate">
        <C {...plainProps}>{shown[0]}</C>
        {tags.map((t, i) =>
          shown[i + 1] ? (
            <C key={t.text} inverse={inverse} c={t.colour}>
              {shown[i + 1]}
            </C>
          ) : null,
        )}
        {inverse ? <C inverse>{' '.repeat(Math.max(0, width - used))}</C> : null}
      </Text>
    );
  }
  // The end of a path tells mounts apart: cut it in the middle, never the tree's connectors.
  const room = cols.target - displayWidth(row.prefix) - folded(row).length;
  const target = fit(row.prefix + elidePath(name, room) + folded(row), cols.target);
  let tagText = '';
  const tagEls: React.ReactElement[] = [];
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i];
    const more = tags.length - i - 1;
    // A tag that does not fit is never dropped silently: `+N` says how many are left out.
    if (tagText.length + t.text.length + 1 + (more ? 3 : 0) > cols.tags) {
      const mark = `+${tags.length - i}`;
      tagEls.push(
        <C key="more" inverse={inverse} dim>
          {mark + ' '}
        </C>,
      );
      tagText += mark + ' ';
      break;
    }
    tagEls.push(
      <C key={t.text} inverse={inverse} c={t.colour}>
        {t.text + ' '}
      </C>,
    );
    tagText += t.text + ' ';
  }
  // One segment for the plain columns: each segment is a node Ink lays out and measures per frame.
  const plain = `${lead}${target}${cols.fstype ? ' ' + fit(FSTYPE.cell(row), cols.fstype) : ''}${cols.source ? ' ' + fit(SOURCE.cell(row), cols.source) : ''} `;
  return (
    <Text wrap="truncate">
      <C {...plainProps}>{plain}</C>
      {tagEls}
      {inverse ? <C inverse>{' '.repeat(Math.max(0, cols.tags - tagText.length))}</C> : null}
    </Text>
  );
});

export interface MountPaneProps extends WindowProps<TreeRow> {
  title: string;
  isMatch: (target: string) => boolean;
  changed: (mountId: number) => boolean;
  flagged: ReadonlySet<number>;
  /** Name each mount relative to its parent (`t`): the rows' targets by id; null: whole paths. */
  targets: ReadonlyMap<number, string> | null;
  /** Whole lines (Shift+→): their columns (wideColumns) and how far they are scrolled; null: fitted. */
  wide: { cols: Columns; shift: number } | null;
}

export function MountPane({ rows, cursor, top, height, width, focused, title, isMatch, changed, flagged, targets, wide }: MountPaneProps): React.ReactElement {
  // Stable per width, so memoised rows redraw only when their own props change.
  const need = useMemo(() => tagsWanted(rows), [rows]);
  const fitted = useMemo(() => mountColumns(width, need), [width, need]);
  const cols = wide?.cols ?? fitted;
  const visible = rows.slice(top, top + height);
  const headerLine = `  ${fit(TARGET.header, cols.target)}${cols.fstype ? ' ' + fit(FSTYPE.header, cols.fstype) : ''}${cols.source ? ' ' + fit(SOURCE.header, cols.source) : ''} ${PROPAGATION_COLUMN.header}`;
  const header = wide ? sliceColumns([headerLine], wide.shift, width)[0] : headerLine;
  return (
    <Pane width={width} height={height} header={rows.length ? header : ''} focused={focused}>
      {rows.length === 0 ? <Text wrap="truncate">{fit('  ' + title, width)}</Text> : null}
      {visible.map((r, i) => (
        <Row
          key={r.mount.id}
          row={r}
          selected={top + i === cursor}
          focused={focused}
          cols={cols}
          match={isMatch(r.mount.target)}
          changed={changed(r.mount.id)}
          flagged={flagged.has(r.mount.id)}
          name={rowName(r, targets)}
          shift={wide ? wide.shift : null}
          width={width}
        />
      ))}
    </Pane>
  );
}
