/**
 * Findings: why mounts cross namespace boundaries, in words a newcomer reads
 * without knowing what a peer group is, each with the fix. Pure: computed from
 * the namespaces read and their peer groups. Grouped per namespace and cause so a
 * host with a hundred service namespaces gets a screenful, not thousands of lines.
 */
import { masterChain, type PropagationIndex } from './peer-groups.js';
import { isUnder } from './mount-tree.js';
import type { Finding, FindingCode, Mount, MountNamespace } from './types.js';

/** How findings name a namespace: `mnt:[4026532180] (nginx)`. */
export type NamespaceNamer = (inode: number) => string;

const MAX_PATHS = 3;

function paths(ms: Mount[]): string {
  const shown = ms
    .slice(0, MAX_PATHS)
    .map((m) => m.target)
    .join(', ');
  return ms.length > MAX_PATHS ? `${shown} and ${ms.length - MAX_PATHS} more` : shown;
}

function list(inodes: number[], name: NamespaceNamer): string {
  const shown = inodes.slice(0, MAX_PATHS).map(name).join(', ');
  return inodes.length > MAX_PATHS ? `${shown} and ${inodes.length - MAX_PATHS} more namespaces` : shown;
}

/** The mounts of `mounts` in `set` whose parent is not: the tops, so a subtree is one line. */
function tops(mounts: Mount[], set: Set<number>): Mount[] {
  return mounts.filter((m) => set.has(m.id) && !set.has(m.parent));
}

interface NsList {
  list: number[];
  key: string;
}

/** Per peer group, computed once: the namespaces of its members, of its slaves, and up its master chain. */
function groupLists(index: PropagationIndex) {
  const cache = { members: new Map<number, NsList>(), slaves: new Map<number, NsList>(), upstream: new Map<number, NsList>() };
  const mk = (inodes: number[]): NsList => {
    // Namespaces are linked in inode order (snapshot.ts), so a group's list is
    // mostly ascending and distinct already: no Set or sort for those.
    let ascending = true;
    for (let i = 1; i < inodes.length && ascending; i++) ascending = inodes[i - 1] < inodes[i];
    const list = ascending ? inodes : [...new Set(inodes)].sort((a, b) => a - b);
    return { list, key: list.length === 1 ? String(list[0]) : list.join(',') };
  };
  const get = (kind: keyof typeof cache, g: number, build: () => number[]): NsList => {
    let v = cache[kind].get(g);
    if (!v) cache[kind].set(g, (v = mk(build())));
    return v;
  };
  const members = (g: number): NsList => get('members', g, () => (index.groups.get(g)?.members ?? []).map((r) => r.ns));
  return {
    members,
    slaves: (g: number) => get('slaves', g, () => (index.groups.get(g)?.slaves ?? []).map((r) => r.ns)),
    // A master group that is no one's slave (the usual one) sends what its members have.
    upstream: (g: number) => (index.masterOf.has(g) ? get('upstream', g, () => masterChain(index, g).flatMap((x) => (index.groups.get(x)?.members ?? []).map((r) => r.ns))) : members(g)),
  };
}

const NONE: NsList = Object.freeze({ list: Object.freeze([]) as unknown as number[], key: '' });

/** `l` without `self` (and without `also`), reusing the cached key when nothing is removed. */
function without(l: NsList, self: number, also: number[] = []): NsList {
  if (l.list.length === 1 && l.list[0] === self) return NONE; // a group of this namespace alone
  if (!l.list.includes(self) && !also.some((a) => l.list.includes(a))) return l;
  const list = l.list.filter((i) => i !== self && !also.includes(i));
  return { list, key: list.join(',') };
}

