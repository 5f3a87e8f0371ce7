/**
 * Worker thread that blocks in poll(2) on every namespace's open mountinfo fd
 * (POLLPRI|POLLERR: the kernel's "mount table changed" signal, as findmnt --poll
 * uses it) plus an eventfd the main thread writes to for a new fd set or stop.
 * Blocking here, not in koffi's async calls, keeps libuv's pool free for fs work.
 */
import { workerData, parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { EINTR, ENOBUFS, POLLERR, POLLIN, POLLNVAL, POLLPRI, loadLibc } from './libc.js';
import { openProcConnector, readProcEvents, type ProcEvents } from './proc-connector.js';
import { errnoName } from './errno.js';

const { control, efd, procEvents } = workerData as { control: MessagePort; efd: number; procEvents: boolean };
const c = loadLibc();
const scratch = Buffer.alloc(8);
let fds: number[] = [];

export type PollControl = { type: 'set'; fds: number[]; seq: number } | { type: 'stop' };
export type PollReport =
  { type: 'fired'; fds: number[] } | { type: 'ack'; seq: number } | { type: 'error'; message: string } | { type: 'procs-ready'; ok: boolean; reason?: string } | ({ type: 'procs' } & ProcEvents);

function report(r: PollReport): void {
  parentPort!.postMessage(r);
}

// Process events ride in the same poll: one thread, no readdir of /proc per second.
let cn = -1;
if (procEvents) {
  const r = openProcConnector(c);
  if (typeof r === 'number') cn = r;
  report({ type: 'procs-ready', ok: cn >= 0, reason: typeof r === 'string' ? r : undefined });
}
const extra = cn >= 0 ? 2 : 1;

/** The pollfd array (struct pollfd { int fd; short events; short revents; }), built when the fd set changes only. */
function pollSet(): Buffer {
  const set = Buffer.alloc(8 * (fds.length + extra));
  set.writeInt32LE(efd, 0);
  set.writeInt16LE(POLLIN, 4);
  if (cn >= 0) {
    set.writeInt32LE(cn, 8);
    set.writeInt16LE(POLLIN, 12);
  }
  fds.forEach((fd, i) => {
    set.writeInt32LE(fd, 8 * (i + extra));
    set.writeInt16LE(POLLPRI | POLLERR, 8 * (i + extra) + 4);
  });
  return set;
}

let set = pollSet();
for (;;) {
  let stop = false;
  for (let m = receiveMessageOnPort(control); m; m = receiveMessageOnPort(control)) {
    const msg = m.message as PollControl;
    if (msg.type === 'stop') stop = true;
    else {
      fds = msg.fds;
      set = pollSet();
      report({ type: 'ack', seq: msg.seq });
    }
  }
  if (stop) break;
  // poll(2) writes only revents: the array is reused from wake to wake.
  const n = c.poll(set, fds.length + extra, -1);
  if (n < 0) {
    if (c.errno() === EINTR) continue;
    report({ type: 'error', message: `poll failed: ${errnoName(c.errno())}` });
    break;
  }
  // Mount tables first: their latency is what people measure.
  const fired: number[] = [];
  for (let i = 0; i < fds.length; i++) {
    const rev = set.readInt16LE(8 * (i + extra) + 6);
    if (rev & (POLLPRI | POLLERR) && !(rev & POLLNVAL)) fired.push(fds[i]);
  }
  if (fired.length) report({ type: 'fired', fds: fired });
  if (set.readInt16LE(6) & POLLIN) c.read(efd, scratch, 8); // reset the eventfd counter
  if (cn >= 0 && set.readInt16LE(14) & POLLIN) {
    const ev = readProcEvents(c, cn, ENOBUFS);
    if (ev.forked.length || ev.execd.length || ev.exited.length || ev.overrun) report({ type: 'procs', ...ev });
  }
}
if (cn >= 0) c.close(cn);
