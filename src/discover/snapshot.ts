/**
 * Discovery as ordered steps (after lsns.c and lxkns' discover.go):
 * processes → namespaces → mounts → process-less namespaces → overmounts and
 * peer-group links. Everything is read under `procRoot`, so tests can point it
 * at a fake tree; the reading itself runs inline or on reader threads.
 */
import { listPids } from '../proc/process.js';
import { holderPaths, pinnedNamespace } from '../proc/holders.js';
import { parseMountinfoBytes, type SameLines } from '../proc/mountinfo.js';
import { buildMountTree, markHidden } from '../model/mount-tree.js';
import { linkPeerGroups, sortedGroups } from '../model/peer-groups.js';
import { computeFindings } from '../model/findings.js';
import { nsLabel } from '../format/describe.js';
import type { ContainerHint, MountNamespace, Process, ScanError, Snapshot } from '../model/types.js';
import { containerNamer } from '../proc/container-names.js';
import { inlineReader, type Reader } from './reader-pool.js';
import { append } from '../util/append.js';

/**
 * Reads the mountinfo of a namespace no process lives in, given a path to its
 * nsfs file: one latin1 character per byte (parseMountinfoBytes).
 */
export type HeldNamespaceReader = (nsPath: string) => string;

export interface SnapshotOptions {
  procRoot?: string;
  /** Read PID's namespace through PID itself (its root), like `findmnt -N PID`. */
  pid?: number;
  /**
   * Whether to scan every process's fds for namespace fds: 'always', 'never', or
   * 'auto' (default) — only when `listNamespaces` reports a namespace that neither
   * a process nor a bind mount explains, or can't tell.
   */
  fdScan?: 'always' | 'never' | 'auto';
  /** All mount-namespace inodes of the kernel, or null when unknown (see sys/ns-list.ts). */
  listNamespaces?: () => Promise<number[] | null>;
  /** How to read process-less namespaces; without one they are listed without mounts. */
  readHeld?: HeldNamespaceReader;
  reader?: Reader;
  /**
   * Called once /proc is read, before the model is built: a one-shot caller
   * closes its reader threads there, so their heaps are gone before the model's
   * grows (--json at 100 namespaces: peak RSS 6–9 MB less).
   */
  readsDone?: () => void;
  /**
   * Called once the processes are read, with what is known then: the namespaces
   * and their processes, no mounts yet (a big host's tables take as long again).
   * The TUI draws it while the rest is read.
   */
  preview?: (snap: Snapshot) => void;
  /** A container's name from its runtime's state (proc/container-names.ts); default: this host's, on /proc only. */
  containerNames?: (hint: ContainerHint) => string | null;
  /** Called after each step with its name and milliseconds (MNTNS_TRACE=1 prints them). */
  trace?: (step: string, ms: number) => void;
}

/** A failure the user caused or can act on: one line, no stack. */
export { LookupError } from './lookup-error.js';
import { LookupError } from './lookup-error.js';

/** The initial mount namespace's inode on kernels that fix it (PROC_MNT_INIT_INO). */
export const INIT_MNT_NS_INODE = 0xeffffff8;

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'EIO';
}

function emptyNamespace(inode: number): MountNamespace {
  return { inode, initial: false, readVia: null, processes: [], holders: [], mounts: [], findings: [], mountErrors: [] };
}

/** Pids to read a namespace through: a process whose root is the namespace root first. */
function readerCandidates(ns: MountNamespace, pid?: number): number[] {
  const rank = (p: Process): number => (p.kernel ? 2 : p.rootPath === '/' ? 0 : p.rootPath === null ? 3 : 1);
  const order = [...ns.processes].sort((a, b) => rank(a) - rank(b) || a.pid - b.pid).map((p) => p.pid);
  if (pid !== undefined && order.includes(pid)) return [pid, ...order.filter((p) => p !== pid)];
  return order;
}

