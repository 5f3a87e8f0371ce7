/**
 * The propagation map around one namespace: which namespaces it shares peer
 * groups with (mounts cross both ways), which receive from it (their mounts
 * are slaves of its groups) and which it receives from. Worked out per node,
 * not as a whole graph: on a systemd host hundreds of namespaces are peers of
 * one another, and every pair of them would be an edge.
 */
import type { PropagationIndex } from './peer-groups.js';
import type { PeerGroupMember } from './types.js';

/** peer: both ways; sends: from the centre to the neighbour (slaves there); receives: from the neighbour. */
export type LinkKind = 'peer' | 'sends' | 'receives';

/** One mount here and its counterpart there, in one peer group. */
export interface LinkMount {
  group: number;
  here: PeerGroupMember;
  there: PeerGroupMember;
}

export interface Link {
  kind: LinkKind;
  /** The neighbour namespace. */
  ns: number;
  /** Peer groups behind the link, ascending. */
  groups: number[];
  mounts: LinkMount[];
}

/** Links that read the same (kind and peer groups): one row for 120 slave copies of the host. */
export interface LinkFold {
  kind: LinkKind;
  groups: number[];
  links: Link[];
}

/** Every link of namespace `centre`, by kind then neighbour inode. */
export function linksOf(index: PropagationIndex, centre: number): Link[] {
  const links = new Map<string, Link>();
  const add = (kind: LinkKind, group: number, here: PeerGroupMember, there: PeerGroupMember): void => {
    const k = `${kind}:${there.ns}`;
    let l = links.get(k);
    if (!l) links.set(k, (l = { kind, ns: there.ns, groups: [], mounts: [] }));
    if (l.groups[l.groups.length - 1] !== group) l.groups.push(group);
    l.mounts.push({ group, here, there });
  };
  const groups = [...index.groups.values()].sort((a, b) => a.id - b.id);
  for (const g of groups) {
    const mine = g.members.filter((r) => r.ns === centre);
    const mySlaves = g.slaves.filter((r) => r.ns === centre);
    if (mine.length === 0 && mySlaves.length === 0) continue;
    if (mine.length) {
      for (const r of g.members) if (r.ns !== centre) add('peer', g.id, mine[0], r);
      for (const r of g.slaves) if (r.ns !== centre) add('sends', g.id, mine[0], r);
    }
    // A slave mount here receives from the group's members elsewhere.
    for (const s of mySlaves) for (const r of g.members) if (r.ns !== centre) add('receives', g.id, s, r);
  }
  const rank: Record<LinkKind, number> = { peer: 0, sends: 1, receives: 2 };
  return [...links.values()].sort((a, b) => rank[a.kind] - rank[b.kind] || a.ns - b.ns);
}

/** Folds links of one kind over the same peer groups together, biggest fold first within a kind. */
export function foldLinks(links: Link[]): LinkFold[] {
  const folds = new Map<string, LinkFold>();
  for (const l of links) {
    const k = `${l.kind}:${l.groups.join(',')}`;
    let f = folds.get(k);
    if (!f) folds.set(k, (f = { kind: l.kind, groups: l.groups, links: [] }));
    f.links.push(l);
  }
  const rank: Record<LinkKind, number> = { peer: 0, sends: 1, receives: 2 };
  return [...folds.values()].sort((a, b) => rank[a.kind] - rank[b.kind] || b.links.length - a.links.length || a.links[0].ns - b.links[0].ns);
}

/** The targets on the centre's side of a fold, distinct, in group order. */
export function foldPaths(f: LinkFold): string[] {
  const out: string[] = [];
  for (const m of f.links[0].mounts) if (!out.includes(m.here.target)) out.push(m.here.target);
  return out;
}

/**
 * Per namespace, how many of its mounts are in a peer group (as a member or a
 * slave) with mounts in other namespaces: one pass over the groups, for the
 * map's rest of the host (every namespace's links would be quadratic).
 */
export function crossingMounts(index: PropagationIndex): Map<number, number> {
  const out = new Map<number, number>();
  for (const g of index.groups.values()) {
    const refs = [...g.members, ...g.slaves];
    if (refs.length < 2 || refs.every((r) => r.ns === refs[0].ns)) continue;
    for (const r of refs) out.set(r.ns, (out.get(r.ns) ?? 0) + 1);
  }
  return out;
}
