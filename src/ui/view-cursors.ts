/**
 * The view's state and the cursor arithmetic every reducer step shares: cursors
 * kept by key (namespace inode, pid, mount id), scrolled as little as possible.
 */
import type { MountTree } from '../model/mount-tree.js';
import type { Mount, PropagationKind, Snapshot } from '../model/types.js';
import type { TreeRow } from '../format/tree-lines.js';
import { DEFAULT_LISTING, type NamespaceRow, type NsListing } from './view-model.js';
import type { Go } from './details.js';
import type { Command } from './keys/keymap.js';

export type Pane = 'namespaces' | 'mounts' | 'log';
export type Mode = 'normal' | 'search' | 'help' | 'details' | 'confirm' | 'findings' | 'changes' | 'map' | 'compare' | 'where' | 'unshare' | 'enter' | 'quit';

/** The modes that show lines in the right pane, scrolled with the movement keys. */
export const LINE_MODES: ReadonlySet<Mode> = new Set(['details', 'findings', 'changes', 'help', 'map', 'compare', 'where']);

/** A propagation change waiting for y/n. */
export interface PendingAction {
  inode: number;
  mountId: number;
  /** The mount as the dialog shows it: the action acts on exactly this one, or refuses. */
  shown: Mount;
  kind: PropagationKind;
  recursive: boolean;
  /** The view the question was asked from (the findings, say): answered or not, it comes back there. */
  from?: Mode;
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
  /** The event log shows process events too (hidden at first: mounts are what it is for). */
  logProcesses: boolean;
  /** The log pane's place: how many lines above the newest its last line is (0: it follows the newest). */
  logBack: number;
  /** Only log lines that match this (namespace, type, path, pid, who; smartcase), typed with `/` in the log pane. */
  logFilter: string;
  /** The log pane stands still (Space): new events wait. */
  logPaused: boolean;
  pending: PendingAction | null;
  /** The selected line of the right pane's lines (one that leads somewhere), or -1. */
  pick: number;
  /** Rows opened with Enter (the map's folds and links). */
  open: ReadonlySet<string>;
  /** The namespace the map is centred on, and those it was centred on before (← goes back). */
  mapCentre: number | null;
  mapBack: readonly number[];
  /** `d` marked this namespace as A; a second `d` on another compares them. */
  compareA: number | null;
  compareB: number | null;
  /** The where view: the filesystem (device) of the mount it was asked from. */
  where: { major: number; minor: number; target: string } | null;
  /** The namespace list's order and filter (`<` `>`, `!`). */
  listing: NsListing;
  /** The mount tree's lines whole and scrolled this many columns (Shift+→), or null: fitted to the pane. */
  wide: number | null;
  /** The mount tree names each mount relative to its parent (`t`). */
  relative: boolean;
  /** Where the cursors were when the search prompt opened (Esc goes back there). */
  searchFrom?: { nsKey: string | null; mountCursor: ReadonlyMap<number, number> } | null;
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
  /** How many lines the log has (after its filter). */
  logLength?: number;
  /** Where each line of the right pane leads (undefined: it does not). */
  gos?: ReadonlyArray<Go | undefined>;
  /** Columns by which the mount tree's whole lines (wide) are wider than its pane: how far they scroll. */
  wideRoom?: number;
}

export type Action =
  | { type: 'command'; command: Command; ctx: Ctx }
  | { type: 'searchType'; text: string; ctx?: Ctx }
  | { type: 'searchBackspace'; ctx?: Ctx }
  | { type: 'searchSubmit'; ctx: Ctx }
  | { type: 'select'; inode?: number; pid?: number; ctx: Ctx }
  | { type: 'message'; text: string | null }
  /** The wheel over a pane (`lines`: the right pane's lines, or the help): `delta` rows, + down. */
  | { type: 'wheel'; area: Area; delta: number; ctx: Ctx }
  /** A click on row `index` of an area, whose first row on screen is `top`. */
  | { type: 'click'; area: Area; index: number; top: number; ctx: Ctx };

/** Where on the screen the mouse is: a list pane, the right pane's lines (details, findings, …, help). */
export type Area = Pane | 'lines';

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
  logProcesses: false,
  logBack: 0,
  logFilter: '',
  logPaused: false,
  pending: null,
  pick: -1,
  open: new Set(),
  mapCentre: null,
  mapBack: [],
  compareA: null,
  compareB: null,
  where: null,
  listing: DEFAULT_LISTING,
  wide: null,
  relative: false,
};

export const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

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

export function withNsCursor(s: ViewState, rows: NamespaceRow[], index: number, height: number): ViewState {
  if (rows.length === 0) return s;
  const i = clamp(index, 0, rows.length - 1);
  return { ...s, nsKey: rows[i].key, nsIndexHint: i, nsTop: scrollTop(s.nsTop, i, height, rows.length), message: null };
}

export function withMountCursor(s: ViewState, ctx: Ctx, index: number, rows = ctx.mountRows): ViewState {
  if (ctx.inode === null || rows.length === 0) return s;
  const i = clamp(index, 0, rows.length - 1);
  const mountCursor = new Map(s.mountCursor);
  mountCursor.set(ctx.inode, rows[i].mount.id);
  return { ...s, mountCursor, mountTop: scrollTop(s.mountTop, i, ctx.listHeight, rows.length), message: null };
}

export function toggle<T>(set: ReadonlySet<T>, v: T, on?: boolean): Set<T> {
  const next = new Set(set);
  if (on ?? !next.has(v)) next.add(v);
  else next.delete(v);
  return next;
}

export function setFolded(s: ViewState, inode: number, ids: Set<number>): ViewState {
  const folded = new Map(s.folded);
  folded.set(inode, ids);
  return { ...s, folded };
}
