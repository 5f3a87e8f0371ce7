/**
 * The kernel's mount events (Linux ≥ 6.15), for the poll thread: one fanotify
 * group (FAN_REPORT_MNT) with a FAN_MARK_MNTNS mark on each followed namespace
 * reports every mount attached to or detached from them, with the 64-bit mount
 * id and the pid of the process that made the change (for a copy that arrived
 * by propagation: the mounter in the other namespace). An event does not say
 * which namespace: statmount(2) by id answers in the right one only, tried first
 * in the namespaces whose table woke with it. A detached mount is gone, so the
 * ids of mounts already there are learnt (listmount) when a namespace is marked.
 * One group for all: a group's close waits for an SRCU grace period, and a
 * group per short-lived namespace once stalled a whole mount storm.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { EAGAIN, type Libc } from './libc.js';
import { errnoName } from './errno.js';
import type { MountIdentity } from '../model/types.js';

const FAN_CLOEXEC = 0x1;
const FAN_NONBLOCK = 0x2;
const FAN_CLASS_NOTIF = 0x0;
const FAN_REPORT_MNT = 0x4000;
const FAN_MARK_ADD = 0x1;
const FAN_MARK_MNTNS = 0x110;
export const FAN_MNT_ATTACH = 0x01000000;
export const FAN_MNT_DETACH = 0x02000000;
export const FAN_Q_OVERFLOW = 0x4000;
const FAN_EVENT_INFO_TYPE_MNT = 7;
const NS_GET_MNTNS_ID = 0x8008b705;
const STATMOUNT_SB_BASIC = 0x1;
const STATMOUNT_MNT_BASIC = 0x2;
/** listmount's "from the namespace's root". */
const LSMT_ROOT = 0xffffffffffffffffn;
/** The ids of a namespace's mounts are learnt up to this many (a bigger one's older mounts' umounts are not placed: its table is read whole for them). */
export const LEARN_MAX = 200_000;
/** Learnt this many at a time, between two polls (a statmount each: about 2 ms). */
const LEARN_CHUNK = 1000;

/** One raw mount event: ATTACH and/or DETACH (a move is both), who, and which mount (its 64-bit id). */
export interface FanotifyRecord {
  mask: number;
  /** The process that made the change (0 when the kernel does not say). */
  pid: number;
  mountId: bigint;
}

/**
 * Pure: what read(2) returned from a group with FAN_REPORT_MNT.
 * `struct fanotify_event_metadata` (24 bytes: event_len u32, vers u8, reserved
 * u8, metadata_len u16, mask u64, fd s32, pid s32) then info records (hdr: type
 * u8, pad u8, len u16); type 7 holds the mount id at offset 8. An overflow comes
 * as an event with FAN_Q_OVERFLOW and no id.
 */
export function parseFanotify(buf: Buffer, n: number): Array<FanotifyRecord | 'overflow'> {
  const out: Array<FanotifyRecord | 'overflow'> = [];
  for (let at = 0; at + 24 <= n;) {
    const len = buf.readUInt32LE(at);
    const metaLen = buf.readUInt16LE(at + 6);
    if (len < 24 || at + len > n) break; // torn or foreign: stop rather than misread
    const mask = Number(buf.readBigUInt64LE(at + 8) & 0xffffffffn);
    const pid = buf.readInt32LE(at + 20);
    if (mask & FAN_Q_OVERFLOW) out.push('overflow');
    for (let r = at + metaLen; r + 4 <= at + len;) {
      const type = buf.readUInt8(r);
      const rlen = buf.readUInt16LE(r + 2);
      if (rlen < 4) break;
      if (type === FAN_EVENT_INFO_TYPE_MNT && rlen >= 16) out.push({ mask, pid: Math.max(0, pid), mountId: buf.readBigUInt64LE(r + 8) });
      r += rlen;
    }
    at += len;
  }
  return out;
}

/** A mount event placed: which namespace, which mountinfo mount, who. */
export interface MountEventRecord extends MountIdentity {
  inode: number;
  attach: boolean;
  detach: boolean;
  pid: number;
}

interface Known extends MountIdentity {
  inode: number;
}

