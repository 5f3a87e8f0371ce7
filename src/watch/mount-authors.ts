/**
 * Who made each mount and umount: the kernel's mount events (sys/fanotify.ts,
 * read and placed by the poll thread) held until the mount tables' own diff
 * reports the same mount, then named on its event as `by` (and `from`, for a
 * copy made in another namespace). The tables stay what finds every change;
 * this only says who. A record must match the event's namespace, mountinfo id,
 * parent and device, and be recent: mountinfo ids are reused, and a guess is
 * worse than "unknown".
 */
import type { MountBy } from '../model/types.js';
import { parseCmdline, parseNsLink, parseStat } from '../proc/process.js';
import type { MountEventRecord } from '../sys/fanotify.js';
import { RECENT, type RawMounter } from '../sys/mounters.js';
import type { MountsReport } from '../sys/poll-thread.js';
import type { WatchEvent } from './events.js';
import type { Clock } from './schedule.js';

/** Records kept per kind: far more than one batch of a mount storm. */
const KEEP = 8192;
/** A record older than this matches nothing (its mount's event went out long ago, or never will). */
const MAX_AGE_MS = 30_000;
/** A record this late for an event that went out without it is that event's (later, it is a new mount's). */
const LATE_MS = 2_000;

interface Held {
  /** `parent major:minor`: with namespace and id, what says it is the same mount. */
  shape: string;
  by: MountBy;
  at: number;
}

const shapeOf = (m: { parent: number; major: number; minor: number }): string => `${m.parent} ${m.major}:${m.minor}`;

/** A mounter of whom only the pid is known. */
const unknownMounter = (pid: number): MountBy => ({ pid, comm: null, cmdline: null, ns: null, ppid: null, chain: [] });

/**
 * Pure: the mounter as the poll thread read it, parsed; only its pid when it was
 * gone already. One caught exiting has lost its cmdline and namespace first:
 * those are null (not known), never an empty command.
 */
export function mountBy(raw: RawMounter): MountBy {
  const self = raw.self ? parseStat(raw.self.stat) : null;
  const chain = raw.chain.flatMap((p) => {
    const s = parseStat(p.stat);
    return s ? [{ pid: p.pid, comm: s.comm }] : [];
  });
  // Gone before it could be read: who forked it, and their ancestors, may still be known.
  if (!raw.self || !self) return { ...unknownMounter(raw.pid), ppid: raw.ppid ?? null, chain: raw.ppid ? chain : [] };
  const cmdline = raw.self.cmdline === '' ? null : parseCmdline(raw.self.cmdline);
  return { pid: raw.pid, comm: self.comm, cmdline, ns: raw.self.nsLink === null ? null : parseNsLink(raw.self.nsLink), ppid: self.ppid, chain };
}

export class MountAuthors {
  private marked = new Set<number>();
  private attached = new Map<string, Held>();
  private detached = new Map<string, Held>();
  /** Events that went out before their record came (a storm outran the poll thread): a late record is dropped, never pinned on a later mount. */
  private missed = new Map<string, { shape: string; at: number }>();
  private said = false;
  private settle: () => void = () => {};
  private readonly isSettled = new Promise<void>((r) => (this.settle = r));
  private byPid = new Map<number, MountBy>();

  constructor(
    private readonly clock: Clock,
    /** Says, once, why there are no mount events (as root, where they should work). */
    private readonly notice: (message: string) => void,
    private readonly trace?: (message: string) => void,
  ) {}

  onReady(ok: boolean, reason?: string): void {
    if (ok) return;
    this.sayOnce(`no mount events, so who made a mount is not told: ${reason ?? 'unavailable'}`);
    this.settle();
  }

  onMarks(marked: number[], failed: Array<{ inode: number; reason: string }>, pending: number): void {
    this.marked = new Set(marked);
    for (const f of failed) this.trace?.(`mnt:[${f.inode}] not marked for mount events: ${f.reason}`);
    if (pending === 0) this.settle();
  }

  /** Resolves once every namespace followed so far is marked (or cannot be): from then on, their events say who. */
  settled(): Promise<void> {
    return this.isSettled;
  }

  onMounts(r: MountsReport): void {
    if (r.overflow) this.trace?.('mount events overflowed: some mounts will not say who made them');
    // The poll thread sends a mounter when it has read it anew (once a second at most): kept here meanwhile.
    for (const m of r.mounters) {
      this.byPid.delete(m.pid);
      this.byPid.set(m.pid, mountBy(m));
      if (this.byPid.size > 2 * RECENT) this.byPid.delete(this.byPid.keys().next().value!);
    }
    const at = this.clock.mono();
    for (const rec of r.records) {
      const by = this.byPid.get(rec.pid) ?? unknownMounter(rec.pid);
      if (rec.attach) this.hold(this.attached, 'mount', rec, by, at);
      if (rec.detach) this.hold(this.detached, 'umount', rec, by, at);
    }
  }

  private hold(map: Map<string, Held>, type: 'mount' | 'umount', rec: MountEventRecord, by: MountBy, at: number): void {
    const key = `${rec.inode}:${rec.id}`;
    const missed = this.missed.get(`${type}|${key}`);
    if (missed) {
      this.missed.delete(`${type}|${key}`);
      if (missed.shape === shapeOf(rec) && at - missed.at <= LATE_MS) return;
    }
    map.delete(key); // re-inserted: the newest last, the oldest first out
    map.set(key, { shape: shapeOf(rec), by, at });
    if (map.size > KEEP) map.delete(map.keys().next().value!);
  }

  /**
   * Gives each mount and umount event of a marked namespace `by` (who; null
   * when not known) and, for a mount made in another namespace, `from`.
   */
  decorate(events: WatchEvent[]): void {
    const now = this.clock.mono();
    for (const e of events) {
      if ((e.type !== 'mount' && e.type !== 'umount') || !this.marked.has(e.ns)) continue;
      const map = e.type === 'mount' ? this.attached : this.detached;
      const key = `${e.ns}:${e.mount.id}`;
      const held = map.get(key);
      if (held && held.shape === shapeOf(e.mount) && now - held.at <= MAX_AGE_MS) {
        map.delete(key);
        e.by = held.by;
        if (held.by.ns !== null && held.by.ns !== e.ns) e.from = held.by.ns;
      } else {
        e.by = null;
        this.missed.set(`${e.type}|${key}`, { shape: shapeOf(e.mount), at: now });
        if (this.missed.size > KEEP) this.missed.delete(this.missed.keys().next().value!);
      }
    }
  }

  private sayOnce(message: string): void {
    if (this.said) return;
    this.said = true;
    this.notice(message);
  }
}
