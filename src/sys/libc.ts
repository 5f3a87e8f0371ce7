/**
 * The few libc calls mntns needs, through koffi (its prebuilt binary: nothing is
 * compiled at install). Bound once per thread, on first use (loadLibc).
 */
import koffi from 'koffi';

export const CLONE_FS = 0x00000200;
export const CLONE_NEWNS = 0x00020000;
export const O_RDONLY = 0;
export const O_CLOEXEC = 0o2000000;
export const O_DIRECTORY = 0o200000;
export const O_PATH = 0o10000000;
export const O_NOFOLLOW = 0o400000;
export const AT_EMPTY_PATH = 0x1000;
export const AT_RECURSIVE = 0x8000;
export const STATX_MNT_ID = 0x1000;
/** The mount's 64-bit id, never reused (Linux 6.8+). */
export const STATX_MNT_ID_UNIQUE = 0x4000;
/** x86_64 and every architecture with the unified syscall table (added in 5.12). */
export const SYS_MOUNT_SETATTR = 442;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;
export const PR_SET_NO_NEW_PRIVS = 38;
export const PR_CAPBSET_DROP = 24;
export const PR_CAP_AMBIENT = 47;
export const PR_CAP_AMBIENT_CLEAR_ALL = 4;
export const MS_REC = 0x4000;
export const MS_UNBINDABLE = 1 << 17;
export const MS_PRIVATE = 1 << 18;
export const MS_SLAVE = 1 << 19;
export const MS_SHARED = 1 << 20;

export interface Libc {
  unshare(flags: number): number;
  setns(fd: number, nstype: number): number;
  open(path: string, flags: number): number;
  /** open(2) of a path given as its bytes, NUL-terminated (names need not be UTF-8). */
  openBytes(path: Buffer, flags: number): number;
  openat(dirfd: number, path: string, flags: number): number;
  close(fd: number): number;
  read(fd: number, buf: Buffer, n: number): number;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: null): number;
  poll(fds: Buffer, nfds: number, timeoutMs: number): number;
  eventfd(initval: number, flags: number): number;
  write(fd: number, buf: Buffer, n: number): number;
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  send(fd: number, buf: Buffer, n: number, flags: number): number;
  recv(fd: number, buf: Buffer, n: number, flags: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  /** The address of a Buffer's memory, for structs that point at other memory. */
  address(buf: Buffer): bigint;
  getpid(): number;
  dup(fd: number): number;
  dup2(fd: number, to: number): number;
  getpgrp(): number;
  getsid(pid: number): number;
  statx(dirfd: number, path: string, flags: number, mask: number, buf: Buffer): number;
  /** mount_setattr(2) by syscall number (glibc has a wrapper only from 2.36). */
  mountSetattr(fd: number, path: string, flags: number, attr: Buffer): number;
  tcgetpgrp(fd: number): number;
  tcsetpgrp(fd: number, pgrp: number): number;
  pthread_sigmask(how: number, set: Buffer | null, old: Buffer | null): number;
  /** prctl(2) with two arguments (the rest zero). */
  prctl(option: number, arg2: number, arg3: number): number;
  chroot(path: string): number;
  fchdir(fd: number): number;
  /** capget/capset(2): `hdr` is { u32 version, i32 pid }, `data` two { u32 effective, permitted, inheritable }. */
  capget(hdr: Buffer, data: Buffer): number;
  capset(hdr: Buffer, data: Buffer): number;
  pidfdOpen(pid: number): number;
  /** pidfd_send_signal(2) with no siginfo: signal 0 asks whether the process still lives. */
  pidfdSendSignal(pidfd: number, sig: number): number;
  /**
   * The calling thread's own ids, by raw syscall: glibc's setresuid, setresgid
   * and setgroups change every thread of the process (and so all of mntns); null
   * on an architecture whose numbers this does not know.
   */
  threadCreds: { setgroups(gids: number[]): number; setresgid(r: number, e: number, s: number): number; setresuid(r: number, e: number, s: number): number } | null;
  /** The kernel's mount events (fanotify_init/mark, Linux ≥ 6.15 for mount namespaces). */
  fanotifyInit(flags: number, eventFlags: number): number;
  fanotifyMark(fd: number, flags: number, mask: bigint, dirfd: number, path: string | null): number;
  ioctl(fd: number, req: number, arg: Buffer): number;
  /** statmount(2) / listmount(2) by syscall number (no glibc wrapper): `req` is a struct mnt_id_req. */
  statmount(req: Buffer, buf: Buffer, size: number): number;
  /** `ids` receives up to `n` u64 mount ids. */
  listmount(req: Buffer, ids: Buffer, n: number): number;
  errno(): number;
}

/** statmount and listmount: one number on every architecture (6.8). */
const SYS_STATMOUNT = 457;
const SYS_LISTMOUNT = 458;
/** pidfd_open and pidfd_send_signal: one number on every architecture (5.3 and 5.1). */
const SYS_PIDFD_OPEN = 434;
const SYS_PIDFD_SEND_SIGNAL = 424;
/** setgroups, setresuid, setresgid: x86_64's own table, and the generic one (arm64, riscv64). */
const SYS_CREDS: Record<string, { setgroups: number; setresuid: number; setresgid: number }> = {
  x64: { setgroups: 116, setresuid: 117, setresgid: 119 },
  arm64: { setgroups: 159, setresuid: 147, setresgid: 149 },
  riscv64: { setgroups: 159, setresuid: 147, setresgid: 149 },
};