/**
 * The mountinfo id, parent id and device of mount `mountId` in namespace `nsId`,
 * or null when it is not there. Not its mount point: building that path costs
 * as much again, under the kernel's namespace lock.
 */
function statMount(c: Libc, req: Buffer, out: Buffer, mountId: bigint, nsId: bigint): MountIdentity | null {
  req.fill(0);
  req.writeUInt32LE(32, 0);
  req.writeBigUInt64LE(mountId, 8);
  req.writeBigUInt64LE(BigInt(STATMOUNT_SB_BASIC | STATMOUNT_MNT_BASIC), 16);
  req.writeBigUInt64LE(nsId, 24);
  if (c.statmount(req, out, out.length) < 0) return null;
  const mask = out.readBigUInt64LE(8);
  if (!(mask & BigInt(STATMOUNT_MNT_BASIC)) || !(mask & BigInt(STATMOUNT_SB_BASIC))) return null;
  // struct statmount: sb_dev_major, sb_dev_minor (u32) at 16 and 20; mnt_id_old, mnt_parent_id_old (u32) at 56 and 60.
  return { id: out.readUInt32LE(56), parent: out.readUInt32LE(60), major: out.readUInt32LE(16), minor: out.readUInt32LE(20) };
}

export class MountMarks {
  private nsIds = new Map<number, bigint>();
  private known = new Map<bigint, Known>();
  private knownOf = new Map<number, Set<bigint>>();
  /** Namespaces whose mounts are still being learnt, and the last id learnt in each. */
  private toLearn: Array<{ inode: number; nsId: bigint; last: bigint; count: number }> = [];
  private readonly ids = Buffer.alloc(8 * LEARN_CHUNK);
  private readonly buf = Buffer.alloc(64 * 1024);
  private readonly req = Buffer.alloc(32);
  private readonly out = Buffer.alloc(512);

  private constructor(
    private readonly c: Libc,
    readonly fd: number,
  ) {}

  /** The group, or why there is none (an older kernel: EINVAL; not root: EPERM). */
  static open(c: Libc): MountMarks | string {
    const fd = c.fanotifyInit(FAN_CLASS_NOTIF | FAN_REPORT_MNT | FAN_NONBLOCK | FAN_CLOEXEC, 0);
    return fd < 0 ? `fanotify_init: ${errnoName(c.errno())}` : new MountMarks(c, fd);
  }

  marked(inode: number): boolean {
    return this.nsIds.has(inode);
  }

  inodes(): number[] {
    return [...this.nsIds.keys()];
  }

  /**
   * Marks namespace `inode` through `nsPath` (checked to be that namespace: a
   * pid may have been reused) and learns the ids of its mounts; null, or why not.
   */
  mark(inode: number, nsPath: string): string | null {
    let nsfd: number;
    try {
      nsfd = openSync(nsPath, 'r');
    } catch (e) {
      return `${nsPath}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`;
    }
    try {
      if (fstatSync(nsfd).ino !== inode) return `${nsPath}: no longer mnt:[${inode}]`;
      const id = Buffer.alloc(8);
      if (this.c.ioctl(nsfd, NS_GET_MNTNS_ID, id) < 0) return `NS_GET_MNTNS_ID: ${errnoName(this.c.errno())}`;
      if (this.c.fanotifyMark(this.fd, FAN_MARK_ADD | FAN_MARK_MNTNS, BigInt(FAN_MNT_ATTACH | FAN_MNT_DETACH), nsfd, null) < 0) return `fanotify_mark: ${errnoName(this.c.errno())}`;
      const nsId = id.readBigUInt64LE(0);
      this.nsIds.set(inode, nsId);
      this.toLearn.push({ inode, nsId, last: 0n, count: 0 });
      return null;
    } finally {
      closeSync(nsfd);
    }
  }

  /** Forgets a namespace no longer followed (its mark goes with the namespace, or stays harmless). */
  forget(inode: number): void {
    this.nsIds.delete(inode);
    this.toLearn = this.toLearn.filter((l) => l.inode !== inode);
    for (const u of this.knownOf.get(inode) ?? []) this.known.delete(u);
    this.knownOf.delete(inode);
  }

