/**
 * `mntns --tree`: each namespace, its processes, and a findmnt-like mount tree
 * with propagation — findmnt's habits: `-o` picks the columns, `--list` drops
 * the tree for full paths, SOURCE carries the fs root in brackets. Processes
 * show their program only (argv can hold secrets) unless `--verbose`. Every
 * system string goes through the sanitiser.
 */
import { buildMountTree } from '../model/mount-tree.js';
import type { MountNamespace, Snapshot } from '../model/types.js';
import { commandOf, containerLabel, shortCommandOf, summariseErrors, nsId } from '../format/describe.js';
import { sanitize } from '../format/sanitize.js';
import { TAG_COLOUR, paint } from '../format/theme.js';
import { fit, widthUpTo } from '../format/width.js';
import { flattenTree, type TreeRow } from '../format/tree-lines.js';
import { columnById, sourceText } from '../format/mount-columns.js';
import { propagationTags } from '../format/propagation.js';
import type { Mount } from '../model/types.js';

function header(ns: MountNamespace, verbose: boolean): string[] {
  const marks = [ns.initial ? 'initial' : ns.initial === null ? 'initial: unknown' : '', containerLabel(ns), ns.processes.length === 0 ? 'no processes' : ''].filter(Boolean).map((s) => `[${s}]`);
  const lines = [
    `${nsId(ns.inode)} ${ns.processes.length} process${ns.processes.length === 1 ? '' : 'es'}${marks.length ? ' ' + marks.join(' ') : ''}${ns.readVia !== null ? `  read via pid ${ns.readVia}` : ''}`,
  ];
  const procs = ns.processes.filter((p) => !p.kernel);
  const kernel = ns.processes.length - procs.length;
  for (const p of procs.slice(0, 5))
    lines.push(`  ${String(p.pid).padStart(7)} ${sanitize(p.comm).padEnd(15)} ${verbose ? commandOf(p) : shortCommandOf(p)}${p.chrooted ? `  (chroot ${sanitize(p.rootPath ?? '?')})` : ''}`);
  if (procs.length > 5) lines.push(`          … and ${procs.length - 5} more`);
  if (kernel) lines.push(`          ${kernel} kernel thread${kernel === 1 ? '' : 's'}`);
  for (const h of ns.holders) {
    lines.push(h.kind === 'bind' ? `  held by bind mount ${sanitize(h.path)} (in ${nsId(h.ns)})` : `  held by fd ${h.fd} of pid ${h.pid}`);
  }
  for (const f of ns.findings) {
    lines.push(`  ${f.severity === 'warning' ? '!' : 'i'} ${f.code}: ${sanitize(f.message)}`);
    if (f.fix) lines.push(`    fix: ${sanitize(f.fix)}`);
  }
  return lines;
}

/** A `--tree` column: findmnt's name for it, how wide it may grow, its cell. */
interface TreeColumn {
  id: string;
  max: number;
  cell(r: TreeRow, list: boolean): string;
}

const rawCell =
  (f: (m: Mount) => string): TreeColumn['cell'] =>
  (r) =>
    f(r.mount);
export const TREE_COLUMNS: readonly TreeColumn[] = [
  { id: 'TARGET', max: columnById('target').treeMax, cell: (r, list) => (list ? sanitize(r.mount.target) : columnById('target').cell(r)) },
  { id: 'SOURCE', max: columnById('source').treeMax, cell: rawCell(sourceText) },
  { id: 'FSTYPE', max: columnById('fstype').treeMax, cell: rawCell((m) => sanitize(m.fstype)) },
  { id: 'OPTIONS', max: 40, cell: rawCell((m) => sanitize(m.options)) },
  { id: 'FS-OPTIONS', max: 40, cell: rawCell((m) => sanitize(m.superOptions)) },
  { id: 'FSROOT', max: 40, cell: rawCell((m) => sanitize(m.root)) },
  { id: 'ID', max: 10, cell: rawCell((m) => String(m.id)) },
  { id: 'PARENT', max: 10, cell: rawCell((m) => String(m.parent)) },
  { id: 'MAJ:MIN', max: 12, cell: rawCell((m) => `${m.major}:${m.minor}`) },
  {
    id: 'PROPAGATION',
    max: 60,
    cell: rawCell((m) =>
      propagationTags(m.propagation)
        .map((t) => t.text)
        .join(' '),
    ),
  },
];
export const DEFAULT_TREE_COLUMNS = ['TARGET', 'FSTYPE', 'SOURCE', 'PROPAGATION'];

export interface TreeOptions {
  /** findmnt -o: these columns, in this order (names as TREE_COLUMNS has them). */
  columns?: string[];
  /** findmnt --list: full paths, no tree. */
  list?: boolean;
  /** Each process's whole command line (it can hold secrets: off by default). */
  verbose?: boolean;
}

/** A propagation cell in colour, each tag in its own (the plain text sized it). */
function paintTags(m: Mount, width: number): string {
  const tags = propagationTags(m.propagation);
  const plain = tags.map((t) => t.text).join(' ');
  return tags.map((t) => paint(t.text, TAG_COLOUR[t.kind], true)).join(' ') + ' '.repeat(Math.max(0, width - plain.length));
}

/** Renders the snapshot as text; `colour` adds SGR colours to propagation tags. */
export function renderTree(snap: Snapshot, colour: boolean, opts: TreeOptions = {}): string {
  const cols = (opts.columns ?? DEFAULT_TREE_COLUMNS).map((id) => TREE_COLUMNS.find((c) => c.id === id)!);
  const out: string[] = [];
  for (const ns of snap.namespaces) {
    if (out.length) out.push('');
    out.push(...header(ns, opts.verbose === true));
    if (ns.mounts.length === 0) {
      out.push('  (mounts not readable)');
      continue;
    }
    const rows = flattenTree(buildMountTree(ns.mounts)).map((r) => ({ cells: cols.map((c) => c.cell(r, opts.list === true)), mount: r.mount }));
    // A loop, not Math.max(...rows): a huge table is past the argument limit. The last column is not padded.
    const widths = cols.map((c) => c.id.length);
    for (const r of rows) cols.forEach((c, i) => (widths[i] = Math.max(widths[i], Math.min(c.max, widthUpTo(r.cells[i], c.max)))));
    const last = cols.length - 1;
    out.push(cols.map((c, i) => (i === last ? c.id : fit(c.id, widths[i]))).join(' '));
    for (const r of rows) {
      const cells = r.cells.map((cell, i) => (cols[i].id === 'PROPAGATION' && colour ? paintTags(r.mount, i === last ? 0 : widths[i]) : i === last ? cell : fit(cell, widths[i])));
      out.push(`${cells.join(' ')}${r.mount.hidden ? ' (hidden)' : ''}`);
    }
    for (const e of ns.mountErrors) out.push(`  malformed mountinfo line ${e.line}: ${e.reason}`);
  }
  if (snap.errors.length) {
    out.push('', summariseErrors(snap));
  }
  return out.join('\n') + '\n';
}