/** Findings for every namespace, by inode. */
export function computeFindings(namespaces: MountNamespace[], index: PropagationIndex, name: NamespaceNamer): Map<number, Finding[]> {
  const out = new Map<number, Finding[]>();
  const initial = namespaces.find((n) => n.initial)?.inode ?? null;
  const lists = groupLists(index);
  for (const ns of namespaces) {
    const findings: Finding[] = [];
    // Per other-namespace set: shared mounts here whose peers live there (both ways),
    // and shared mounts here whose slaves live there (one way out).
    const peersWith = new Map<string, { others: number[]; mounts: Set<number> }>();
    const slavesIn = new Map<string, { others: number[]; mounts: Set<number> }>();
    const receivesFrom = new Map<string, { others: number[]; mounts: Set<number> }>();
    const add = (map: typeof peersWith, others: NsList, id: number): void => {
      if (others.list.length === 0) return;
      let e = map.get(others.key);
      if (!e) map.set(others.key, (e = { others: others.list, mounts: new Set() }));
      e.mounts.add(id);
    };
    let procShared: { mount: Mount; others: number[] } | null = null;
    for (const m of ns.mounts) {
      const { shared, master } = m.propagation;
      if (shared !== null) {
        const peerNs = without(lists.members(shared), ns.inode);
        add(peersWith, peerNs, m.id);
        add(slavesIn, without(lists.slaves(shared), ns.inode, peerNs.list), m.id);
        if (m.target === '/proc' && m.fstype === 'proc' && peerNs.list.length) {
          if (!m.hidden) procShared = { mount: m, others: peerNs.list };
          else procShared ??= { mount: m, others: peerNs.list };
        }
      }
      if (master !== null) add(receivesFrom, without(lists.upstream(master), ns.inode), m.id);
    }

    const root = ns.mounts.find((m) => m.target === '/' && !ns.mounts.some((p) => p.id === m.parent));
    // The systemd default: / shared with the initial namespace. One summary, and
    // crossings only with the initial namespace are folded into it.
    let rootFolded = false;
    if (root && initial !== null && ns.inode !== initial && root.propagation.shared !== null) {
      const g = index.groups.get(root.propagation.shared);
      if (g?.members.some((r) => r.ns === initial)) {
        rootFolded = true;
        findings.push({
          severity: 'warning',
          code: 'root-shared-with-initial',
          mount: root.id,
          mounts: [root.id],
          namespaces: [initial],
          message: `/ here is shared with the initial namespace ${name(initial)} (systemd makes / shared, and a new namespace copies its peer groups): every mount made under / here appears on the host, and the host's appear here.`,
          fix: `make / private recursively (P on /) — what unshare --propagation private does — or slave (V) to keep receiving from the host`,
        });
      }
    }

    if (procShared) {
      const p = procShared as { mount: Mount; others: number[] };
      const stacked = ns.mounts.filter((m) => m.target === '/proc' && m.fstype === 'proc').length > 1;
      findings.push({
        severity: 'warning',
        code: 'proc-shared',
        mount: p.mount.id,
        mounts: [p.mount.id],
        namespaces: p.others,
        message: stacked
          ? `/proc here is shared with ${list(p.others, name)}, and a proc mounted on /proc there has already covered this /proc: ps and top here now show that namespace's processes.`
          : `/proc here is shared with ${list(p.others, name)}: a "mount -t proc proc /proc" there (say, in a new PID namespace) covers this /proc, and ps here then shows the wrong processes.`,
        fix: stacked
          ? `unmount the extra proc on /proc here, then make /proc private (p on /proc) in the other namespace before it mounts proc`
          : `make /proc private (p on /proc) in the namespace that mounts proc, or mount it with unshare --propagation private`,
      });
    }

    // One finding per cause and set of other namespaces, about the tops of the subtrees.
    const grouped = (map: typeof peersWith, severity: Finding['severity'], code: FindingCode, words: (top: Mount[], where: string) => { message: string; fix: string }, skip: number[] = []): void => {
      for (const { others, mounts } of map.values()) {
        const rest = others.filter((o) => !skip.includes(o));
        if (rest.length === 0) continue;
        const top = tops(ns.mounts, mounts);
        findings.push({ severity, code, mount: top[0]?.id ?? null, mounts: top.map((m) => m.id), namespaces: rest, ...words(top, list(rest, name)) });
      }
    };
    const first = (top: Mount[]): string => top[0]?.target ?? 'it';
    // The first fix offered must fix: with shared mounts below the top, p on it
    // alone leaves them leaking — P (recursively) is the fix, and it says why.
    const sharedBelow = (top: Mount[]): Mount | undefined => (top[0] ? ns.mounts.find((m) => m.propagation.shared !== null && isUnder(m.target, top[0].target)) : undefined);
    const privateFix = (top: Mount[], then: string): string => {
      const below = sharedBelow(top);
      return below
        ? `make ${first(top)} and every mount below it private (P): ${below.target} below it is shared too, so p on ${first(top)} alone leaves that leaking${then}`
        : `make ${first(top)} private (p), or recursively with everything below (P)${then}`;
    };
    grouped(
      peersWith,
      'warning',
      'mount-leak',
      (top, where) => ({
        message: `Mounts made under ${paths(top)} here also appear in ${where}, and mounts made there appear here: ${top.length === 1 ? 'it is' : 'they are'} in a peer group with mounts there.`,
        fix: privateFix(top, '; slave (v/V) keeps receiving but stops sending'),
      }),
      rootFolded && initial !== null ? [initial] : [],
    );
    grouped(slavesIn, 'warning', 'mount-leak', (top, where) => ({
      message: `Mounts made under ${paths(top)} here also appear in ${where} (there they are slaves: nothing made there comes back).`,
      fix: sharedBelow(top) ? `${privateFix(top, '')}, to stop sending` : `make ${first(top)} private (p/P) here to stop sending`,
    }));
    grouped(receivesFrom, 'info', 'mount-receives', (top, where) => ({
      message: `Mounts made in ${where} under ${paths(top)} appear here too; nothing made here goes back (${top.length === 1 ? 'this copy is a slave' : 'these copies are slaves'}).`,
      fix: `make ${first(top)} private (p/P) here to stop receiving`,
    }));
    if (findings.length === 0 && ns.mounts.length > 0) {
      findings.push({
        severity: 'info',
        code: 'private',
        mount: null,
        namespaces: [],
        message: 'Fully private: no mount here shares a peer group with, or receives from, another namespace. Mounts made here stay here.',
      });
    }
    findings.push(...explosions(ns.mounts));
    out.set(ns.inode, findings);
  }
  return out;
}