  private remember(u: bigint, k: Known): void {
    this.known.set(u, k);
    let set = this.knownOf.get(k.inode);
    if (!set) this.knownOf.set(k.inode, (set = new Set()));
    set.add(u);
  }

  /** Whether some namespace's mounts are still to be learnt. */
  learning(): boolean {
    return this.toLearn.length > 0;
  }

  /**
   * Learns the next few mounts of the first namespace still learning: their
   * ids (listmount, from the last one learnt), then each one's identity. A
   * mount attached meanwhile is learnt from its event as well; one detached
   * meanwhile is not found, and its event is not placed.
   */
  learnSome(): void {
    const l = this.toLearn[0];
    if (!l) return;
    this.req.fill(0);
    this.req.writeUInt32LE(32, 0);
    this.req.writeBigUInt64LE(LSMT_ROOT, 8);
    this.req.writeBigUInt64LE(l.last, 16);
    this.req.writeBigUInt64LE(l.nsId, 24);
    const n = this.c.listmount(this.req, this.ids, LEARN_CHUNK);
    for (let i = 0; i < n; i++) {
      const u = this.ids.readBigUInt64LE(8 * i);
      const m = statMount(this.c, this.req, this.out, u, l.nsId);
      if (m) this.remember(u, { inode: l.inode, ...m });
      l.last = u;
    }
    l.count += Math.max(0, n);
    if (n < LEARN_CHUNK || l.count >= LEARN_MAX) this.toLearn.shift();
  }

  /** Which of the `likely` namespaces holds mount `u` now, or null. */
  private locate(u: bigint, likely: Iterable<number>): Known | null {
    for (const inode of likely) {
      const nsId = this.nsIds.get(inode);
      if (nsId === undefined) continue;
      const m = statMount(this.c, this.req, this.out, u, nsId);
      if (m) return { inode, ...m };
    }
    return null;
  }

  /** Every queued event, read now (non-blocking); overflow where the kernel dropped some. */
  drain(): { raw: FanotifyRecord[]; overflow: boolean } {
    const raw: FanotifyRecord[] = [];
    let overflow = false;
    for (;;) {
      const n = this.c.read(this.fd, this.buf, this.buf.length);
      if (n <= 0) {
        if (n < 0 && this.c.errno() !== EAGAIN) overflow = true; // unreadable: let whole re-reads decide
        break;
      }
      for (const r of parseFanotify(this.buf, n)) {
        if (r === 'overflow') overflow = true;
        else raw.push(r);
      }
    }
    return { raw, overflow };
  }

  /**
   * Places each event in its namespace, asking statmount(2) only in `likely`
   * (the namespaces whose table woke lately: every attach wakes its table). Not
   * placed, and not asked about: a mount detached again in the same read (it is
   * gone; its table may never have shown it). Each statmount takes the kernel's
   * namespace lock: asking every namespace about every mount of a storm halved
   * what the tables could read (soak, measured).
   */
  place(raw: FanotifyRecord[], likely: ReadonlySet<number>): { records: MountEventRecord[]; unplaced: number } {
    const records: MountEventRecord[] = [];
    let unplaced = 0;
    const detached = new Set(raw.flatMap((r) => (r.mask & FAN_MNT_DETACH ? [r.mountId] : [])));
    for (const r of raw) {
      const attach = (r.mask & FAN_MNT_ATTACH) !== 0;
      const detach = (r.mask & FAN_MNT_DETACH) !== 0;
      // A move (both) is still there and may have a new mount point: placed anew.
      const gone = attach && !detach && detached.has(r.mountId);
      const k = gone ? null : attach ? this.locate(r.mountId, likely) : (this.known.get(r.mountId) ?? null);
      if (!k) {
        unplaced++;
        continue;
      }
      if (attach) this.remember(r.mountId, k);
      else {
        this.known.delete(r.mountId);
        this.knownOf.get(k.inode)?.delete(r.mountId);
      }
      records.push({ ...k, attach, detach, pid: r.pid });
    }
    return { records, unplaced };
  }

  close(): void {
    this.c.close(this.fd);
  }
}
