/**
 * What the user is looking at: focused pane, cursors, folds, search, overlays.
 * A pure reducer: every action carries the rows it acts on, so it is unit-tested
 * without Ink. Cursors are kept by key (namespace inode, pid, mount id), never by
 * index, so the selection stays put when a refresh adds or removes rows.
 */
import type { MountTree } from '../model/mount-tree.js';
import type { Mount, PropagationKind, Snapshot } from '../model/types.js';
import { flattenTree, type TreeRow } from '../format/tree-lines.js';
import { namespaceRows, type NamespaceRow } from './view-model.js';
import { PROPAGATION_COMMANDS, type Command } from './keys/keymap.js';
import { smartcase } from './search.js';

export type Pane = 'namespaces' | 'mounts';
export type Mode = 'normal' | 'search' | 'help' | 'details' | 'confirm' | 'findings' | 'unshare' | 'enter' | 'quit';

/** A propagation change waiting for y/n. */
export interface PendingAction {
  inode: number;
  mountId: number;
  /** The mount as the dialog shows it: the action acts on exactly this one, or refuses. */
  shown: Mount;
  kind: PropagationKind;
  recursive: boolean;
}

export interface ViewState {
  pane: Pane;
  mode: Mode;
  nsKey: string | null;
  /** Where the cursor was, for when its row disappears. */
  nsIndexHint: number;
  nsTop: number;
  /** Per namespace, the mount under the cursor. */
  mountCursor: ReadonlyMap<number, number>;
  mountTop: number;
  unfoldedNs: ReadonlySet<number>;
  folded: ReadonlyMap<number, ReadonlySet<number>>;
  searchInput: string;
  query: { pane: Pane; text: string } | null;
  detailsTop: number;
  message: string | null;
  showLog: boolean;
  pending: PendingAction | null;
}

/** What an action needs to know about the screen it acts on. */
export interface Ctx {
  snapshot: Snapshot | null;
  nsRows: NamespaceRow[];
  mountRows: TreeRow[];
  tree: MountTree | null;
  /** Inode of the selected namespace. */
  inode: number | null;
  listHeight: number;
  detailsLength: number;
  /** Why actions refuse (--readonly, not root), or nothing when they work. */
  actionsOff?: string | null;
  /** How many namespaces mntns made (q asks whether to keep them). */
  made?: number;
}

export type Action =
  | { type: 'command'; command: Command; ctx: Ctx }
  | { type: 'searchType'; text: string }
  | { type: 'searchBackspace' }
  | { type: 'searchSubmit'; ctx: Ctx }
  | { type: 'select'; inode?: number; pid?: number; ctx: Ctx }
  | { type: 'message'; text: string | null };

export const initialView: ViewState = {
  pane: 'namespaces',
  mode: 'normal',
  nsKey: null,
  nsIndexHint: 0,
  nsTop: 0,
  mountCursor: new Map(),
  mountTop: 0,
  unfoldedNs: new Set(),
  folded: new Map(),
  searchInput: '',
  query: null,
  detailsTop: 0,
  message: null,
  showLog: false,
  pending: null,
};

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

/** Index of the namespace-pane cursor in `rows`. */
export function nsIndex(s: ViewState, rows: NamespaceRow[]): number {
  if (rows.length === 0) return 0;
  const i = s.nsKey === null ? -1 : rows.findIndex((r) => r.key === s.nsKey);
  return i >= 0 ? i : clamp(s.nsIndexHint, 0, rows.length - 1);
}

/** Index of the mount-pane cursor in `rows` for namespace `inode`. */
export function mountIndex(s: ViewState, rows: TreeRow[], inode: number | null): number {
  if (inode === null || rows.length === 0) return 0;
  const id = s.mountCursor.get(inode);
  const i = id === undefined ? -1 : rows.findIndex((r) => r.mount.id === id);
  return i >= 0 ? i : 0;
}

/** The first visible row so that `index` is on screen, moving as little as possible. */
export function scrollTop(top: number, index: number, height: number, length: number): number {
  const h = Math.max(1, height);
  let t = top;
  if (index < t) t = index;
  if (index >= t + h) t = index - h + 1;
  return clamp(t, 0, Math.max(0, length - h));
}

