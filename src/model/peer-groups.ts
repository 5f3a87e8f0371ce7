/**
 * Propagation across namespaces. Peer-group ids are kernel-wide, so `shared:N`
 * in one namespace's mountinfo and `master:N` in another's name the same group:
 * linking by number after parsing is exact (lxkns does the same).
 */
import type { Mount, MountNamespace, PeerGroup, PeerGroupMember } from './types.js';

const key = (r: PeerGroupMember): string => `${r.ns}:${r.mount}`;

export interface PropagationIndex {
  groups: Map<number, PeerGroup>;
  /** Master group of each group (taken from its members' `master:N`). */
  masterOf: Map<number, number>;
  /** `ns:mount` → the group that mount is a member of, for walking down through shared slaves. */
  memberOf: Map<string, number>;
}

/** Builds every peer group seen in `namespaces`, with members and direct slaves. */
export function linkPeerGroups(namespaces: Pick<MountNamespace, 'inode' | 'mounts'>[]): PropagationIndex {
  const groups = new Map<number, PeerGroup>();
  const masterOf = new Map<number, number>();
  const memberOf = new Map<string, number>();
  const group = (id: number): PeerGroup => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { id, members: [], slaves: [] }));
    return g;
  };
  for (const ns of namespaces) {
    for (const m of ns.mounts) {
      const { shared, master } = m.propagation;
      const ref: PeerGroupMember = { ns: ns.inode, mount: m.id, target: m.target };
      if (shared !== null) {
        group(shared).members.push(ref);
        memberOf.set(key(ref), shared);
        if (master !== null) masterOf.set(shared, master);
      }
      if (master !== null) group(master).slaves.push(ref);
    }
  }
  return { groups, masterOf, memberOf };
}

// The index behind each list sortedGroups made, kept across bundles: the TUI's
// view is bundled apart, with its own copy of this module, and linked every
// mount again after the watcher had (at 50,000 mounts ~70 ms, on every change).
// Weak: an index goes with its list.
const INDEXES = Symbol.for('mntns.propagation-indexes');
function indexes(): WeakMap<PeerGroup[], PropagationIndex> {
  const g = globalThis as typeof globalThis & { [INDEXES]?: WeakMap<PeerGroup[], PropagationIndex> };
  return (g[INDEXES] ??= new WeakMap());
}

/** Peer groups sorted by id, for output; the list remembers the index it came from (indexOfGroups). */
export function sortedGroups(index: PropagationIndex): PeerGroup[] {
  const list = [...index.groups.values()].sort((a, b) => a.id - b.id);
  indexes().set(list, index);
  return list;
}

/** The index `list` was sorted from, if it is a list sortedGroups made (not a filtered copy of one). */
export function indexOfGroups(list: PeerGroup[]): PropagationIndex | undefined {
  return indexes().get(list);
}

/**
 * Where mounts made under `mount` (in namespace `ns`) propagate to: its peers,
 * their slaves, and onward through slaves that are shared themselves.
 */
export function sendsTo(index: PropagationIndex, ns: number, mount: Mount): PeerGroupMember[] {
  const start = mount.propagation.shared;
  if (start === null) return [];
  const out = new Map<string, PeerGroupMember>();
  const seen = new Set<number>([start]);
  const queue = [start];
  while (queue.length) {
    const g = index.groups.get(queue.shift()!);
    if (!g) continue;
    for (const r of [...g.members, ...g.slaves]) out.set(key(r), r);
    for (const s of g.slaves) {
      const sm = index.memberOf.get(key(s));
      if (sm !== undefined && !seen.has(sm)) {
        seen.add(sm);
        queue.push(sm);
      }
    }
  }
  out.delete(`${ns}:${mount.id}`);
  return [...out.values()];
}

/**
 * The peer groups `group` receives from, nearest first: it, its master, its
 * master's master… (a loop in a torn read ends the walk).
 */
export function masterChain(index: PropagationIndex, group: number): number[] {
  const chain: number[] = [];
  for (let g: number | undefined = group; g !== undefined && !chain.includes(g); g = index.masterOf.get(g)) chain.push(g);
  return chain;
}

/**
 * What `mount` receives mounts from: its own peers, its master group's members,
 * and up the master chain.
 */
export function receivesFrom(index: PropagationIndex, ns: number, mount: Mount): PeerGroupMember[] {
  const out = new Map<string, PeerGroupMember>();
  const { shared, master } = mount.propagation;
  if (shared !== null) for (const r of index.groups.get(shared)?.members ?? []) out.set(key(r), r);
  for (const g of master === null ? [] : masterChain(index, master)) for (const r of index.groups.get(g)?.members ?? []) out.set(key(r), r);
  out.delete(`${ns}:${mount.id}`);
  return [...out.values()];
}

/** The distinct namespaces among `refs`, other than `self`, in first-seen order. */
export function namespacesOf(refs: PeerGroupMember[], self?: number): number[] {
  const out: number[] = [];
  for (const r of refs) if (r.ns !== self && !out.includes(r.ns)) out.push(r.ns);
  return out;
}
