/**
 * `mntns --tree`: each namespace, its processes, and a findmnt-like mount tree
 * with propagation. Every system string goes through the sanitiser.
 */
import { buildMountTree } from '../model/mount-tree.js';
import type { MountNamespace, Snapshot } from '../model/types.js';
import { commandOf, containerLabel, summariseErrors, nsId } from '../format/describe.js';
import { sanitize } from '../format/sanitize.js';
import { TAG_COLOUR, paint } from '../format/theme.js';
import { fit, widthUpTo } from '../format/width.js';
import { flattenTree } from '../format/tree-lines.js';
import { PROPAGATION_COLUMN, TEXT_COLUMNS } from '../format/mount-columns.js';

function header(ns: MountNamespace): string[] {
  const marks = [ns.initial ? 'initial' : ns.initial === null ? 'initial: unknown' : '', containerLabel(ns), ns.processes.length === 0 ? 'no processes' : ''].filter(Boolean).map((s) => `[${s}]`);
  const lines = [
    `${nsId(ns.inode)} ${ns.processes.length} process${ns.processes.length === 1 ? '' : 'es'}${marks.length ? ' ' + marks.join(' ') : ''}${ns.readVia !== null ? `  read via pid ${ns.readVia}` : ''}`,
  ];
  const procs = ns.processes.filter((p) => !p.kernel);
  const kernel = ns.processes.length - procs.length;
  for (const p of procs.slice(0, 5)) lines.push(`  ${String(p.pid).padStart(7)} ${commandOf(p)}${p.chrooted ? `  (chroot ${sanitize(p.rootPath ?? '?')})` : ''}`);
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

/** Renders the snapshot as text; `colour` adds SGR colours to propagation tags. */
export function renderTree(snap: Snapshot, colour: boolean): string {
  const out: string[] = [];
  for (const ns of snap.namespaces) {
    if (out.length) out.push('');
    out.push(...header(ns));
    if (ns.mounts.length === 0) {
      out.push('  (mounts not readable)');
      continue;
    }
    const rows = flattenTree(buildMountTree(ns.mounts)).map((r) => ({ cells: TEXT_COLUMNS.map((c) => c.cell(r)), mount: r.mount }));
    // A loop, not Math.max(...rows): a huge table is past the argument limit.
    const widths = TEXT_COLUMNS.map((c) => c.header.length);
    for (const r of rows) TEXT_COLUMNS.forEach((c, i) => (widths[i] = Math.max(widths[i], Math.min(c.treeMax, widthUpTo(r.cells[i], c.treeMax)))));
    out.push([...TEXT_COLUMNS.map((c, i) => fit(c.header, widths[i])), PROPAGATION_COLUMN.header].join(' '));
    for (const r of rows) {
      const tags = PROPAGATION_COLUMN.tags(r.mount)
        .map((t) => paint(t.text, TAG_COLOUR[t.kind], colour))
        .join(' ');
      out.push(`${r.cells.map((cell, i) => fit(cell, widths[i])).join(' ')} ${tags}${r.mount.hidden ? ' (hidden)' : ''}`);
    }
    for (const e of ns.mountErrors) out.push(`  malformed mountinfo line ${e.line}: ${e.reason}`);
  }
  if (snap.errors.length) {
    out.push('', summariseErrors(snap));
  }
  return out.join('\n') + '\n';
}
