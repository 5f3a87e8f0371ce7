/**
 * The kernel's mount events (Linux ≥ 6.15): a fanotify group per mount
 * namespace, marked with FAN_MARK_MNTNS, reports each mount attached to or
 * detached from it — with the 64-bit mount id and the pid of the process that
 * made the change (for a mount that arrived by propagation: the mounter in the
 * other namespace). statmount(2) turns that id into the mountinfo id. Only
 * syscalls on fds, non-blocking: safe on the main thread.
 */
import koffi from 'koffi';
import { closeSync, openSync } from 'node:fs';
import { errnoName } from './errno.js';

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
const SYS_STATMOUNT = 457;
const STATMOUNT_MNT_BASIC = 0x2;
const EAGAIN = 11;

/** One mount event: ATTACH and/or DETACH (a move is both), who, and which mount (its 64-bit id). */
export interface MountEventRecord {
  mask: number;
  /** The process that made the change (0 when the kernel does not say). */
  pid: number;
  mountId: bigint;
}

/**
 * Parses what read(2) returned from a fanotify group with FAN_REPORT_MNT:
 * `struct fanotify_event_metadata` (24 bytes: event_len u32, vers u8, reserved
 * u8, metadata_len u16, mask u64, fd s32, pid s32) then info records (hdr: type
 * u8, pad u8, len u16); type 7 holds the mount id at offset 8. An overflow comes
 * as a record with FAN_Q_OVERFLOW and no id.
 */
export function parseFanotify(buf: Buffer, n: number): Array<MountEventRecord | 'overflow'> {
  const out: Array<MountEventRecord | 'overflow'> = [];
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

interface Fan {
  init(flags: number, eventFlags: number): number;
  mark(fd: number, flags: number, mask: bigint, dirfd: number, path: string | null): number;
  ioctl(fd: number, req: number, arg: Buffer): number;
  statmount(req: Buffer, buf: Buffer, size: number): number;
  read(fd: number, buf: Buffer, n: number): number;
  close(fd: number): number;
  errno(): number;
}
let fan: Fan | null = null;

function load(): Fan {
  if (fan) return fan;
  const lib = koffi.load('libc.so.6');
  const syscall = lib.func('long syscall(long nr, ...)');
  fan = {
    init: lib.func('int fanotify_init(unsigned int flags, unsigned int event_f_flags)'),
    mark: lib.func('int fanotify_mark(int fd, unsigned int flags, uint64_t mask, int dirfd, const char *path)'),
    ioctl: lib.func('int ioctl(int fd, unsigned long req, _Inout_ uint8_t *arg)'),
    statmount: (req, buf, size) => Number(syscall(SYS_STATMOUNT, 'const uint8_t *', req, '_Out_ uint8_t *', buf, 'size_t', size, 'unsigned int', 0)),
    read: lib.func('long read(int fd, _Out_ uint8_t *buf, size_t n)'),
    close: lib.func('int close(int fd)'),
    errno: () => koffi.errno(),
  };
  return fan;
}

/** A fanotify group that reports mounts of the namespace at `nsPath`, and that namespace's 64-bit id; or why not. */
export function watchMountNamespace(nsPath: string): { fd: number; nsId: bigint } | { error: string } {
  let f: Fan;
  try {
    f = load();
  } catch (e) {
    return { error: (e as Error).message };
  }
  let nsfd: number;
  try {
    nsfd = openSync(nsPath, 'r');
  } catch (e) {
    return { error: `${nsPath}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}` };
  }
  try {
    const id = Buffer.alloc(8);
    if (f.ioctl(nsfd, NS_GET_MNTNS_ID, id) < 0) return { error: `NS_GET_MNTNS_ID: ${errnoName(f.errno())}` };
    const fd = f.init(FAN_CLASS_NOTIF | FAN_REPORT_MNT | FAN_NONBLOCK | FAN_CLOEXEC, 0);
    if (fd < 0) return { error: `fanotify_init: ${errnoName(f.errno())}` };
    if (f.mark(fd, FAN_MARK_ADD | FAN_MARK_MNTNS, BigInt(FAN_MNT_ATTACH | FAN_MNT_DETACH), nsfd, null) < 0) {
      const why = errnoName(f.errno());
      f.close(fd);
      return { error: `fanotify_mark: ${why}` };
    }
    return { fd, nsId: id.readBigUInt64LE(0) };
  } finally {
    closeSync(nsfd);
  }
}

const readBuf = Buffer.alloc(64 * 1024);

/** Every event queued on a group now (non-blocking); 'overflow' where the kernel dropped some. */
export function readMountEvents(fd: number): Array<MountEventRecord | 'overflow'> {
  const f = load();
  const out: Array<MountEventRecord | 'overflow'> = [];
  for (;;) {
    const n = f.read(fd, readBuf, readBuf.length);
    if (n <= 0) {
      if (n < 0 && f.errno() !== EAGAIN) out.push('overflow'); // unreadable: let a whole re-read decide
      return out;
    }
    for (const r of parseFanotify(readBuf, n)) out.push(r);
  }
}

/** The mountinfo (32-bit, reused) id of mount `mountId` in namespace `nsId`, or null when it is gone. */
export function mountinfoIdOf(mountId: bigint, nsId: bigint): number | null {
  const f = load();
  const req = Buffer.alloc(32); // struct mnt_id_req { u32 size; u32 spare; u64 mnt_id; u64 param; u64 mnt_ns_id; }
  req.writeUInt32LE(32, 0);
  req.writeBigUInt64LE(mountId, 8);
  req.writeBigUInt64LE(BigInt(STATMOUNT_MNT_BASIC), 16);
  req.writeBigUInt64LE(nsId, 24);
  const buf = Buffer.alloc(512);
  if (f.statmount(req, buf, buf.length) < 0) return null;
  // struct statmount: mask at 8; mnt_id_old (u32) at 56, after mnt_id and mnt_parent_id.
  return (buf.readBigUInt64LE(8) & BigInt(STATMOUNT_MNT_BASIC)) !== 0n ? buf.readUInt32LE(56) : null;
}