export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLERR = 0x008;
export const POLLNVAL = 0x020;
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const EINTR = 4;
export const EAGAIN = 11;
export const ENOBUFS = 105;

let libc: Libc | null = null;

/** Binds libc once per thread (koffi function objects are per-thread safe to create). */
export function loadLibc(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  const syscall = lib.func('long syscall(long nr, ...)');
  libc = {
    unshare: lib.func('int unshare(int flags)'),
    setns: lib.func('int setns(int fd, int nstype)'),
    open: lib.func('int open(const char *path, int flags)'),
    openBytes: lib.func('int open(const uint8_t *path, int flags)'),
    openat: lib.func('int openat(int dirfd, const char *path, int flags)'),
    close: lib.func('int close(int fd)'),
    read: lib.func('long read(int fd, _Out_ uint8_t *buf, size_t n)'),
    mount: lib.func('int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const void *data)'),
    poll: lib.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)'),
    eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
    write: lib.func('long write(int fd, const uint8_t *buf, size_t n)'),
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    bind: lib.func('int bind(int fd, const uint8_t *addr, uint32_t len)'),
    send: lib.func('long send(int fd, const uint8_t *buf, size_t n, int flags)'),
    recv: lib.func('long recv(int fd, _Out_ uint8_t *buf, size_t n, int flags)'),
    setsockopt: lib.func('int setsockopt(int fd, int level, int name, const uint8_t *value, uint32_t len)'),
    address: (buf) => koffi.address(buf) as bigint,
    getpid: lib.func('int getpid()'),
    dup: lib.func('int dup(int fd)'),
    dup2: lib.func('int dup2(int fd, int to)'),
    getpgrp: lib.func('int getpgrp()'),
    getsid: lib.func('int getsid(int pid)'),
    statx: lib.func('int statx(int dirfd, const char *path, int flags, unsigned int mask, _Out_ uint8_t *buf)'),
    mountSetattr: (fd, path, flags, attr) => Number(syscall(SYS_MOUNT_SETATTR, 'int', fd, 'const char *', path, 'unsigned int', flags, 'const uint8_t *', attr, 'size_t', attr.length)),
    tcgetpgrp: lib.func('int tcgetpgrp(int fd)'),
    tcsetpgrp: lib.func('int tcsetpgrp(int fd, int pgrp)'),
    pthread_sigmask: lib.func('int pthread_sigmask(int how, const uint8_t *set, _Out_ uint8_t *old)'),
    prctl: (() => {
      const prctl = lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)');
      return (option: number, arg2: number, arg3: number) => prctl(option, arg2, arg3, 0, 0) as number;
    })(),
    chroot: lib.func('int chroot(const char *path)'),
    fchdir: lib.func('int fchdir(int fd)'),
    capget: lib.func('int capget(_Inout_ uint8_t *hdr, _Out_ uint8_t *data)'),
    capset: lib.func('int capset(_Inout_ uint8_t *hdr, const uint8_t *data)'),
    pidfdOpen: (pid) => Number(syscall(SYS_PIDFD_OPEN, 'int', pid, 'unsigned int', 0)),
    pidfdSendSignal: (pidfd, sig) => Number(syscall(SYS_PIDFD_SEND_SIGNAL, 'int', pidfd, 'int', sig, 'void *', null, 'unsigned int', 0)),
    threadCreds: (() => {
      const nr = SYS_CREDS[process.arch];
      if (!nr) return null;
      return {
        setgroups: (gids: number[]) => {
          const list = Buffer.alloc(4 * Math.max(1, gids.length));
          gids.forEach((g, i) => list.writeUInt32LE(g, 4 * i));
          return Number(syscall(nr.setgroups, 'size_t', gids.length, 'const uint8_t *', list));
        },
        setresgid: (r: number, e: number, s: number) => Number(syscall(nr.setresgid, 'unsigned int', r, 'unsigned int', e, 'unsigned int', s)),
        setresuid: (r: number, e: number, s: number) => Number(syscall(nr.setresuid, 'unsigned int', r, 'unsigned int', e, 'unsigned int', s)),
      };
    })(),
    fanotifyInit: lib.func('int fanotify_init(unsigned int flags, unsigned int event_f_flags)'),
    fanotifyMark: lib.func('int fanotify_mark(int fd, unsigned int flags, uint64_t mask, int dirfd, const char *path)'),
    ioctl: lib.func('int ioctl(int fd, unsigned long req, _Inout_ uint8_t *arg)'),
    statmount: (req, buf, size) => Number(syscall(SYS_STATMOUNT, 'const uint8_t *', req, '_Out_ uint8_t *', buf, 'size_t', size, 'unsigned int', 0)),
    listmount: (req, ids, n) => Number(syscall(SYS_LISTMOUNT, 'const uint8_t *', req, '_Out_ uint8_t *', ids, 'size_t', n, 'unsigned int', 0)),
    errno: () => koffi.errno(),
  };
  return libc;
}
