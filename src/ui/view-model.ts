/**
 * Pure derivations the panes draw from: namespace rows (with unfolded
 * processes), per-namespace markers, and the per-snapshot propagation index.
 * Memoised by the hooks that call them; nothing here touches Ink or /proc.
 */
import { buildMountTree, type MountTree } from '../model/mount-tree.js';
import { indexOfGroups, linkPeerGroups, type PropagationIndex } from '../model/peer-groups.js';
import { nsId, nsLabel } from '../format/describe.js';
import type { MountNamespace, Process, Snapshot } from '../model/types.js';
import { KEEPER_NAME } from '../proc/holders.js';

export interface SnapshotIndex {
  byInode: Map<number, MountNamespace>;
  propagation: PropagationIndex;
  trees: Map<number, MountTree>;
}

// A live snapshot that only changed processes keeps its peerGroups array and its
// namespaces' mounts arrays: key the costly parts on those, not on the snapshot.
const linkCache = new WeakMap<object, PropagationIndex>();
const treeCache = new WeakMap<object, MountTree>();

/** Builds the lookups every pane needs once per snapshot. Trees are built lazily. */
export function indexSnapshot(snap: Snapshot): SnapshotIndex {
  const byInode = new Map(snap.namespaces.map((ns) => [ns.inode, ns]));
  // The watcher's own index when the list is the one it linked (indexOfGroups), else linked here.
  let propagation = linkCache.get(snap.peerGroups) ?? indexOfGroups(snap.peerGroups);
  if (!propagation) linkCache.set(snap.peerGroups, (propagation = linkPeerGroups(snap.namespaces)));
  return { byInode, propagation, trees: new Map() };
}

/** The mount tree of a namespace, built on first use and kept while its table is the same. */
export function treeOf(index: SnapshotIndex, inode: number): MountTree | null {
  let t = index.trees.get(inode);
  if (!t) {
    const ns = index.byInode.get(inode);
    if (!ns) return null;
    t = treeCache.get(ns.mounts) ?? buildMountTree(ns.mounts);
    treeCache.set(ns.mounts, t);
    index.trees.set(inode, t);
  }
  return t;
}

export type NamespaceRow = { kind: 'ns'; key: string; ns: MountNamespace; unfolded: boolean } | { kind: 'proc'; key: string; ns: MountNamespace; proc: Process; last: boolean };

/** The namespace list's order (htop's F6, `<` / `>`): the initial namespace always first. */
export type NsOrder = 'inode' | 'name' | 'processes' | 'mounts' | 'warnings';
export const NS_ORDERS: readonly NsOrder[] = ['inode', 'name', 'processes', 'mounts', 'warnings'];

/** How the namespace list is ordered and narrowed. */
export interface NsListing {
  order: NsOrder;
  /** Only namespaces with a warning finding (and the initial one). */
  warningsOnly: boolean;
}
export const DEFAULT_LISTING: NsListing = { order: 'inode', warningsOnly: false };

const warnings = (ns: MountNamespace): number => ns.findings.filter((f) => f.severity === 'warning').length;

/** The namespaces in the listing's order: names A–Z, counts biggest first, ties by inode. */
function listed(namespaces: MountNamespace[], l: NsListing): MountNamespace[] {
  const shown = l.warningsOnly ? namespaces.filter((ns) => ns.initial || warnings(ns) > 0) : namespaces;
  if (l.order === 'inode') return shown;
  const key = (ns: MountNamespace): number | string =>
    l.order === 'name'
      ? nsLabel(ns, ns.inode)
          .slice(nsId(ns.inode).length + 1)
          .toLowerCase()
      : l.order === 'processes'
        ? -ns.processes.length
        : l.order === 'mounts'
          ? -ns.mounts.length
          : -warnings(ns);
  return [...shown].sort((a, b) => {
    if (a.initial !== b.initial) return a.initial ? -1 : 1;
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.inode - b.inode;
  });
}

/** Namespace rows, each followed by its processes when unfolded. */
export function namespaceRows(snap: Snapshot, unfolded: ReadonlySet<number>, listing: NsListing = DEFAULT_LISTING): NamespaceRow[] {
  const rows: NamespaceRow[] = [];
  for (const ns of listed(snap.namespaces, listing)) {
    const open = unfolded.has(ns.inode);
    rows.push({ kind: 'ns', key: `ns:${ns.inode}`, ns, unfolded: open });
    if (!open) continue;
    ns.processes.forEach((proc, i) => rows.push({ kind: 'proc', key: `p:${ns.inode}:${proc.pid}`, ns, proc, last: i === ns.processes.length - 1 }));
  }
  return rows;
}

/** Short markers for a namespace row: initial, no processes, chrooted readers, crosses a boundary. */
export function namespaceMarks(ns: MountNamespace): { initial: boolean | null; held: boolean; chroot: boolean; leak: boolean } {
  return {
    initial: ns.initial,
    held: ns.processes.length === 0,
    chroot: ns.processes.some((p) => p.chrooted),
    // The findings say why; the flag only says that there is a warning.
    leak: ns.findings.some((f) => f.severity === 'warning'),
  };
}

/**
 * Namespaces made by mntns: this session's (`made`, inode → holder pid) and
 * those an earlier mntns made and the user kept — held by fds of a process
 * named mntns-kept.
 */
export function madeByMntns(snap: Snapshot | null, made: ReadonlyMap<number, number>): ReadonlyMap<number, number> {
  if (!snap) return made;
  const keepers = new Set<number>();
  for (const ns of snap.namespaces) for (const p of ns.processes) if (p.cmdline[0] === KEEPER_NAME) keepers.add(p.pid);
  if (keepers.size === 0) return made;
  const out = new Map(made);
  for (const ns of snap.namespaces) {
    const h = ns.holders.find((x) => x.kind === 'fd' && keepers.has(x.pid));
    if (h && h.kind === 'fd') out.set(ns.inode, h.pid);
  }
  return out;
}

/**
 * Whether Enter in the e dialog enters as the namespace's processes run: for a
 * container, or processes in another user namespace, whose binaries must not
 * run as this host's root unless the user says so (h).
 */
export function enterAsItRunsByDefault(ns: MountNamespace, snap: Snapshot | null): boolean {
  const hostUserns = snap?.namespaces.find((n) => n.initial)?.processes.find((p) => p.userns !== null)?.userns ?? null;
  return ns.processes.some((p) => p.container !== null || (p.userns !== null && hostUserns !== null && p.userns !== hostUserns));
}
