/**
 * The mount table's columns, once (findmnt's infos[] idea): their headers, how
 * a row's cell reads, how wide `--tree` lets them grow and from which pane
 * width the TUI shows them. `--tree` and the mount pane both draw from here.
 */
import type { Mount } from '../model/types.js';
import { propagationTags, type PropagationTag } from './propagation.js';
import { sanitize } from './sanitize.js';
import type { TreeRow } from './tree-lines.js';

export interface TextColumn {
  id: 'target' | 'fstype' | 'source';
  header: string;
  /** The cell's text, sanitised (the target with its tree connectors). */
  cell(row: TreeRow): string;
  /** `--tree` sizes a column to its widest cell, at least the header's 6, at most this. */
  treeMax: number;
  /** The pane shows the column from this pane width on (0: always). */
  paneFrom: number;
}

export const TEXT_COLUMNS: readonly TextColumn[] = [
  { id: 'target', header: 'TARGET', cell: (r) => r.prefix + sanitize(r.mount.target), treeMax: 60, paneFrom: 0 },
  { id: 'fstype', header: 'FSTYPE', cell: (r) => sanitize(r.mount.fstype), treeMax: 12, paneFrom: 70 },
  { id: 'source', header: 'SOURCE', cell: (r) => sourceText(r.mount), treeMax: 24, paneFrom: 90 },
];

/** `/dev/sda1[/srv/sub]`: the source with the fs root in brackets when it is not `/` (findmnt's SOURCE of a bind mount). */
export function sourceText(m: Mount): string {
  return sanitize(m.root === '/' ? m.source : `${m.source}[${m.root}]`);
}

/** The last column: propagation tags, each coloured by its kind (format/theme.ts TAG_COLOUR). */
export const PROPAGATION_COLUMN = { header: 'PROPAGATION', tags: (m: Mount): PropagationTag[] => propagationTags(m.propagation) };

export const columnById = (id: TextColumn['id']): TextColumn => TEXT_COLUMNS.find((c) => c.id === id)!;
