/** Search in the TUI: the one matcher (the `/` prompt, n/N, the match marks in the mount pane) and the step to the next match. */
import { flattenTree } from '../format/tree-lines.js';
import { namespaceRows, type NamespaceRow } from './view-model.js';
import { nsIndex, setFolded, toggle, withMountCursor, withNsCursor, type Ctx, type Pane, type ViewState } from './view-cursors.js';

/** Case-insensitive unless the query has a capital letter (smartcase, as in less and vim). */
export function smartcase(text: string): (hay: string) => boolean {
  const sensitive = text !== text.toLowerCase();
  const needle = sensitive ? text : text.toLowerCase();
  return (hay) => (sensitive ? hay : hay.toLowerCase()).includes(needle);
}

/** Text without control characters (C0, DEL, C1): what may go into the prompt. */
export const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');

function nsRowText(r: NamespaceRow): string {
  if (r.kind === 'ns')
    return `${r.ns.inode} ${r.ns.processes
      .slice(0, 3)
      .map((p) => p.comm)
      .join(' ')}`;
  return `${r.proc.pid} ${r.proc.comm} ${r.proc.cmdline.join(' ')}`;
}

/** The next (dir 1) or previous match of the last query from the cursor, wrapping; the state with the cursor on it. */
export function find(s: ViewState, ctx: Ctx, dir: 1 | -1, fromNext: boolean): ViewState {
  const q = s.query;
  if (!q || q.text === '') return { ...s, message: 'no search yet: press / to search' };
  const match = smartcase(q.text);
  const fail = { ...s, message: `no match for "${q.text}"` };
  if (q.pane === 'namespaces') {
    if (!ctx.snapshot) return fail;
    // Search processes in folded namespaces too: unfold the one that matches.
    const all = namespaceRows(ctx.snapshot, new Set(ctx.snapshot.namespaces.map((n) => n.inode)), s.listing);
    const cur = ctx.nsRows[nsIndex(s, ctx.nsRows)];
    const start = Math.max(
      0,
      all.findIndex((r) => r.key === cur?.key),
    );
    for (let k = fromNext ? 1 : 0; k <= all.length; k++) {
      const at = start + dir * k;
      const r = all[((at % all.length) + all.length) % all.length];
      if (!match(nsRowText(r))) continue;
      const unfoldedNs = r.kind === 'proc' ? toggle(s.unfoldedNs, r.ns.inode, true) : s.unfoldedNs;
      const rows = namespaceRows(ctx.snapshot, unfoldedNs, s.listing);
      const next = { ...s, pane: 'namespaces' as Pane, unfoldedNs };
      return {
        ...withNsCursor(
          next,
          rows,
          rows.findIndex((x) => x.key === r.key),
          ctx.listHeight,
        ),
        message: fromNext ? wrapped(at, all.length) : null,
      };
    }
    return fail;
  }
  if (!ctx.tree || ctx.inode === null) return fail;
  const all = flattenTree(ctx.tree);
  const curId = s.mountCursor.get(ctx.inode);
  const start = Math.max(
    0,
    all.findIndex((r) => r.mount.id === curId),
  );
  for (let k = fromNext ? 1 : 0; k <= all.length; k++) {
    const at = start + dir * k;
    const r = all[((at % all.length) + all.length) % all.length];
    if (!match(r.mount.target)) continue;
    // Unfold every folded ancestor so the match is on screen.
    const folded = new Set(s.folded.get(ctx.inode) ?? []);
    for (let p = ctx.tree.byId.get(r.mount.parent); p && p.id !== r.mount.id; p = ctx.tree.byId.get(p.parent)) {
      folded.delete(p.id);
      if (p.parent === p.id) break;
    }
    const next = setFolded({ ...s, pane: 'mounts' }, ctx.inode, folded);
    const rows = flattenTree(ctx.tree, folded);
    const moved = withMountCursor(
      next,
      ctx,
      rows.findIndex((x) => x.mount.id === r.mount.id),
      rows,
    );
    return fromNext ? { ...moved, message: wrapped(at, all.length) } : moved;
  }
  return fail;
}

/** n past the last match says so, as less and vim do. */
function wrapped(at: number, length: number): string | null {
  if (at >= length) return 'search hit the bottom, went on from the top';
  if (at < 0) return 'search hit the top, went on from the bottom';
  return null;
}

/** How many rows of the focused pane `text` matches (folded processes and mounts included). */
export function countMatches(pane: Pane, text: string, ctx: Ctx, s: ViewState): number {
  if (text === '') return 0;
  const match = smartcase(text);
  if (pane === 'namespaces') {
    if (!ctx.snapshot) return 0;
    return namespaceRows(ctx.snapshot, new Set(ctx.snapshot.namespaces.map((n) => n.inode)), s.listing).filter((r) => match(nsRowText(r))).length;
  }
  return ctx.tree ? flattenTree(ctx.tree).filter((r) => match(r.mount.target)).length : 0;
}
