/** Right pane: the selected namespace's mount tree, findmnt-like, windowed. */
import type React from 'react';
import { memo, useMemo } from 'react';
import { Text } from 'ink';
import type { TreeRow } from '../../format/tree-lines.js';
import { PROPAGATION_COLUMN, columnById } from '../../format/mount-columns.js';
import { TAG_COLOUR } from '../../format/theme.js';
import { fit } from '../../format/width.js';
import { C } from '../theme.js';
import { Pane, type WindowProps } from './Pane.js';

const [TARGET, FSTYPE, SOURCE] = (['target', 'fstype', 'source'] as const).map(columnById);

export interface Columns {
  target: number;
  fstype: number;
  source: number;
  tags: number;
}

/** Column widths for a pane `width` wide: the target gets most, tags the rest. */
export function mountColumns(width: number): Columns {
  const fstype = width >= columnById('fstype').paneFrom ? 9 : 0;
  const source = width >= columnById('source').paneFrom ? Math.min(22, Math.floor(width * 0.18)) : 0;
  const tags = Math.min(30, Math.max(10, Math.floor(width * 0.25)));
  const target = Math.max(8, width - 2 - fstype - source - tags - (fstype ? 1 : 0) - (source ? 1 : 0) - 1);
  return { target, fstype, source, tags };
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
}

const Row = memo(function Row({ row, selected, focused, cols, match, changed, flagged }: RowProps) {
  const m = row.mount;
  const inverse = selected && focused;
  const folded = row.folded ? ' [+]' : '';
  const target = fit(TARGET.cell(row) + folded, cols.target);
  const tags = PROPAGATION_COLUMN.tags(m);
  let tagText = '';
  const tagEls: React.ReactElement[] = [];
  for (const t of tags) {
    if (tagText.length + t.text.length + 1 > cols.tags) break;
    tagEls.push(
      <C key={t.text} inverse={inverse} c={TAG_COLOUR[t.kind]}>
        {t.text + ' '}
      </C>,
    );
    tagText += t.text + ' ';
  }
  if (m.hidden && tagText.length + 7 <= cols.tags) {
    tagEls.push(
      <C key="hidden" inverse={inverse} c="red">
        hidden{' '}
      </C>,
    );
    tagText += 'hidden ';
  }
  // One segment for the plain columns: each segment is a node Ink lays out and measures per frame.
  const plain = `${selected ? '>' : ' '}${flagged ? '!' : ' '}${target}${cols.fstype ? ' ' + fit(FSTYPE.cell(row), cols.fstype) : ''}${cols.source ? ' ' + fit(SOURCE.cell(row), cols.source) : ''} `;
  return (
    <Text wrap="truncate">
      <C inverse={inverse} bold={selected || match || changed} dim={m.hidden && !selected} c={changed ? 'green' : match ? 'magenta' : undefined}>
        {plain}
      </C>
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
}

export function MountPane({ rows, cursor, top, height, width, focused, title, isMatch, changed, flagged }: MountPaneProps): React.ReactElement {
  // Stable per width, so memoised rows redraw only when their own props change.
  const cols = useMemo(() => mountColumns(width), [width]);
  const visible = rows.slice(top, top + height);
  const header = `  ${fit(TARGET.header, cols.target)}${cols.fstype ? ' ' + fit(FSTYPE.header, cols.fstype) : ''}${cols.source ? ' ' + fit(SOURCE.header, cols.source) : ''} ${PROPAGATION_COLUMN.header}`;
  return (
    <Pane width={width} height={height} header={rows.length ? header : ''} focused={focused}>
      {rows.length === 0 ? <Text wrap="truncate">{fit('  ' + title, width)}</Text> : null}
      {visible.map((r, i) => (
        <Row key={r.mount.id} row={r} selected={top + i === cursor} focused={focused} cols={cols} match={isMatch(r.mount.target)} changed={changed(r.mount.id)} flagged={flagged.has(r.mount.id)} />
      ))}
    </Pane>
  );
}
