/**
 * Worker thread that blocks in poll(2) on every namespace's open mountinfo fd
 * (POLLPRI|POLLERR: the kernel's "mount table changed" signal, as findmnt --poll
 * uses it) plus an eventfd the main thread writes to for a new fd set or stop.
 * Blocking here, not in koffi's async calls, keeps libuv's pool free for fs work.
 */
import { workerData, parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { EINTR, POLLERR, POLLIN, POLLNVAL, POLLPRI, loadLibc } from './libc.js';

const { control, efd } = workerData as { control: MessagePort; efd: number };
const c = loadLibc();
const scratch = Buffer.alloc(8);
let fds: number[] = [];

export type PollControl = { type: 'set'; fds: number[]; seq: number } | { type: 'stop' };
export type PollReport = { type: 'fired'; fds: number[] } | { type: 'ack'; seq: number } | { type: 'error'; message: string };

function report(r: PollReport): void {
  parentPort!.postMessage(r);
}

for (;;) {
  let stop = false;
  for (let m = receiveMessageOnPort(control); m; m = receiveMessageOnPort(control)) {
    const msg = m.message as PollControl;
    if (msg.type === 'stop') stop = true;
    else {
      fds = msg.fds;
      report({ type: 'ack', seq: msg.seq });
    }
  }
  if (stop) break;
  const set = Buffer.alloc(8 * (fds.length + 1)); // struct pollfd { int fd; short events; short revents; }
  set.writeInt32LE(efd, 0);
  set.writeInt16LE(POLLIN, 4);
  fds.forEach((fd, i) => {
    set.writeInt32LE(fd, 8 * (i + 1));
    set.writeInt16LE(POLLPRI | POLLERR, 8 * (i + 1) + 4);
  });
  const n = c.poll(set, fds.length + 1, -1);
  if (n < 0) {
    if (c.errno() === EINTR) continue;
    report({ type: 'error', message: `poll failed: errno ${c.errno()}` });
    break;
  }
  if (set.readInt16LE(6) & POLLIN) c.read(efd, scratch, 8); // reset the eventfd counter
  const fired: number[] = [];
  fds.forEach((fd, i) => {
    const rev = set.readInt16LE(8 * (i + 1) + 6);
    if (rev & (POLLPRI | POLLERR) && !(rev & POLLNVAL)) fired.push(fd);
  });
  if (fired.length) report({ type: 'fired', fds: fired });
}