function withNsCursor(s: ViewState, rows: NamespaceRow[], index: number, height: number): ViewState {
  if (rows.length === 0) return s;
  const i = clamp(index, 0, rows.length - 1);
  return { ...s, nsKey: rows[i].key, nsIndexHint: i, nsTop: scrollTop(s.nsTop, i, height, rows.length), message: null };
}

function withMountCursor(s: ViewState, ctx: Ctx, index: number, rows = ctx.mountRows): ViewState {
  if (ctx.inode === null || rows.length === 0) return s;
  const i = clamp(index, 0, rows.length - 1);
  const mountCursor = new Map(s.mountCursor);
  mountCursor.set(ctx.inode, rows[i].mount.id);
  return { ...s, mountCursor, mountTop: scrollTop(s.mountTop, i, ctx.listHeight, rows.length), message: null };
}

function toggle<T>(set: ReadonlySet<T>, v: T, on?: boolean): Set<T> {
  const next = new Set(set);
  if (on ?? !next.has(v)) next.add(v);
  else next.delete(v);
  return next;
}

function setFolded(s: ViewState, inode: number, ids: Set<number>): ViewState {
  const folded = new Map(s.folded);
  folded.set(inode, ids);
  return { ...s, folded };
}

function move(s: ViewState, ctx: Ctx, delta: number | 'top' | 'bottom'): ViewState {
  if (s.mode === 'details' || s.mode === 'findings' || s.mode === 'help') {
    const max = Math.max(0, ctx.detailsLength - ctx.listHeight);
    const top = delta === 'top' ? 0 : delta === 'bottom' ? max : clamp(s.detailsTop + delta, 0, max);
    return { ...s, detailsTop: top };
  }
  if (s.pane === 'namespaces') {
    const i = nsIndex(s, ctx.nsRows);
    const to = delta === 'top' ? 0 : delta === 'bottom' ? ctx.nsRows.length - 1 : i + delta;
    return withNsCursor(s, ctx.nsRows, to, ctx.listHeight);
  }
  const i = mountIndex(s, ctx.mountRows, ctx.inode);
  const to = delta === 'top' ? 0 : delta === 'bottom' ? ctx.mountRows.length - 1 : i + delta;
  return withMountCursor(s, ctx, to);
}

function foldCommand(s: ViewState, ctx: Ctx, how: 'toggle' | 'fold' | 'unfold'): ViewState {
  if (s.pane === 'namespaces') {
    const row = ctx.nsRows[nsIndex(s, ctx.nsRows)];
    if (!row) return s;
    if (row.kind === 'proc') {
      if (how === 'unfold') return s;
      // Folding from a process row closes its namespace and lands on it.
      const rows = ctx.nsRows.filter((r) => r.kind === 'ns' || r.ns !== row.ns);
      const next = { ...s, unfoldedNs: toggle(s.unfoldedNs, row.ns.inode, false) };
      return withNsCursor(next, rows, rows.findIndex((r) => r.key === `ns:${row.ns.inode}`), ctx.listHeight);
    }
    const open = how === 'toggle' ? !row.unfolded : how === 'unfold';
    const next = { ...s, unfoldedNs: toggle(s.unfoldedNs, row.ns.inode, open), nsKey: row.key };
    if (!open) return next;
    // Unfolding the last rows of the window: scroll so the processes show (as
    // many as fit below the namespace, which stays on screen).
    const i = nsIndex(s, ctx.nsRows);
    const last = i + Math.min(row.ns.processes.length, Math.max(0, ctx.listHeight - 1));
    return { ...next, nsTop: scrollTop(scrollTop(s.nsTop, last, ctx.listHeight, ctx.nsRows.length + row.ns.processes.length), i, ctx.listHeight, ctx.nsRows.length + row.ns.processes.length) };
  }
  if (ctx.inode === null) return s;
  const i = mountIndex(s, ctx.mountRows, ctx.inode);
  const row = ctx.mountRows[i];
  if (!row) return s;
  const folded = s.folded.get(ctx.inode) ?? new Set<number>();
  if (how === 'fold' && (!row.hasChildren || row.folded)) {
    // Nothing to fold here: go to the parent, as tree views do.
    for (let j = i - 1; j >= 0; j--) if (ctx.mountRows[j].depth < row.depth) return withMountCursor(s, ctx, j);
    return s;
  }
  if (!row.hasChildren) return s;
  const fold = how === 'toggle' ? !row.folded : how === 'fold';
  return setFolded(s, ctx.inode, toggle(folded, row.mount.id, fold));
}

