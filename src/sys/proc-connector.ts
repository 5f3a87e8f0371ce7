/**
 * The kernel's process events connector (netlink, CN_IDX_PROC): FORK, EXEC and
 * EXIT as they happen, so a watcher needs no periodic readdir of /proc. Root
 * only; an unshare/setns without exec produces no event (kernel-facts.md), which
 * the watcher's slow safety scan covers. Used from the poll thread (sync calls).
 */
import type { Libc } from './libc.js';
import { errnoName } from './errno.js';

const AF_NETLINK = 16;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_CONNECTOR = 11;
const CN_IDX_PROC = 1;
const CN_VAL_PROC = 1;
const NLMSG_DONE = 3;
const PROC_CN_MCAST_LISTEN = 1;
const MSG_DONTWAIT = 0x40;

const PROC_EVENT_FORK = 0x00000001;
const PROC_EVENT_EXEC = 0x00000002;
const PROC_EVENT_EXIT = 0x80000000;

export interface ProcEvents {
  forked: number[];
  /** The parent of each forked process (same order): who it came from, even once it is gone. */
  parents?: number[];
  execd: number[];
  exited: number[];
  /** The kernel dropped events (ENOBUFS): rescan. */
  overrun: boolean;
}

/** Opens and subscribes the connector socket; returns its fd, or a reason it can't. */
export function openProcConnector(c: Libc): number | string {
  const fd = c.socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd < 0) return `socket: ${errnoName(c.errno())}`;
  const addr = Buffer.alloc(12); // sockaddr_nl { u16 family; u16 pad; u32 pid; u32 groups }
  addr.writeUInt16LE(AF_NETLINK, 0);
  addr.writeUInt32LE(0, 4); // let the kernel assign the port id (pid would clash across threads)
  addr.writeUInt32LE(CN_IDX_PROC, 8);
  if (c.bind(fd, addr, 12) < 0) {
    const e = c.errno();
    c.close(fd);
    return `bind: ${errnoName(e)}`;
  }
  attachThreadFilter(c, fd);
  // nlmsghdr (16) + cn_msg (20) + enum proc_cn_mcast_op (4)
  const msg = Buffer.alloc(40);
  msg.writeUInt32LE(40, 0);
  msg.writeUInt16LE(NLMSG_DONE, 4);
  msg.writeUInt32LE(c.getpid(), 12);
  msg.writeUInt32LE(CN_IDX_PROC, 16);
  msg.writeUInt32LE(CN_VAL_PROC, 20);
  msg.writeUInt16LE(4, 32);
  msg.writeUInt32LE(PROC_CN_MCAST_LISTEN, 36);
  if (c.send(fd, msg, 40, 0) < 0) {
    const e = c.errno();
    c.close(fd);
    return `subscribe: ${errnoName(e)} (needs root)`;
  }
  return fd;
}

// Classic BPF opcodes (BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, …|BPF_X, BPF_MISC|BPF_TAX, BPF_RET|BPF_K), as for SO_ATTACH_FILTER (linux/filter.h).
const BPF = { LD_W_ABS: 0x20, JEQ_K: 0x15, JEQ_X: 0x1d, TAX: 0x07, RET_K: 0x06 } as const;
const SOL_SOCKET = 1;
const SO_ATTACH_FILTER = 26;

/** BPF loads words big-endian; the event's fields are the host's (little-endian) order. */
const be32 = (v: number): number => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b.readUInt32BE(0);
};

// Offsets into one message: nlmsghdr (16) + cn_msg (20), then proc_event:
// what (36), cpu, timestamp, and the event's data at 52 — fork: parent pid and
// tgid, child pid (60) and tgid (64); exit and exec: pid (52) and tgid (56).
const THREAD_FILTER: Array<[number, number, number, number]> = [
  [BPF.LD_W_ABS, 0, 0, 36],
  [BPF.JEQ_K, 2, 0, be32(PROC_EVENT_FORK)], // → 4
  [BPF.JEQ_K, 5, 0, be32(PROC_EVENT_EXIT)], // → 8
  [BPF.JEQ_K, 8, 9, be32(PROC_EVENT_EXEC)], // → accept : drop (uid, comm, … events)
  [BPF.LD_W_ABS, 0, 0, 64],
  [BPF.TAX, 0, 0, 0],
  [BPF.LD_W_ABS, 0, 0, 60],
  [BPF.JEQ_X, 4, 5, 0], // child pid == child tgid: a process, not a thread
  [BPF.LD_W_ABS, 0, 0, 56],
  [BPF.TAX, 0, 0, 0],
  [BPF.LD_W_ABS, 0, 0, 52],
  [BPF.JEQ_X, 0, 1, 0], // the same for an exit
  [BPF.RET_K, 0, 0, 0xffffffff],
  [BPF.RET_K, 0, 0, 0],
];

/**
 * Drops thread forks and exits in the kernel, before they wake anyone: a busy
 * host clones thousands of threads a second, and each event cost the poll
 * thread a wake (README, "Measured"). readProcEvents still
 * skips them, for a kernel that refuses the filter.
 */
function attachThreadFilter(c: Libc, fd: number): boolean {
  const prog = Buffer.alloc(8 * THREAD_FILTER.length);
  THREAD_FILTER.forEach(([code, jt, jf, k], i) => {
    prog.writeUInt16LE(code, 8 * i);
    prog.writeUInt8(jt, 8 * i + 2);
    prog.writeUInt8(jf, 8 * i + 3);
    prog.writeUInt32LE(k >>> 0, 8 * i + 4);
  });
  const fprog = Buffer.alloc(16); // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
  fprog.writeUInt16LE(THREAD_FILTER.length, 0);
  fprog.writeBigUInt64LE(c.address(prog), 8);
  return c.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, 16) === 0;
}

const buf = Buffer.alloc(65536);

/** Drains the socket: processes (not threads) that were forked, exec'd or exited. */
export function readProcEvents(c: Libc, fd: number, ENOBUFS: number): ProcEvents {
  const out: ProcEvents = { forked: [], parents: [], execd: [], exited: [], overrun: false };
  for (;;) {
    const n = c.recv(fd, buf, buf.length, MSG_DONTWAIT);
    if (n < 0) {
      if (c.errno() === ENOBUFS) {
        out.overrun = true;
        continue;
      }
      break; // EAGAIN: drained
    }
    if (n === 0) break;
    // One datagram may carry several netlink messages.
    for (let off = 0; off + 16 <= n;) {
      const len = buf.readUInt32LE(off);
      if (len < 16 || off + len > n) break;
      const ev = off + 36; // after nlmsghdr and cn_msg
      if (len >= 36 + 24) {
        const what = buf.readUInt32LE(ev);
        const data = ev + 16; // after what, cpu, timestamp_ns
        if (what === PROC_EVENT_FORK) {
          const pid = buf.readUInt32LE(data + 8);
          const tgid = buf.readUInt32LE(data + 12);
          if (pid === tgid) {
            // a new process, not a thread
            out.forked.push(pid);
            out.parents!.push(buf.readUInt32LE(data + 4)); // parent_tgid
          }
        } else if (what === PROC_EVENT_EXEC) {
          out.execd.push(buf.readUInt32LE(data + 4));
        } else if (what === PROC_EVENT_EXIT) {
          const pid = buf.readUInt32LE(data);
          const tgid = buf.readUInt32LE(data + 4);
          if (pid === tgid) out.exited.push(pid);
        }
      }
      off += (len + 3) & ~3;
    }
  }
  return out;
}
