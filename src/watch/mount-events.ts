/**
 * The fanotify mount-event source (Linux ≥ 6.15; libmount's monitor_fanotify.c
 * idea): one group per followed namespace, read when the poll thread says it is
 * readable and, before any mount event of that namespace goes out, drained —
 * the kernel queues the event inside the mount syscall, before the table's
 * POLLPRI wake. It says who made each mount and umount (the event's pid, named
 * from the process source's exec records) and, for a mount that arrived by
 * propagation, in which namespace it was made. The tables' POLLPRI and diff
 * stay what finds the changes: where fanotify is unavailable, events simply
 * carry no `by`.
 */
import { FAN_MNT_ATTACH, FAN_MNT_DETACH, mountinfoIdOf, readMountEvents, watchMountNamespace } from '../sys/fanotify.js';
import type { ExecRecord } from '../sys/proc-connector.js';
import type { MountBy, WatchEvent } from './events.js';
import type { NsState, SourceContext } from './tables.js';
import { nsId } from '../format/describe.js';

/** How many attributions are kept per kind: far more than one batch of a mount storm. */
const KEEP = 8192;

interface Group {
  fd: number;
  nsId: bigint;
}

/** The process that made a change, when it was seen. */
interface Attribution {
  pid: number;
}

export class MountEvents {
  private groups = new Map<number, Group>();
  private fdToNs = new Map<number, number>();
  /** `inode:mountinfoId` → who attached / detached it. */
  private attached = new Map<string, Attribution>();
  private detached = new Map<string, Attribution>();
  /** `inode:64-bit id` → mountinfo id, from ATTACH: a DETACH's mount is gone and statmount can no longer say. */
  private idOf = new Map<string, number>();
  /** Why there are no mount events, said once. */
  private unavailable: string | null = null;

  constructor(
    private readonly ctx: SourceContext,
    /** Who a pid is or was (the process source's exec records). */
    private readonly whoIs: (pid: number) => ExecRecord | null,
    /** The kernel dropped events for this namespace: its table is read whole. */
    private readonly overflowed: (inode: number) => void,
    /** Says, once, why there are no mount events. */
    private readonly notice: (message: string) => void,
  ) {}

  /** Follows `inode`'s mount events through its nsfs path; false (said once) where the kernel or our capabilities do not allow it. */
  follow(inode: number, nsPath: string): boolean {
    if (this.groups.has(inode)) return true;
    const g = watchMountNamespace(nsPath);
    if ('error' in g) {
      if (this.unavailable === null) {
        this.unavailable = g.error;
        this.notice(`no mount events, so who made a mount is not told: ${g.error}`);
      }
      return false;
    }
    this.groups.set(inode, g);
    this.fdToNs.set(g.fd, inode);
    return true;
  }

  /** Groups for the namespaces followed now (through a process of each); the fds of those no longer followed, to close. */
  sync(states: ReadonlyMap<number, NsState>): number[] {
    for (const [inode, s] of states) if (!this.groups.has(inode) && s.ns.readVia !== null) this.follow(inode, `${this.ctx.procRoot}/${s.ns.readVia}/ns/mnt`);
    return this.inodes().flatMap((inode) => (states.has(inode) ? [] : (this.drop(inode) ?? [])));
  }

  /** Stops following `inode`: its group's fd, for the caller to close once the poll thread lets go. */
  drop(inode: number): number | null {
    const g = this.groups.get(inode);
    if (!g) return null;
    this.groups.delete(inode);
    this.fdToNs.delete(g.fd);
    return g.fd;
  }

  inodes(): number[] {
    return [...this.groups.keys()];
  }

  has(inode: number): boolean {
    return this.groups.has(inode);
  }

  fds(): number[] {
    return [...this.fdToNs.keys()];
  }

  owns(fd: number): boolean {
    return this.fdToNs.has(fd);
  }

  /** The poll thread saw this group readable. */
  onFire(fd: number): void {
    const inode = this.fdToNs.get(fd);
    if (inode !== undefined) this.drain(inode);
  }

  /** Reads every queued event of `inode`'s group and notes who attached or detached what. */
  private drain(inode: number): void {
    const g = this.groups.get(inode);
    if (!g) return;
    for (const r of readMountEvents(g.fd)) {
      if (r === 'overflow') {
        this.ctx.trace?.(`${nsId(inode)} mount events overflowed: whole read`);
        this.overflowed(inode);
        continue;
      }
      const key = `${inode}:${r.mountId}`;
      if (r.mask & FAN_MNT_ATTACH) {
        const id = mountinfoIdOf(r.mountId, g.nsId);
        if (id !== null) {
          remember(this.idOf, key, id);
          remember(this.attached, `${inode}:${id}`, { pid: r.pid });
        }
      }
      if (r.mask & FAN_MNT_DETACH) {
        const id = this.idOf.get(key);
        if (id !== undefined) remember(this.detached, `${inode}:${id}`, { pid: r.pid });
      }
    }
  }

  /**
   * Gives mount and umount events `by` (who; null when not known) and, for a
   * mount made in another namespace, `from` — for namespaces whose mount events
   * are followed. Drains their groups first.
   */
  decorate(events: WatchEvent[]): void {
    const drained = new Set<number>();
    for (const e of events) {
      if ((e.type !== 'mount' && e.type !== 'umount') || !this.groups.has(e.ns)) continue;
      if (!drained.has(e.ns)) {
        this.drain(e.ns);
        drained.add(e.ns);
      }
      const a = (e.type === 'mount' ? this.attached : this.detached).get(`${e.ns}:${e.mount.id}`);
      e.by = a ? this.named(a.pid) : null;
      if (e.by?.ns != null && e.by.ns !== e.ns) e.from = e.by.ns;
    }
  }

  /** `pid` and its ancestors as far as they can be told (up to PID 1, at most 8 hops). */
  private named(pid: number): MountBy | null {
    const who = pid > 0 ? this.whoIs(pid) : null;
    if (!who) return pid > 0 ? { pid, comm: null, cmdline: null, ns: null, ppid: null, chain: [] } : null;
    const chain: MountBy['chain'] = [];
    for (let p = who.ppid, hops = 0; p > 0 && hops < 8; hops++) {
      const up = this.whoIs(p);
      if (!up) break;
      chain.push({ pid: up.pid, comm: up.comm });
      if (p === 1) break;
      p = up.ppid;
    }
    return { pid, comm: who.comm, cmdline: who.cmdline, ns: who.mntns, ppid: who.ppid, chain };
  }

  closeAll(close: (fd: number) => void): void {
    for (const fd of this.fdToNs.keys()) close(fd);
    this.groups.clear();
    this.fdToNs.clear();
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > KEEP) map.delete(map.keys().next().value!);
}