/** Takes one snapshot of every mount namespace visible under `procRoot`. */
export async function takeSnapshot(opts: SnapshotOptions = {}): Promise<Snapshot> {
  const procRoot = opts.procRoot ?? '/proc';
  const reader = opts.reader ?? inlineReader;
  let t0 = performance.now();
  const lap = (step: string): void => {
    const t = performance.now();
    opts.trace?.(step, t - t0);
    t0 = t;
  };
  const errors: ScanError[] = [];
  const byInode = new Map<number, MountNamespace>();
  const nsOf = (inode: number): MountNamespace => {
    let ns = byInode.get(inode);
    if (!ns) byInode.set(inode, (ns = emptyNamespace(inode)));
    return ns;
  };

  // 1. Processes, grouped by mount namespace.
  let pids: number[];
  try {
    pids = listPids(procRoot);
  } catch (e) {
    throw new LookupError(`cannot read procfs at ${procRoot}: ${errCode(e)}`);
  }
  const batch = await reader.processes(procRoot, pids);
  append(errors, batch.errors);
  for (const p of batch.processes) nsOf(p.mntns).processes.push(p);
  lap(`processes (${pids.length})`);

  // 2. The initial namespace: PID 1's, or the kernel threads' when PID 1 hides it,
  // or the one with the initial namespace's fixed inode number (Linux 6.18 gives
  // the initial namespaces fixed numbers; dynamic ones start at 0xF0000000, so
  // no other namespace can have it on any kernel). Else nobody can tell: null.
  const all = (): MountNamespace[] => [...byInode.values()];
  const initial = all().find((ns) => ns.processes.some((p) => p.pid === 1)) ?? all().find((ns) => ns.processes.some((p) => p.pid === 2 && p.kernel)) ?? byInode.get(INIT_MNT_NS_INODE);
  if (initial) initial.initial = true;
  else for (const ns of all()) ns.initial = null;

  nameNamespaces(all(), opts.containerNames ?? (procRoot === '/proc' ? containerNamer() : undefined));

  const pidNs = opts.pid === undefined ? undefined : all().find((ns) => ns.processes.some((p) => p.pid === opts.pid));
  if (opts.pid !== undefined && !pidNs) throw new LookupError(`no such process: ${opts.pid} (or its mount namespace is unreadable)`);

  // 3. Mounts of every namespace with processes: asked for before the preview
  // is drawn, so the threads read them meanwhile (drawing 500 namespaces takes
  // the view ~130 ms).
  const chunks = reader.mountinfo(
    procRoot,
    all().map((ns) => ({ inode: ns.inode, candidates: readerCandidates(ns, ns === pidNs ? opts.pid : undefined) })),
  );
  if (opts.preview) {
    const early = all()
      .filter((ns) => !pidNs || ns === pidNs)
      .sort(byInitialThenInode)
      .map((ns) => ({ ...ns, holders: [], mounts: [], findings: [], mountErrors: [] }));
    opts.preview({ version: 1, time: new Date().toISOString(), namespaces: early, peerGroups: [], errors: [...errors] });
  }
  const seen: SameLines = new Map();
  for (const chunk of chunks) {
    for (const r of await chunk) {
      const ns = nsOf(r.inode);
      append(errors, r.errors);
      ns.readVia = r.readVia;
      const parsed = parseMountinfoBytes(r.text, undefined, seen);
      ns.mounts = parsed.mounts;
      ns.mountErrors = parsed.errors;
    }
  }
  lap('mountinfo read + parse');

  // 4. Process-less namespaces: pinned by nsfs bind mounts, or held by fds.
  for (const ns of all()) {
    for (const m of ns.mounts) {
      const pinned = pinnedNamespace(m);
      if (pinned !== null) nsOf(pinned).holders.push({ kind: 'bind', path: m.target, ns: ns.inode });
    }
  }
  if (await needFdScan(opts, byInode)) {
    for (const h of await reader.fds(procRoot, pids)) nsOf(h.inode).holders.push({ kind: 'fd', pid: h.pid, fd: h.fd });
  }
  if (opts.readHeld) {
    for (const ns of all()) if (ns.processes.length === 0) readHeldNamespace(procRoot, ns, byInode, opts.readHeld, errors);
  }

  lap('process-less namespaces');
  opts.readsDone?.();

  // 5. Overmounts, then peer groups across everything read.
  for (const ns of all()) markHidden(buildMountTree(ns.mounts));
  const sorted = all().sort(byInitialThenInode);
  const index = linkPeerGroups(sorted);
  lap('overmounts + peer groups');
  attachFindings(sorted, index);
  lap('findings');
  const shown = pidNs ? [pidNs] : sorted;
  const shownSet = new Set(shown.map((ns) => ns.inode));
  // Every namespace shown: every group stays, and the list is the one that knows its index (indexOfGroups).
  const groups = sortedGroups(index);
  const peerGroups = pidNs ? groups.filter((g) => [...g.members, ...g.slaves].some((r) => shownSet.has(r.ns))) : groups;
  return { version: 1, time: new Date().toISOString(), namespaces: shown, peerGroups, errors };
}

