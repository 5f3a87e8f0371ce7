/**
 * Worker thread that blocks in poll(2) on every namespace's open mountinfo fd
 * (POLLPRI|POLLERR: the kernel's "mount table changed" signal, as findmnt --poll
 * uses it) plus an eventfd the main thread writes to for a new fd set or stop.
 * Blocking here, not in koffi's async calls, keeps libuv's pool free for fs work.
 * The kernel's process events and its mount events (fanotify.ts) ride in the
 * same poll; a mount event's mounter is read here, the moment it is reported.
 */
import { workerData, parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { EINTR, ENOBUFS, POLLERR, POLLIN, POLLNVAL, POLLPRI, loadLibc } from './libc.js';
import { openProcConnector, readProcEvents, type ProcEvents } from './proc-connector.js';
import { MountMarks, type MountEventRecord } from './fanotify.js';
import { Mounters, type RawMounter } from './mounters.js';
import { errnoName } from './errno.js';
import { monoMs } from './mono.js';

const { control, efd, procEvents, mountEvents, procRoot } = workerData as { control: MessagePort; efd: number; procEvents: boolean; mountEvents: boolean; procRoot: string };
const c = loadLibc();
const scratch = Buffer.alloc(8);

/** A table to watch: its mountinfo fd, its namespace, and where that namespace can be opened to mark it (null: it is not marked). */
export interface PolledTable {
  fd: number;
  inode: number;
  nsPath: string | null;
}

export type PollControl = { type: 'set'; tables: PolledTable[]; seq: number } | { type: 'stop' };
/**
 * `at`: when the records were read (monoMs, comparable across threads).
 * `reread`: namespaces whose tables the records may not explain — every marked
 * one after an overflow (events were lost), the ones that woke lately when an
 * event could not be placed (it may be any of theirs).
 */
export type MountsReport = { type: 'mounts'; records: MountEventRecord[]; mounters: RawMounter[]; overflow: boolean; unplaced: number; at: number; reread: number[] };
export type PollReport =
  /** `explained`: the fds among them whose namespace's mount events came with the wake (in the 'mounts' report just before). */
  | { type: 'fired'; fds: number[]; explained: number[] }
  | { type: 'ack'; seq: number }
  | { type: 'error'; message: string }
  | { type: 'procs-ready'; ok: boolean; reason?: string }
  | ({ type: 'procs' } & ProcEvents)
  /** `pending`: namespaces still to be marked. */
  | { type: 'marks'; marked: number[]; failed: Array<{ inode: number; reason: string }>; pending: number }
  | { type: 'mounts-ready'; ok: boolean; reason?: string }
  | MountsReport;

function report(r: PollReport): void {
  parentPort!.postMessage(r);
}

let cn = -1;
if (procEvents) {
  const r = openProcConnector(c);
  if (typeof r === 'number') cn = r;
  report({ type: 'procs-ready', ok: cn >= 0, reason: typeof r === 'string' ? r : undefined });
}
let marks: MountMarks | null = null;
if (mountEvents) {
  const r = MountMarks.open(c);
  if (typeof r !== 'string') marks = r;
  report({ type: 'mounts-ready', ok: marks !== null, reason: typeof r === 'string' ? r : undefined });
}
const mounters = new Mounters(procRoot);
/** The fixed head of the pollfd array: the eventfd, then the connector and the mount-event group when there are. */
const head = [efd, ...(cn >= 0 ? [cn] : []), ...(marks ? [marks.fd] : [])];
const CN = cn >= 0 ? 1 : -1;
const MARKS = marks ? head.length - 1 : -1;

let tables: PolledTable[] = [];
let inodeOf = new Map<number, number>();
/** When each namespace's table last woke: where a mount event's mount is looked for. */
const woke = new Map<number, number>();
const WOKE_MS = 2000;

/** The namespaces whose table woke in the last two seconds, newest first (`woke` is kept oldest first). */
function recentlyWoken(now: number): Set<number> {
  const out: number[] = [];
  for (const [inode, at] of woke) {
    if (now - at > WOKE_MS) woke.delete(inode);
    else out.push(inode);
  }
  return new Set(out.reverse());
}
/** Namespaces that could not be marked, and through which path: tried again only through another. */
const refused = new Map<number, string>();
/** Tables whose namespace is still to be marked: a few between two polls, never all at once. */
let toMark: PolledTable[] = [];
/**
 * Marked (and learnt: a listmount and a statmount per mount) between polls, at
 * most this many at a time: marking a busy host's 300 namespaces in one go kept
 * the thread from polling, and a mount made and unmounted meanwhile was never
 * seen by any table.
 */
const MARKS_PER_WAKE = 8;

/** A new table set: forgets the namespaces that went; those that came wait to be marked. */
function syncMarks(m: MountMarks): void {
  const now = new Set(tables.map((t) => t.inode));
  const before = m.inodes().length;
  for (const inode of m.inodes()) if (!now.has(inode)) m.forget(inode);
  for (const inode of refused.keys()) if (!now.has(inode)) refused.delete(inode);
  toMark = tables.filter((t) => t.nsPath !== null && !m.marked(t.inode) && refused.get(t.inode) !== t.nsPath);
  if (m.inodes().length !== before || toMark.length === 0) report({ type: 'marks', marked: m.inodes(), failed: [], pending: toMark.length });
}

/** Marks the next few namespaces waiting; says which are marked now and which could not be. */
function markSome(m: MountMarks): void {
  const failed: Array<{ inode: number; reason: string }> = [];
  for (const t of toMark.splice(0, MARKS_PER_WAKE)) {
    if (m.marked(t.inode)) continue;
    const why = m.mark(t.inode, t.nsPath!);
    if (why !== null) {
      refused.set(t.inode, t.nsPath!);
      failed.push({ inode: t.inode, reason: why });
    }
  }
  report({ type: 'marks', marked: m.inodes(), failed, pending: toMark.length });
}

/** The pollfd array (struct pollfd { int fd; short events; short revents; }), built when the fd set changes only. */
function pollSet(): Buffer {
  const set = Buffer.alloc(8 * (tables.length + head.length));
  head.forEach((fd, i) => {
    set.writeInt32LE(fd, 8 * i);
    set.writeInt16LE(POLLIN, 8 * i + 4);
  });
  tables.forEach((t, i) => {
    set.writeInt32LE(t.fd, 8 * (i + head.length));
    set.writeInt16LE(POLLPRI | POLLERR, 8 * (i + head.length) + 4);
  });
  return set;
}

const readable = (set: Buffer, i: number): boolean => i >= 0 && (set.readInt16LE(8 * i + 6) & POLLIN) !== 0;

/** Adds the tables whose revents say they changed to `fired` (once each), as woken at `now`. */
function tablesFired(fired: number[], now: number): void {
  for (let i = 0; i < tables.length; i++) {
    const rev = set.readInt16LE(8 * (i + head.length) + 6);
    if (!(rev & (POLLPRI | POLLERR)) || rev & POLLNVAL || fired.includes(tables[i].fd)) continue;
    fired.push(tables[i].fd);
    const inode = tables[i].inode;
    woke.delete(inode); // re-inserted: the newest last
    woke.set(inode, now);
  }
}

/** Looks again (not waiting) for tables woken since the last poll: a table's POLLPRI is told once per change. */
function repoll(fired: number[], now: number): void {
  if (c.poll(set, tables.length + head.length, 0) > 0) tablesFired(fired, now);
}

/** How long a wake without its mount event waits for it (ms): a remount, which has none, costs this much more. */
const GRACE_MS = 1;
const one = Buffer.alloc(8);
/** Whether `fd` becomes readable within `ms`. */
function waitFor(fd: number, ms: number): boolean {
  one.writeInt32LE(fd, 0);
  one.writeInt16LE(POLLIN, 4);
  one.writeInt16LE(0, 6);
  return c.poll(one, 1, ms) > 0 && (one.readInt16LE(6) & POLLIN) !== 0;
}

let set = pollSet();
for (;;) {
  let stop = false;
  for (let m = receiveMessageOnPort(control); m; m = receiveMessageOnPort(control)) {
    const msg = m.message as PollControl;
    if (msg.type === 'stop') stop = true;
    else {
      tables = msg.tables;
      inodeOf = new Map(tables.map((t) => [t.fd, t.inode]));
      set = pollSet();
      if (marks) syncMarks(marks);
      report({ type: 'ack', seq: msg.seq });
    }
  }
  if (stop) break;
  // poll(2) writes only revents: the array is reused from wake to wake.
  // Namespaces still to mark, or mounts to learn: only look, then do a few more.
  const n = c.poll(set, tables.length + head.length, toMark.length || marks?.learning() ? 0 : -1);
  if (n < 0) {
    if (c.errno() === EINTR) continue;
    report({ type: 'error', message: `poll failed: ${errnoName(c.errno())}` });
    break;
  }
  const now = Date.now();
  const fired: number[] = [];
  tablesFired(fired, now);
  if (readable(set, 0)) c.read(efd, scratch, 8); // reset the eventfd counter
  const procsReadable = readable(set, CN);
  const marksReadable = readable(set, MARKS);
  // Process events, then mount events, then the tables that woke with them: a
  // mounter's exec record is there before its mount event is named, and a
  // table's mount events are applied before its wake is looked at.
  if (procsReadable) {
    const ev = readProcEvents(c, cn, ENOBUFS);
    if (ev.forked.length || ev.execd.length || ev.exited.length || ev.overrun) report({ type: 'procs', ...ev });
    if (marks && ev.forked.length) mounters.noteForks(ev.forked, ev.parents ?? []);
    if (marks && ev.execd.length) mounters.noteExecs(ev.execd, now);
  }
  const placed: MountEventRecord[] = [];
  const who: RawMounter[] = [];
  let unplaced = 0;
  let overflow = false;
  let drained = false;
  const drainMarks = (m: MountMarks): void => {
    const r = m.drain();
    // Who first: the mounter may be exiting as we read.
    const read = mounters.fresh(
      r.raw.map((x) => x.pid),
      now,
    );
    for (const x of read) who.push(x);
    // The kernel sends a change's mount events once it is done, so every table
    // it touched (copies propagated to other namespaces too) has woken by now.
    if (r.raw.length) repoll(fired, now);
    const p = m.place(r.raw, recentlyWoken(now));
    for (const x of p.records) placed.push(x);
    unplaced += p.unplaced;
    overflow ||= r.overflow;
    drained ||= r.raw.length > 0 || r.overflow;
  };
  if (marks && marksReadable) drainMarks(marks);
  let explained: number[] = [];
  if (marks && fired.length) {
    const has = (fd: number): boolean => placed.some((r) => r.inode === inodeOf.get(fd));
    // The kernel wakes a table's pollers under its namespace lock and sends the
    // mount events after it: a marked table that woke without one waits a moment.
    if (fired.some((fd) => marks!.marked(inodeOf.get(fd)!) && !has(fd)) && waitFor(marks.fd, GRACE_MS)) drainMarks(marks);
    // An event not placed may be any table's, and a lost one every table's: then none is explained.
    if (!unplaced && !overflow) explained = fired.filter((fd) => marks!.marked(inodeOf.get(fd)!) && has(fd));
  }
  // One report for the wake: a mount and its copies in other namespaces are one batch.
  if (drained) {
    const reread = overflow ? marks!.inodes() : unplaced ? [...recentlyWoken(now)].filter((i) => marks!.marked(i)) : [];
    report({ type: 'mounts', records: placed, unplaced, mounters: who, overflow, at: monoMs(), reread });
  }
  if (fired.length) report({ type: 'fired', fds: fired, explained });
  if (marks && toMark.length) markSome(marks);
  else if (marks?.learning()) marks.learnSome();
}
if (cn >= 0) c.close(cn);
marks?.close();
