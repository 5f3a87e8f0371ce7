/**
 * The job-control side of the controlling terminal, which Node does not
 * expose: who is in the foreground, taking the terminal back when a child
 * shell left it elsewhere, telling a hung-up terminal from a working one, and
 * letting go of a dead one so Node's exit does not abort on it.
 */
import { openSync } from 'node:fs';
import { loadLibc } from './libc.js';
import { errnoName } from './errno.js';

const EIO = 5;
const ENXIO = 6;
const SIG_BLOCK = 0;
const SIG_SETMASK = 2;
const SIGTTOU = 22;

/** ours: we are the foreground process group; elsewhere: someone else is; gone: hung up. */
export type TtyState = 'ours' | 'elsewhere' | 'gone';

/** Whether the terminal on `fd` is still there, and whose it is. */
export function ttyState(fd = 0): TtyState {
  const libc = loadLibc();
  const fg = libc.tcgetpgrp(fd);
  if (fg < 0) {
    const e = libc.errno();
    // A hung-up terminal answers every ioctl with EIO (tty_io.c hung_up_tty_ioctl).
    return e === EIO || e === ENXIO ? 'gone' : 'elsewhere';
  }
  return fg === libc.getpgrp() ? 'ours' : 'elsewhere';
}

/**
 * Makes our process group the terminal's foreground again, as a shell does
 * when a job ends: with SIGTTOU blocked, or a background tcsetpgrp stops us.
 * Needed when a shell from `e` died without handing the terminal back
 * (SIGKILL, a crash): reading it from the background gives EIO or SIGTTIN.
 */
export function takeForeground(fd = 0): TtyState {
  const libc = loadLibc();
  const mask = Buffer.alloc(128);
  mask.writeUInt32LE(1 << (SIGTTOU - 1), 0);
  const old = Buffer.alloc(128);
  libc.pthread_sigmask(SIG_BLOCK, mask, old);
  try {
    if (libc.tcsetpgrp(fd, libc.getpgrp()) < 0) {
      const e = libc.errno();
      if (e === EIO || e === ENXIO) return 'gone';
    }
  } finally {
    libc.pthread_sigmask(SIG_SETMASK, old, null);
  }
  return ttyState(fd);
}

/**
 * Whether a job-control shell started us as a job of its own (our process
 * group is not the session leader's): only then is there someone to give the
 * terminal back to on Ctrl-Z, and to bring us back with `fg`. Run straight from
 * a terminal emulator, a `sh -c` or a pty, a stopped mntns would stay stopped.
 */
export function jobControlled(): boolean {
  const libc = loadLibc();
  return libc.getpgrp() !== libc.getsid(0);
}

/** A second descriptor for `fd` (our own stream on the terminal, closed without touching fd 0). */
export function dupFd(fd: number): number {
  const r = loadLibc().dup(fd);
  if (r < 0) throw Object.assign(new Error(`dup: ${errnoName(loadLibc().errno())}`), { code: 'EDUP' });
  return r;
}

export function closeFd(fd: number): void {
  loadLibc().close(fd);
}

/**
 * Points fds 0–2 at /dev/null once the terminal is gone. Node restores the
 * terminal's settings at exit and aborts when that fails on a hung-up terminal
 * (nodejs/node#51519: `ResetStdio … Assertion failed`); it skips fds that no
 * longer refer to the file it started with.
 */
export function detachStdio(): void {
  try {
    const libc = loadLibc();
    const nul = openSync('/dev/null', 'r+');
    for (const fd of [0, 1, 2]) libc.dup2(nul, fd);
    if (nul > 2) libc.close(nul);
  } catch {
    // Nothing better to do on the way out.
  }
}

/**
 * Puts the controlling terminal on fd 0 once stdin has been read to its end
 * (`ssh host mntns --json | mntns --from -`): the keys come from the terminal,
 * as `less` reads them. Throws when there is no terminal to open.
 */
export function stdinFromTerminal(): void {
  const tty = openSync('/dev/tty', 'r+');
  const libc = loadLibc();
  if (libc.dup2(tty, 0) < 0) throw Object.assign(new Error(`dup2: ${errnoName(libc.errno())}`), { code: 'EDUP' });
  if (tty !== 0) libc.close(tty);
}