/** Names namespaces after the container (or systemd unit) their processes run in, where known. */
function nameNamespaces(namespaces: MountNamespace[], names: ((hint: ContainerHint) => string | null) | undefined): void {
  if (!names) return;
  for (const ns of namespaces) {
    if (ns.initial) continue; // the host's own namespace holds every unit: none of them names it
    const hint = ns.processes.find((p) => p.container)?.container;
    const name = hint ? names(hint) : null;
    if (name) ns.name = name;
  }
}

/** The order namespaces are listed in: the initial one first, then by inode. */
function byInitialThenInode(a: MountNamespace, b: MountNamespace): number {
  return Number(b.initial) - Number(a.initial) || a.inode - b.inode;
}

async function needFdScan(opts: SnapshotOptions, byInode: Map<number, MountNamespace>): Promise<boolean> {
  const mode = opts.fdScan ?? 'auto';
  if (mode !== 'auto') return mode === 'always';
  const known = opts.listNamespaces ? await opts.listNamespaces() : null;
  if (known === null) return true;
  return known.some((inode) => !byInode.has(inode));
}

/** Tries each holder until one yields a mountinfo. */
function readHeldNamespace(procRoot: string, ns: MountNamespace, byInode: Map<number, MountNamespace>, read: HeldNamespaceReader, errors: ScanError[]): void {
  for (const path of holderPaths(ns.holders, procRoot, (i) => byInode.get(i)?.readVia)) {
    try {
      const parsed = parseMountinfoBytes(read(path));
      ns.mounts = parsed.mounts;
      ns.mountErrors = parsed.errors;
      return;
    } catch (e) {
      errors.push({ pid: null, code: errCode(e), message: `cannot read namespace ${ns.inode} via ${path}: ${(e as Error).message}` });
    }
  }
}

/** Computes the findings of every namespace and puts them on it. */
export function attachFindings(namespaces: MountNamespace[], index: ReturnType<typeof linkPeerGroups>): void {
  const byInode = new Map(namespaces.map((n) => [n.inode, n]));
  const found = computeFindings(namespaces, index, (i) => nsLabel(byInode.get(i), i));
  for (const ns of namespaces) ns.findings = found.get(ns.inode) ?? [];
}

/** Filters a snapshot to one namespace inode; throws LookupError when it is not there. */
export function selectNamespace(snap: Snapshot, inode: number): Snapshot {
  const namespaces = snap.namespaces.filter((ns) => ns.inode === inode);
  if (namespaces.length === 0) throw new LookupError(`no such mount namespace: ${inode}`);
  const peerGroups = snap.peerGroups.filter((g) => [...g.members, ...g.slaves].some((r) => r.ns === inode));
  return { ...snap, namespaces, peerGroups };
}