function nsRowText(r: NamespaceRow): string {
  if (r.kind === 'ns') return `${r.ns.inode} ${r.ns.processes.slice(0, 3).map((p) => p.comm).join(' ')}`;
  return `${r.proc.pid} ${r.proc.comm} ${r.proc.cmdline.join(' ')}`;
}

function find(s: ViewState, ctx: Ctx, dir: 1 | -1, fromNext: boolean): ViewState {
  const q = s.query;
  if (!q || q.text === '') return { ...s, message: 'no search yet: press / to search' };
  const match = smartcase(q.text);
  const fail = { ...s, message: `no match for "${q.text}"` };
  if (q.pane === 'namespaces') {
    if (!ctx.snapshot) return fail;
    // Search processes in folded namespaces too: unfold the one that matches.
    const all = namespaceRows(ctx.snapshot, new Set(ctx.snapshot.namespaces.map((n) => n.inode)));
    const cur = ctx.nsRows[nsIndex(s, ctx.nsRows)];
    const start = Math.max(0, all.findIndex((r) => r.key === cur?.key));
    for (let k = fromNext ? 1 : 0; k <= all.length; k++) {
      const r = all[(((start + dir * k) % all.length) + all.length) % all.length];
      if (!match(nsRowText(r))) continue;
      const unfoldedNs = r.kind === 'proc' ? toggle(s.unfoldedNs, r.ns.inode, true) : s.unfoldedNs;
      const rows = namespaceRows(ctx.snapshot, unfoldedNs);
      const next = { ...s, pane: 'namespaces' as Pane, unfoldedNs };
      return { ...withNsCursor(next, rows, rows.findIndex((x) => x.key === r.key), ctx.listHeight), message: null };
    }
    return fail;
  }
  if (!ctx.tree || ctx.inode === null) return fail;
  const all = flattenTree(ctx.tree);
  const curId = s.mountCursor.get(ctx.inode);
  const start = Math.max(0, all.findIndex((r) => r.mount.id === curId));
  for (let k = fromNext ? 1 : 0; k <= all.length; k++) {
    const r = all[(((start + dir * k) % all.length) + all.length) % all.length];
    if (!match(r.mount.target)) continue;
    // Unfold every folded ancestor so the match is on screen.
    const folded = new Set(s.folded.get(ctx.inode) ?? []);
    for (let p = ctx.tree.byId.get(r.mount.parent); p && p.id !== r.mount.id; p = ctx.tree.byId.get(p.parent)) {
      folded.delete(p.id);
      if (p.parent === p.id) break;
    }
    const next = setFolded({ ...s, pane: 'mounts' }, ctx.inode, folded);
    const rows = flattenTree(ctx.tree, folded);
    return withMountCursor(next, ctx, rows.findIndex((x) => x.mount.id === r.mount.id), rows);
  }
  return fail;
}

export function reduce(s: ViewState, a: Action): ViewState {
  switch (a.type) {
    case 'message':
      return { ...s, message: a.text };
    case 'searchType':
      return { ...s, searchInput: s.searchInput + a.text };
    case 'searchBackspace':
      return { ...s, searchInput: [...s.searchInput].slice(0, -1).join('') };
    case 'searchSubmit': {
      const next = { ...s, mode: 'normal' as Mode, query: s.searchInput ? { pane: s.pane, text: s.searchInput } : s.query };
      // Like less and vim: the search starts after the cursor and wraps.
      return s.searchInput ? find(next, a.ctx, 1, true) : next;
    }
    case 'select': {
      const { ctx } = a;
      if (!ctx.snapshot) return s;
      let inode = a.inode;
      if (a.pid !== undefined) inode = ctx.snapshot.namespaces.find((n) => n.processes.some((p) => p.pid === a.pid))?.inode;
      if (inode === undefined) return { ...s, message: a.pid !== undefined ? `no process ${a.pid}` : `no namespace ${a.inode}` };
      const rows = namespaceRows(ctx.snapshot, s.unfoldedNs);
      return withNsCursor(s, rows, rows.findIndex((r) => r.key === `ns:${inode}`), ctx.listHeight);
    }
    case 'command':
      return command(s, a.command, a.ctx);
  }
}