/** This many mounts of one source stacked on one target is no accident (a restart loop mounting again and again). */
export const EXPLOSION_MIN = 16;

/**
 * The same source mounted again and again on one target: each mount hides the
 * one below, the table grows until something breaks (32,768 entries, EBUSY on
 * removal). One warning per target and source, about the top mount.
 */
function explosions(mounts: Mount[]): Finding[] {
  // Counted by target first (one string each, no key to build): few targets have 16.
  const onTarget = new Map<string, number>();
  for (const m of mounts) onTarget.set(m.target, (onTarget.get(m.target) ?? 0) + 1);
  const stacks = new Map<string, Mount[]>();
  for (const m of mounts) {
    if (onTarget.get(m.target)! < EXPLOSION_MIN) continue;
    const key = `${m.target}\0${m.fstype}\0${m.source}`;
    const stack = stacks.get(key);
    if (stack) stack.push(m);
    else stacks.set(key, [m]);
  }
  const out: Finding[] = [];
  for (const stack of stacks.values()) {
    if (stack.length < EXPLOSION_MIN) continue;
    const top = stack[stack.length - 1];
    out.push({
      severity: 'warning',
      code: 'mount-explosion',
      mount: top.id,
      mounts: [top.id],
      namespaces: [],
      message: `${stack.length} mounts of ${top.source} (${top.fstype}) are stacked on ${top.target}: each hides the one below. Something mounts it again and again — a service or container restarting without unmounting?`,
      fix: `see who does it with mntns watch --path ${top.target}; then umount ${top.target} until one is left`,
    });
  }
  return out;
}