function command(s: ViewState, c: Command, ctx: Ctx): ViewState {
  const page = Math.max(1, ctx.listHeight - 1);
  switch (c) {
    case 'up': return move(s, ctx, -1);
    case 'down': return move(s, ctx, 1);
    case 'pageUp': return move(s, ctx, -page);
    case 'pageDown': return move(s, ctx, page);
    case 'top': return move(s, ctx, 'top');
    case 'bottom': return move(s, ctx, 'bottom');
    case 'switchPane': return s.mode === 'normal' ? { ...s, pane: s.pane === 'namespaces' ? 'mounts' : 'namespaces', message: null } : s;
    case 'toggleFold': return s.mode === 'normal' ? foldCommand(s, ctx, 'toggle') : s;
    case 'fold': return s.mode === 'normal' ? foldCommand(s, ctx, 'fold') : s;
    case 'unfold': return s.mode === 'normal' ? foldCommand(s, ctx, 'unfold') : s;
    case 'details':
      if (s.mode !== 'normal') return s;
      if (s.pane === 'namespaces') return { ...s, pane: 'mounts' };
      return ctx.mountRows.length ? { ...s, mode: 'details', detailsTop: 0 } : s;
    case 'back':
      if (s.mode !== 'normal') return { ...s, mode: 'normal', searchInput: '', pending: null };
      if (s.pane === 'mounts') return { ...s, pane: 'namespaces' };
      return { ...s, message: null };
    case 'search': return { ...s, mode: 'search', searchInput: '' };
    case 'next': return find(s, ctx, 1, true);
    case 'prev': return find(s, ctx, -1, true);
    case 'help': return s.mode === 'help' ? { ...s, mode: 'normal' } : { ...s, mode: 'help', detailsTop: 0 };
    case 'log': return { ...s, showLog: !s.showLog };
    case 'findings': return s.mode === 'findings' ? { ...s, mode: 'normal' } : s.mode === 'normal' || s.mode === 'details' ? { ...s, mode: 'findings', detailsTop: 0 } : s;
    case 'private': case 'rprivate': case 'shared': case 'rshared':
    case 'slave': case 'rslave': case 'unbindable': case 'runbindable': {
      if (s.mode !== 'normal' && s.mode !== 'details') return s;
      if (ctx.actionsOff) return { ...s, message: ctx.actionsOff };
      const row = ctx.mountRows[mountIndex(s, ctx.mountRows, ctx.inode)];
      if (ctx.inode === null || !row) return { ...s, message: 'select a mount first (Tab to the mount pane)' };
      if (s.pane !== 'mounts' && s.mode !== 'details') return { ...s, message: 'propagation keys act on the selected mount: Tab to the mount pane' };
      return { ...s, mode: 'confirm', pending: { inode: ctx.inode, mountId: row.mount.id, shown: row.mount, ...PROPAGATION_COMMANDS[c] } };
    }
    case 'enter':
      if (s.mode !== 'normal' && s.mode !== 'details') return s;
      if (ctx.actionsOff) return { ...s, message: ctx.actionsOff };
      return ctx.inode === null ? s : { ...s, mode: 'enter' };
    case 'unshare':
      if (s.mode !== 'normal') return s;
      if (ctx.actionsOff) return { ...s, message: ctx.actionsOff };
      return ctx.inode === null ? s : { ...s, mode: 'unshare' };
    case 'quit':
      // Namespaces mntns made: ask whether to keep them (the default ends them).
      return (ctx.made ?? 0) > 0 && s.mode !== 'quit' ? { ...s, mode: 'quit' } : s;
    case 'rediscover':
    case 'end':
    case 'suspend':
      return s; // side effects: handled by the app
  }
}
